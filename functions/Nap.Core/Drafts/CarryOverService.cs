using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Cycles;
using Nap.Reviews;
using Nap.Security;
using Nap.Submissions;

namespace Nap.Drafts;

/// <summary>The draft a carry-over made (or found made), what it took from the earlier cycle, and whether it was made now.</summary>
public sealed record CarryOverResult(Draft Draft, CarryOver CarryOver, bool Created);

/// <summary>
/// "Start from last year": builds a signatory's server-side draft for a cycle from its submission in the previous cycle
/// (the cycle before this one in the cycle configuration), using the version the coordinators accepted, else the latest.
/// Contributions keep their ids and are marked <c>carriedOver</c> and <c>confirmed: false</c>; what describes the work
/// (title, description, focus, countries, outcomes, partners, links, IATI id) is copied; what is about the year
/// (indicator values, budgets) is not, but kept in the <see cref="CarryOver"/> record to be shown beside the new fields;
/// narratives and the contact person are not copied; confidential contributions only when asked, and only then is the
/// confidential part decrypted. A link for the new cycle reads its own previous submission here and nowhere else.
/// No audit row (the signatory reads its own data), and the log names ids and counts only.
/// </summary>
public sealed partial class CarryOverService(
    IDraftStore drafts,
    ICarryOverStore records,
    ICycleStore cycles,
    ISubmissionIndex index,
    IReviewStore reviews,
    SubmissionPartsReader reader,
    TimeProvider time,
    ILogger<CarryOverService> logger)
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 4, AllowDuplicateProperties = false };

    /// <summary>The earlier cycle to start from, when carry-over would work now: an open cycle, nothing submitted in it, something in the one before.</summary>
    public async Task<string?> OfferAsync(ReportingCycle cycle, string signatoryId, CancellationToken cancellationToken = default)
    {
        if (cycle.Status != CycleStatus.Open) return null;
        var previous = await PreviousCycleAsync(cycle, cancellationToken).ConfigureAwait(false);
        if (previous is null) return null;
        var here = index.GetLatestAsync(cycle.Id, signatoryId, cancellationToken);
        var there = index.GetLatestAsync(previous.Id, signatoryId, cancellationToken);
        await Task.WhenAll(here, there).ConfigureAwait(false);
        return here.Result is null && there.Result is not null ? previous.Id : null;
    }

    /// <summary>
    /// 201 with the new draft; 200 with the existing one when this carry-over already ran (a retry, a second tab); 409 when
    /// the signatory has submitted in this cycle or has a draft it did not start by carry-over; 404 without a previous
    /// cycle or a submission in it.
    /// </summary>
    public async Task<CarryOverResult> CarryOverAsync(string cycleId, SignatoryCaller caller, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var cycle = ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) : null;
        if (cycle is null) throw new ProblemException(Problem.NotFound($"There is no reporting cycle '{(ReportingCycle.IsValidId(cycleId) ? cycleId : "…")}'."));
        var signatory = caller.RequireCycle(cycle.Id).Signatory;
        if (cycle.Status != CycleStatus.Open)
            throw new ProblemException(Problem.Conflict("cycle-closed", "This reporting cycle is closed.", "Drafts can no longer be made for this cycle."));
        var copyConfidential = ReadRequest(contentType, body);

        if (await index.GetLatestAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false) is not null)
            throw new ProblemException(Problem.Conflict("already-submitted", "You have already submitted for this cycle.",
                "Carry-over only starts a first report; edit your submitted version instead."));
        var existingDraft = drafts.GetAsync(cycle.Id, signatory.Id, cancellationToken);
        var existingRecord = records.GetAsync(cycle.Id, signatory.Id, cancellationToken);
        await Task.WhenAll(existingDraft, existingRecord).ConfigureAwait(false);
        if (existingDraft.Result is { } stored)
        {
            // The record is written before the draft, so a draft with a record was made by carry-over: this is a replay.
            if (existingRecord.Result is { } made) return new CarryOverResult(DraftService.Read(stored), made, Created: false);
            throw new ProblemException(Problem.Conflict("draft-exists", "You already have a draft for this cycle.",
                "Carry-over starts a new draft only; delete your draft first if you want to start from last year."));
        }

        var previous = await PreviousCycleAsync(cycle, cancellationToken).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.NotFound($"There is no reporting cycle before {cycle.Id} to carry over from."));
        var latest = await index.GetLatestAsync(previous.Id, signatory.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new ProblemException(Problem.NotFound($"You did not submit for cycle {previous.Id}: there is nothing to carry over."));
        var accepted = (await reviews.FindAsync(previous.Id, signatory.Id, cancellationToken).ConfigureAwait(false))?.AcceptedVersion;
        var version = accepted is { } a && a != latest.Version.Receipt.Version
            ? await index.GetVersionAsync(previous.Id, signatory.Id, a, cancellationToken).ConfigureAwait(false) ?? latest.Version
            : latest.Version;
        var earlier = copyConfidential
            ? await reader.ReadAsync(version, cancellationToken).ConfigureAwait(false)
            : await reader.ReadPublicPartAsync(version, cancellationToken).ConfigureAwait(false);

        var (submission, values, count) = Build(earlier.ToMemory(), previous.Id, version.Receipt.Version);
        var record = new CarryOver(previous.Id, version.Receipt.Version, copyConfidential, values);
        var now = time.GetUtcNow();
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["basedOnVersion"] = 0, ["submission"] = submission }, NapJson.Options);
        await records.PutAsync(cycle.Id, signatory.Id, record, cancellationToken).ConfigureAwait(false);
        await drafts.PutAsync(cycle.Id, signatory.Id, new StoredDraft(BinaryData.FromBytes(envelope), now), cancellationToken).ConfigureAwait(false);
        LogCarried(logger, signatory.Id, cycle.Id, count, previous.Id, version.Receipt.Version, copyConfidential);
        return new CarryOverResult(DraftService.Read(new StoredDraft(BinaryData.FromBytes(envelope), now)), record, Created: true);
    }

    private async Task<ReportingCycle?> PreviousCycleAsync(ReportingCycle cycle, CancellationToken cancellationToken)
    {
        var all = await cycles.ListAsync(cancellationToken).ConfigureAwait(false); // in id order
        var at = all.ToList().FindIndex(c => c.Id == cycle.Id);
        return at > 0 ? all[at - 1] : null;
    }

    /// <summary>An empty body, or <c>{"copyConfidential": true|false}</c>.</summary>
    private static bool ReadRequest(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) return false;
        if (contentType is null || !contentType.Split(';', StringSplitOptions.TrimEntries)[0].Equals("application/json", StringComparison.OrdinalIgnoreCase))
            throw new ProblemException(Problem.UnsupportedMediaType("application/json"));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, BodyOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new ProblemException(Problem.BadRequest("Send {\"copyConfidential\": false} or no body."));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ProblemException(Problem.Validation([new FieldError("", SubmissionErrorCodes.Type, "Expected an object.")]));
            var errors = new List<FieldError>();
            var copy = false;
            foreach (var p in root.EnumerateObject())
            {
                if (p.NameEquals("copyConfidential"))
                {
                    if (p.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) copy = p.Value.GetBoolean();
                    else if (p.Value.ValueKind != JsonValueKind.Null) errors.Add(new FieldError("/copyConfidential", SubmissionErrorCodes.Type, "Expected true or false."));
                }
                else errors.Add(new FieldError("/" + (p.Name.Length > 64 ? p.Name[..64] : p.Name).Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal),
                    SubmissionErrorCodes.UnknownField, "Carry-over takes only copyConfidential."));
            }
            if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors));
            return copy;
        }
    }

    /// <summary>What describes the work is copied; what is about the year only kept aside, by contribution id.</summary>
    private static readonly string[] Copied = ["title", "description", "focus", "countries", "outcomes", "partners", "iatiActivityId", "links"];

    /// <summary>The new draft's submission from an earlier (stored, hence valid) body; withheld placeholders are left out.</summary>
    internal static (JsonObject Submission, JsonObject Previous, int Count) Build(ReadOnlyMemory<byte> earlier, string cycleId, int version)
    {
        var root = ContributionIds.Fill(earlier) as JsonObject;
        var goals = new JsonObject();
        var previous = new JsonObject();
        var count = 0;
        if (root?["goals"] is JsonObject earlierGoals)
        {
            foreach (var (goal, report) in earlierGoals)
            {
                if (report?["contributions"] is not JsonArray list) continue;
                var carried = new JsonArray();
                foreach (var item in list)
                {
                    if (item is not JsonObject c || c[SubmissionParts.WithheldMember] is not null || c["id"] is not JsonValue idValue) continue;
                    var id = idValue.GetValue<string>();
                    var copy = new JsonObject { ["id"] = id };
                    foreach (var member in Copied)
                        if (c[member] is { } value) copy[member] = value.DeepClone();
                    if (c["confidential"] is JsonValue v && v.TryGetValue<bool>(out var confidential) && confidential) copy["confidential"] = true;
                    copy["carriedOver"] = new JsonObject { ["cycle"] = cycleId, ["version"] = version };
                    copy["confirmed"] = false;
                    carried.Add(copy);
                    count++;

                    var values = new JsonObject { ["goal"] = goal };
                    if (c["budgetSpentEur"] is JsonValue budget) values["budgetSpentEur"] = budget.DeepClone();
                    if (c["indicatorResults"] is JsonArray results && results.Count > 0)
                        values["indicatorResults"] = new JsonArray([.. results.OfType<JsonObject>().Select(r =>
                        {
                            var shown = new JsonObject();
                            foreach (var member in new[] { "indicator", "value", "unit", "target" })
                                if (r[member] is { } x) shown[member] = x.DeepClone();
                            return (JsonNode)shown;
                        })]);
                    if (values.Count > 1) previous[id] = values;
                }
                if (carried.Count > 0) goals[goal] = new JsonObject { ["contributions"] = carried };
            }
        }
        return (new JsonObject { ["goals"] = goals }, previous, count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Carried {Count} contributions of {SignatoryId} into a draft for cycle {CycleId} from cycle {FromCycle} version {Version} (confidential copied: {CopyConfidential})")]
    private static partial void LogCarried(ILogger logger, string signatoryId, string cycleId, int count, string fromCycle, int version, bool copyConfidential);
}
