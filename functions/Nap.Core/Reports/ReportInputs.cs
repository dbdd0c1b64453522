using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nap.Api;
using Nap.Cycles;
using Nap.Framework;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Everything a report is computed from. Its <see cref="InputHash"/> identifies the report before anything is
/// downloaded: an event delivered twice, or a burst that changed nothing, finds the same hash and compiles nothing.
/// </summary>
public sealed class ReportInputs
{
    /// <summary>Bumped whenever the report's layout or figures change, so old and new compilations never share a hash.</summary>
    public const string FormatVersion = "nap-report-2";

    public ReportInputs(ReportingCycle cycle, ReportKind kind, IEnumerable<SubmissionVersion> submissions, IEnumerable<Signatory> registry, ResultsFramework framework,
        string language = "nl", CycleReportTexts? texts = null, IEnumerable<EarlierCycle>? earlierCycles = null)
    {
        Cycle = cycle;
        Kind = kind;
        Framework = framework;
        Language = ReportLanguage.IsSupported(language) ? language : throw new ArgumentOutOfRangeException(nameof(language), language, "The annex is written in nl or en.");
        Texts = texts ?? CycleReportTexts.None;
        // Order-free from here on: the same submissions in any order give the same inputs.
        Submissions = submissions.OrderBy(s => s.Receipt.SignatoryId, StringComparer.Ordinal).ThenBy(s => s.Receipt.Version).ToList();
        Registry = registry.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        EarlierCycles = (earlierCycles ?? []).OrderBy(e => e.Cycle.PeriodStart).ThenBy(e => e.Cycle.Id, StringComparer.Ordinal)
            .Select(e => e with { Submissions = e.Submissions.OrderBy(s => s.Receipt.SignatoryId, StringComparer.Ordinal).ThenBy(s => s.Receipt.Version).ToList() })
            .ToList();
        InputHash = ComputeHash();
    }

    public ReportingCycle Cycle { get; }
    public ReportKind Kind { get; }
    public ResultsFramework Framework { get; }
    /// <summary>"nl" or "en": the annex's language.</summary>
    public string Language { get; }
    /// <summary>The coordinators' introduction and governance texts that open the annex.</summary>
    public CycleReportTexts Texts { get; }
    public IReadOnlyList<SubmissionVersion> Submissions { get; }
    public IReadOnlyList<Signatory> Registry { get; }
    /// <summary>The plan's cycles before this one, oldest first, with the versions used from each (the years side by side).</summary>
    public IReadOnlyList<EarlierCycle> EarlierCycles { get; }
    public string InputHash { get; }

    private string ComputeHash()
    {
        var sb = new StringBuilder();
        sb.Append(FormatVersion).Append('\n');
        sb.Append(Kind.ToString()).Append('\n');
        sb.Append(Language).Append('\n');
        // The texts by their hash: their content is free text and must not be kept around in the hash input's form.
        sb.Append("texts|").Append(TextHash(Texts.Introduction)).Append('|').Append(TextHash(Texts.Governance)).Append('\n');
        sb.Append(JsonSerializer.Serialize(CycleFile.From(Cycle) with { Status = null }, NapJson.Options)).Append('\n');
        sb.Append(Framework.Version).Append('\n');
        foreach (var s in Registry)
            sb.Append("signatory|").Append(s.Id).Append('|').Append(s.Name).Append('|').Append(s.Kind.ToString()).Append('|').Append(s.Active ? '1' : '0').Append('\n');
        foreach (var v in Submissions) AppendSubmission(sb, v);
        // Earlier cycles only when there are any: a report without them keeps the hash it always had.
        foreach (var earlier in EarlierCycles)
        {
            sb.Append("earlier|").Append(earlier.Cycle.Id).Append('|').Append(earlier.Cycle.PeriodStart.ToString("O", CultureInfo.InvariantCulture))
                .Append('|').Append(earlier.Cycle.PeriodEnd.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
            foreach (var v in earlier.Submissions) AppendSubmission(sb, v);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void AppendSubmission(StringBuilder sb, SubmissionVersion v)
    {
        var r = v.Receipt;
        sb.Append("submission|").Append(r.SubmissionId).Append('|').Append(r.Version.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(r.Sha256).Append('|').Append(r.Late ? '1' : '0').Append('|')
            .Append(r.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('|').Append(v.BlobName).Append('\n');
    }

    private static string TextHash(string? text) => text is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
