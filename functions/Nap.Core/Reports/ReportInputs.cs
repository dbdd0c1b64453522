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
    public const string FormatVersion = "nap-report-4";

    public ReportInputs(ReportingCycle cycle, ReportKind kind, IEnumerable<SubmissionVersion> submissions, IEnumerable<Signatory> registry, ResultsFramework framework,
        string language = "nl", CycleReportTexts? texts = null, ReportReviewInputs? review = null,
        IEnumerable<EarlierCycle>? earlierCycles = null)
    {
        Cycle = cycle;
        Kind = kind;
        Framework = framework;
        Language = ReportLanguage.IsSupported(language) ? language : throw new ArgumentOutOfRangeException(nameof(language), language, "The annex is written in nl or en.");
        Texts = texts ?? CycleReportTexts.None;
        Review = review is null ? ReportReviewInputs.None
            : review with { Signatories = review.Signatories.OrderBy(r => r.SignatoryId, StringComparer.Ordinal).ToList() };
        // Order-free from here on: the same submissions in any order give the same inputs.
        Submissions = submissions.OrderBy(s => s.Receipt.SignatoryId, StringComparer.Ordinal).ThenBy(s => s.Receipt.Version).ToList();
        Registry = registry.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        EarlierCycles = (earlierCycles ?? []).OrderBy(e => e.Cycle.PeriodStart).ThenBy(e => e.Cycle.Id, StringComparer.Ordinal)
            .Select(e => e with { Submissions = e.Submissions.OrderBy(s => s.Receipt.SignatoryId, StringComparer.Ordinal).ThenBy(s => s.Receipt.Version).ToList() })
            .ToList();
    }

    public ReportingCycle Cycle { get; }
    public ReportKind Kind { get; }
    public ResultsFramework Framework { get; }
    /// <summary>"nl" or "en": the annex's language.</summary>
    public string Language { get; }
    /// <summary>The coordinators' introduction and governance texts that open the annex.</summary>
    public CycleReportTexts Texts { get; }
    public IReadOnlyList<SubmissionVersion> Submissions { get; }
    /// <summary>Which versions were chosen (<see cref="ReportVersionSelector"/>) and where each signatory stands in review.</summary>
    public ReportReviewInputs Review { get; }
    public IReadOnlyList<Signatory> Registry { get; }

    /// <summary>The keyed hash published files carry for each submission instead of its SHA-256 (<see cref="Reports.PublishedHash"/>).</summary>
    public required PublishedHash PublishedHash { get; init; }

    private string? _inputHash;
    /// <summary>Computed on first use, once every input (the published-hash key included) is set.</summary>
    public string InputHash => _inputHash ??= ComputeHash();

    /// <summary>The plan's cycles before this one, oldest first, with the versions used from each (the years side by side).</summary>
    public IReadOnlyList<EarlierCycle> EarlierCycles { get; }

    private string ComputeHash()
    {
        var sb = new HashInput();
        sb.Append(FormatVersion).Append('\n');
        sb.Append(Kind.ToString()).Append('\n');
        sb.Append(Language).Append('\n');
        // The texts by their hash: their content is free text and must not be kept around in the hash input's form.
        sb.Append("texts|").Append(TextHash(Texts.Introduction)).Append('|').Append(TextHash(Texts.Governance)).Append('\n');
        sb.Append(JsonSerializer.Serialize(CycleFile.From(Cycle) with { Status = null }, NapJson.Options)).Append('\n');
        sb.Append(Framework.Version).Append('\n');
        sb.Append("keyed-hash|").Append(PublishedHash.Algorithm).Append('|').Append(PublishedHash.KeyId).Append('\n');
        foreach (var s in Registry)
            sb.Append("signatory|").Append(s.Id).Append('|').Append(s.Name).Append('|').Append(s.Kind.ToString()).Append('|').Append(s.Active ? '1' : '0').Append('\n');
        sb.Append("versions|").Append(CycleFile.PolicyName(Review.VersionsUsed)).Append('|').Append(CycleFile.PolicyName(Review.FinalUses)).Append('\n');
        foreach (var r in Review.Signatories)
            sb.Append("review|").Append(r.SignatoryId).Append('|').Append(Reviews.ReviewStateMachine.Name(r.State)).Append('|')
                .Append(r.LatestVersion.ToString(CultureInfo.InvariantCulture)).Append('|').Append(r.AcceptedVersion?.ToString(CultureInfo.InvariantCulture) ?? "-").Append('|')
                .Append(r.UsedVersion?.ToString(CultureInfo.InvariantCulture) ?? "-").Append('\n');
        foreach (var v in Submissions) AppendSubmission(sb, v);
        // Earlier cycles only when there are any: a report without them keeps the hash it always had.
        foreach (var earlier in EarlierCycles)
        {
            sb.Append("earlier|").Append(earlier.Cycle.Id).Append('|').Append(earlier.Cycle.PeriodStart.ToString("O", CultureInfo.InvariantCulture))
                .Append('|').Append(earlier.Cycle.PeriodEnd.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
            foreach (var v in earlier.Submissions) AppendSubmission(sb, v);
        }
        return sb.Sha256();
    }

    /// <summary>
    /// The hash input, hashed as it is written: with tens of thousands of submissions the text would be megabytes,
    /// held twice (as text and as UTF-8). The SHA-256 is that of the same text's UTF-8 bytes.
    /// </summary>
    private sealed class HashInput
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _length;

        public HashInput Append(string? text)
        {
            if (string.IsNullOrEmpty(text)) return this;
            if (_length + Encoding.UTF8.GetMaxByteCount(text.Length) > _buffer.Length) Flush();
            if (Encoding.UTF8.GetMaxByteCount(text.Length) > _buffer.Length) _hash.AppendData(Encoding.UTF8.GetBytes(text));
            else _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
            return this;
        }

        public HashInput Append(char c)
        {
            if (c > 0x7F) return Append(c.ToString());
            if (_length == _buffer.Length) Flush();
            _buffer[_length++] = (byte)c;
            return this;
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _length);
            _length = 0;
        }

        public string Sha256()
        {
            Flush();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }
    }

    private static void AppendSubmission(HashInput sb, SubmissionVersion v)
    {
        var r = v.Receipt;
        sb.Append("submission|").Append(r.SubmissionId).Append('|').Append(r.Version.ToString(CultureInfo.InvariantCulture)).Append('|')
            .Append(r.Sha256).Append('|').Append(r.Late ? '1' : '0').Append('|')
            .Append(r.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('|').Append(v.BlobName);
        // A redacted version is other content under the same receipt: the report is compiled again.
        if (v.Redacted is { } redacted) sb.Append("|redacted|").Append(redacted.On).Append('|').Append(redacted.Sha256);
        sb.Append('\n');
    }

    private static string TextHash(string? text) => text is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
