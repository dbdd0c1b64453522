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

/// <summary>A file of a compiled report written into a stream: its size and SHA-256, taken while it was written.</summary>
public sealed record WrittenReportFile(string Name, string ContentType, long Bytes, string Sha256)
{
    public string Extension => Path.GetExtension(Name).TrimStart('.');
}

/// <summary>
/// Opens the stream a report file is written into (a blob write stream, a file). The stream is disposed only when the
/// whole file was written: a blob write stream commits its blocks on dispose, so a failed file is never committed.
/// </summary>
public delegate Task<Stream> ReportFileTarget(string name, string contentType, CancellationToken cancellationToken);

/// <summary>
/// Compiles a report from its inputs: downloads the submission bodies a few at a time, checks each against its
/// SHA-256 and the framework, and streams it into the <see cref="ReportAggregator"/>. A body that is missing (404), does
/// not match its SHA-256, cannot be parsed (bad JSON, schema-invalid) or holds characters the DOCX cannot contain is
/// skipped (the last two: quarantined) and named by signatory id and version in the data-quality section, never quoted;
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
        var aggregator = new ReportAggregator(inputs, countries);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.DownloadConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(inputs.Submissions, parallel, async (version, token) =>
        {
            var reason = await ReadAsync(version, aggregator.Add, token).ConfigureAwait(false);
            if (reason is null) return;
            aggregator.Skip(version, reason);
            LogSkipped(logger, inputs.Cycle.Id, version.Receipt.SignatoryId, version.Receipt.Version, reason);
        }).ConfigureAwait(false);
        // The plan's earlier years: only their figures are kept, for the years side by side.
        await Parallel.ForEachAsync(inputs.EarlierCycles.SelectMany(e => e.Submissions), parallel, async (version, token) =>
        {
            var reason = await ReadAsync(version, aggregator.AddEarlier, token).ConfigureAwait(false);
            if (reason is null) return;
            aggregator.SkipEarlier(version, reason);
            LogSkipped(logger, version.Receipt.CycleId, version.Receipt.SignatoryId, version.Receipt.Version, reason);
        }).ConfigureAwait(false);
        return aggregator.Build();
    }

    /// <summary>Reads, checks and parses one submission and hands it to <paramref name="add"/>; returns why it was skipped, or null.</summary>
    private async Task<string?> ReadAsync(SubmissionVersion version, Action<SubmissionVersion, SubmissionDocument> add, CancellationToken cancellationToken)
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
        // Quarantine: a stored body that cannot be parsed or written is left out and named, never allowed to stop the
        // cycle's report. Bodies reach storage before today's parser rules, or around the parser altogether.
        SubmissionDocument document;
        try
        {
            document = version.IsSplit ? parser.ParseStoredPart(bytes) : parser.Parse(bytes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A refusal (problem details) or anything the parser was not written for (an undecodable escape, ...);
            // only the type may be kept: messages can quote the body.
            return SkipReasons.Invalid;
        }
        if (!ReportableText.IsWritableBody(bytes)) return SkipReasons.Unwritable;
        add(version, document);
        return null;
    }

    /// <summary>The report's files. Pure: the same report gives the same bytes.</summary>
    public ReportBundle Render(CompiledReport report)
    {
        var baseName = FileBaseName(report.CycleId, report.Kind, report.Language);
        // The three files do not depend on each other: written side by side, the same bytes either way.
        var json = Task.Run(() => JsonReportWriter.Write(report));
        var csv = Task.Run(() => CsvReportWriter.Write(report, countries, framework));
        var docx = DocxReportWriter.Write(report, ReportChart.RenderPng(report), countries, framework);
        return new ReportBundle(report,
        [
            new ReportFile(baseName + ".docx", DocxReportWriter.ContentType, docx),
            new ReportFile(baseName + ".json", JsonReportWriter.ContentType, json.GetAwaiter().GetResult()),
            new ReportFile(baseName + ".csv", CsvReportWriter.ContentType, csv.GetAwaiter().GetResult()),
        ]);
    }

    /// <summary>
    /// Writes the report's files into the streams <paramref name="target"/> opens, the same bytes as <see cref="Render"/>:
    /// every file goes out as it is written (never a whole file in memory; the DOCX part by part, its body with
    /// OpenXmlWriter), each through a SHA-256 taken on the way. The contributions are read back from the report's spill
    /// one at a time by each writer.
    /// </summary>
    public async Task<IReadOnlyList<WrittenReportFile>> WriteAsync(CompiledReport report, ReportFileTarget target, CancellationToken cancellationToken = default)
    {
        var baseName = FileBaseName(report.CycleId, report.Kind, report.Language);
        // Side by side as in Render; each writer runs on its own thread because the serializers write synchronously.
        var json = Task.Run(() => WriteOneAsync(target, baseName + ".json", JsonReportWriter.ContentType, s => JsonReportWriter.Write(report, s), cancellationToken), cancellationToken);
        var csv = Task.Run(() => WriteOneAsync(target, baseName + ".csv", CsvReportWriter.ContentType, s => CsvReportWriter.Write(report, countries, s), cancellationToken), cancellationToken);
        var docx = Task.Run(() => WriteOneAsync(target, baseName + ".docx", DocxReportWriter.ContentType,
            s => DocxReportWriter.Write(report, ReportChart.RenderPng(report), countries, framework, s), cancellationToken), cancellationToken);
        // All three finish (or fail) before this returns: the caller removes a failed attempt's blobs, and none may be committed after that.
        await Task.WhenAll(docx, json, csv).ConfigureAwait(false);
        return [await docx.ConfigureAwait(false), await json.ConfigureAwait(false), await csv.ConfigureAwait(false)];
    }

    private static async Task<WrittenReportFile> WriteOneAsync(ReportFileTarget target, string name, string contentType, Action<Stream> write, CancellationToken cancellationToken)
    {
        var destination = await target(name, contentType, cancellationToken).ConfigureAwait(false);
        using var hashing = new Sha256WriteStream(destination);
        write(hashing);
        // Only a complete file is committed (see ReportFileTarget): on an exception above the stream is left undisposed.
        await destination.DisposeAsync().ConfigureAwait(false);
        return new WrittenReportFile(name, contentType, hashing.Length, hashing.Sha256());
    }

    /// <summary>Compiles and renders in one go (tools, tests).</summary>
    public async Task<ReportBundle> BuildAsync(ReportInputs inputs, CancellationToken cancellationToken = default) =>
        Render(await CompileAsync(inputs, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// One name per cycle, kind and language: the stable "latest" name (SharePoint keeps each new version in the file's
    /// history); finals are also published as "…-v{n}", see <see cref="ReportService.VersionedName"/>.
    /// </summary>
    public static string FileBaseName(string cycleId, ReportKind kind, string language = "nl") =>
        $"voortgangsrapportage-nap-iv-{cycleId}{(kind == ReportKind.Draft ? "-concept" : "")}{(language == "en" ? "-en" : "")}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report for cycle {CycleId} skips the submission of {SignatoryId} version {Version}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string cycleId, string signatoryId, int version, string reason);
}
