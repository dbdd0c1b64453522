namespace Nap.Verification;

/// <summary>Settings under <c>Verification:</c> (the one-time code that unlocks confidential parts for a link).</summary>
public sealed class VerificationOptions
{
    public const string Section = "Verification";

    /// <summary>How long an emailed code works.</summary>
    public int CodeMinutes { get; set; } = 10;

    /// <summary>Wrong tries before a code is locked (a new code must be asked for).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a verified session lasts at most (the form also forgets it when the tab closes).</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>Codes one contact may ask for per <see cref="RequestWindowMinutes"/>; more is 429 with Retry-After.</summary>
    public int MaxCodesPerWindow { get; set; } = 3;

    public int RequestWindowMinutes { get; set; } = 60;

    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (CodeMinutes is < 1 or > 60) p.Add("Verification__CodeMinutes must be 1–60");
        if (MaxAttempts is < 1 or > 10) p.Add("Verification__MaxAttempts must be 1–10");
        if (SessionHours is < 1 or > 8) p.Add("Verification__SessionHours must be 1–8");
        if (MaxCodesPerWindow is < 1 or > 20) p.Add("Verification__MaxCodesPerWindow must be 1–20");
        if (RequestWindowMinutes is < 1 or > 1440) p.Add("Verification__RequestWindowMinutes must be 1–1440");
        return p;
    }
}
