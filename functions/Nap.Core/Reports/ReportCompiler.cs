using System.Security.Cryptography;
using Azure;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Countries;
using Nap.Framework;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>A file of a compiled report, as stored and published.</summary>
public sealed record ReportFile(string Name, string ContentType, byte[] Content)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));
    public string Extension => Path.GetExtension(Name).TrimStart('.');
}

/// <summary>The report and its files (DOCX, JSON, CSV).</summary>
public sealed record ReportBundle(CompiledReport Report, IReadOnlyList<ReportFile> Files);

/// <summary>
/// Compiles a report from its inputs: downloads the submission bodies a few at a time, checks each against its
/// SHA-256 and the framework, and streams it into the <see cref="ReportAggregator"/>. A body that is missing (404), does
/// not match its SHA-256 or is invalid is skipped and named (by signatory id and version) in the data-quality section;
/// it never stops the rest. A storage error that is not a 404 fails the compilation instead, to be retried.
/// </summary>
public sealed partial class ReportCompiler(
    ResultsFramework framework,
    CountryCatalog countries,
    SubmissionParser parser,
    ISubmissionContentStore contents,
    ReportOptions options,
    ILogger<ReportCompiler> logger)
{
    public async Task<CompiledReport> CompileAsync(ReportInputs inputs, CancellationToken cancellationToken = default)
    {
        var aggregator = new ReportAggregator(inputs);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.DownloadConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(inputs.Submissions, parallel, async (version, token) =>
        {
            var reason = await ReadAsync(version, aggregator, token).ConfigureAwait(false);
            if (reason is null) return;
            aggregator.Skip(version, reason);
            LogSkipped(logger, inputs.Cycle.Id, version.Receipt.SignatoryId, version.Receipt.Version, reason);
        }).ConfigureAwait(false);
        return aggregator.Build();
    }

    /// <summary>Adds one submission; returns why it was skipped, or null.</summary>
    private async Task<string?> ReadAsync(SubmissionVersion version, ReportAggregator aggregator, CancellationToken cancellationToken)
    {
        BinaryData? body;
        try
        {
            body = await contents.GetAsync(version.BlobName, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            body = null;
        }
        // Any other storage error (a 5xx after the SDK's retries, a throttled or refused read) says nothing about the
        // submission: it propagates, the compilation fails and its trigger is retried. Skipping it would make a report
        // whose input hash does not show the gap, so no later compilation would ever fill it.
        if (body is null) return SkipReasons.Missing;
        var bytes = body.ToMemory();
        // The lineage promises this SHA-256: a body that does not match it is not the version that was received.
        // A split version's blob is its public part, with its own hash; an unsplit one is the body as received.
        if (Convert.ToHexStringLower(SHA256.HashData(bytes.Span)) != version.StoredSha256) return SkipReasons.HashMismatch;
        SubmissionDocument document;
        try
        {
            document = version.IsSplit ? parser.ParseStoredPart(bytes) : parser.Parse(bytes);
        }
        catch (ProblemException)
        {
            return SkipReasons.Invalid;
        }
        aggregator.Add(version, document);
        return null;
    }

    /// <summary>The report's files. Pure: the same report gives the same bytes.</summary>
    public ReportBundle Render(CompiledReport report)
    {
        var baseName = FileBaseName(report.CycleId, report.Kind);
        // The three files do not depend on each other: written side by side, the same bytes either way.
        var json = Task.Run(() => JsonReportWriter.Write(report));
        var csv = Task.Run(() => CsvReportWriter.Write(report, countries, framework));
        var docx = DocxReportWriter.Write(report, ReportChart.RenderPng(report), countries);
        return new ReportBundle(report,
        [
            new ReportFile(baseName + ".docx", DocxReportWriter.ContentType, docx),
            new ReportFile(baseName + ".json", JsonReportWriter.ContentType, json.GetAwaiter().GetResult()),
            new ReportFile(baseName + ".csv", CsvReportWriter.ContentType, csv.GetAwaiter().GetResult()),
        ]);
    }

    /// <summary>Compiles and renders in one go (tools, tests).</summary>
    public async Task<ReportBundle> BuildAsync(ReportInputs inputs, CancellationToken cancellationToken = default) =>
        Render(await CompileAsync(inputs, cancellationToken).ConfigureAwait(false));

    /// <summary>The files keep one name per cycle and kind, so SharePoint keeps each new version in the file's history.</summary>
    public static string FileBaseName(string cycleId, ReportKind kind) =>
        $"voortgangsrapportage-nap-iv-{cycleId}{(kind == ReportKind.Draft ? "-concept" : "")}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report for cycle {CycleId} skips the submission of {SignatoryId} version {Version}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string cycleId, string signatoryId, int version, string reason);
}
