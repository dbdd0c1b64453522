namespace Nap.Api;

/// <summary>Dates people see are Dutch local time; everything stored and scheduled is UTC.</summary>
public static class AmsterdamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTimeOffset ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    /// <summary>Amsterdam wall-clock time to an instant. A time in the spring-forward gap moves forward an hour.</summary>
    public static DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(unspecified)) unspecified = unspecified.AddHours(1);
        var offset = Zone.GetUtcOffset(unspecified);
        return new DateTimeOffset(unspecified, offset).ToUniversalTime();
    }

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(ToLocal(time.GetUtcNow()).DateTime);

    /// <summary>
    /// A time as people write it in a letter, in Amsterdam time: "1 december 2026 om 08:45" (nl), "1 December 2026 at
    /// 08:45" (en). Month names are spelled out here rather than taken from the machine's culture data.
    /// </summary>
    public static string FormatForPeople(DateTimeOffset utc, string language) => FormatForPeople(ToLocal(utc).DateTime, language);

    /// <summary>An Amsterdam wall-clock time (an extended deadline, say) as people write it; see the overload above.</summary>
    public static string FormatForPeople(DateTime local, string language)
    {
        var english = language == "en";
        var month = (english ? EnglishMonths : DutchMonths)[local.Month - 1];
        var clock = local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var day = local.Day.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var year = local.Year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return english ? $"{day} {month} {year} at {clock}" : $"{day} {month} {year} om {clock}";
    }

    private static readonly string[] DutchMonths =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>ISO 8601 with the Amsterdam offset, for APIs and files; emails use <see cref="FormatForPeople(DateTimeOffset, string)"/>.</summary>
    public static string Format(DateTimeOffset utc) => ToLocal(utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
}
