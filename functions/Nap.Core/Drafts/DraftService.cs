using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Submissions;

namespace Nap.Drafts;

/// <summary>Who the form is filled in for: enough to greet and to pick the language, nothing more.</summary>
public sealed record DraftSignatory(string Id, string Name, string Language);

/// <summary>The cycle as it applies to this signatory (with its extension, if any).</summary>
public sealed record DraftCycle(string Id, string Deadline, DateTimeOffset DeadlineUtc, bool DeadlinePassed, bool AcceptLate, CycleStatus Status);

/// <summary>A saved draft: the version the edit started from (0 = none) and the possibly incomplete submission.</summary>
public sealed record Draft(int BasedOnVersion, JsonElement Submission, DateTimeOffset SavedAt, string SavedAtLocal);

/// <summary>
/// With a draft made by carry-over, <see cref="CarryOver"/> holds last year's values to show beside the fields; without a
/// draft, <see cref="CarryOverFrom"/> names the earlier cycle the signatory may start from (POST …/draft/carry-over).
/// </summary>
public sealed record DraftView(DraftSignatory Signatory, DraftCycle Cycle, Draft? Draft)
{
    public CarryOver? CarryOver { get; init; }
    public string? CarryOverFrom { get; init; }
}

/// <summary>A stored draft, with the problems its submission would get if it were submitted now (the form shows those).</summary>
public sealed record DraftSaved(DateTimeOffset SavedAt, string SavedAtLocal, int Bytes, IReadOnlyList<FieldError> Problems);

/// <summary>
/// Server-side drafts of the web form. A draft is the envelope <c>{"basedOnVersion": n, "submission": {…}}</c>; the
/// submission inside may be incomplete or invalid (it is checked only when submitted), but it must be a JSON object
/// within the submission's depth and size limits. Drafts are private to the signatory and never compiled or published.
/// The form deletes the draft once a submission is stored; a draft left behind is recognisably stale because its
/// <c>basedOnVersion</c> is older than the latest submission.
/// </summary>
public sealed partial class DraftService(IDraftStore store, ICycleStore cycles, IAuditLog audit, SubmissionParser parser, TimeProvider time, ILogger<DraftService> logger,
    ICarryOverStore carryOvers, CarryOverService carryOver)
{
    private static readonly JsonDocumentOptions EnvelopeOptions = new()
    {
        MaxDepth = SubmissionRules.MaxDepth + 1,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>The draft is submission content: every read is in the audit trail, recorded before the content leaves.</summary>
    public async Task<DraftView> GetAsync(string cycleId, SignatoryCaller caller, CancellationToken cancellationToken = default)
    {
        var (cycle, signatory) = await AuthorizeAsync(cycleId, caller, cancellationToken).ConfigureAwait(false);
        var settings = await cycles.FindSettingsAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        var deadline = cycle.DeadlineFor(settings);
        var view = new DraftCycle(cycle.Id, AmsterdamTime.Format(deadline), deadline, time.GetUtcNow() > deadline, cycle.AcceptLate, cycle.Status);
        var stored = await store.GetAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        var who = new DraftSignatory(signatory.Id, signatory.Name, signatory.Language);
        if (stored is null)
            return new DraftView(who, view, null) { CarryOverFrom = await carryOver.OfferAsync(cycle, signatory.Id, cancellationToken).ConfigureAwait(false) };
        var draft = Read(stored);
        var record = await carryOvers.GetAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent(AuditActor.Of(caller), AuditActions.DraftRead, cycle.Id, signatory.Id, draft.BasedOnVersion), cancellationToken).ConfigureAwait(false);
        return new DraftView(who, view, draft) { CarryOver = record };
    }

    /// <summary>A stored envelope as the form gets it.</summary>
    internal static Draft Read(StoredDraft stored)
    {
        using var doc = JsonDocument.Parse(stored.Body.ToMemory(), EnvelopeOptions);
        var root = doc.RootElement;
        return new Draft(root.GetProperty("basedOnVersion").GetInt32(), WithIds(root.GetProperty("submission")),
            stored.SavedAt, AmsterdamTime.Format(stored.SavedAt));
    }

    public async Task<DraftSaved> SaveAsync(string cycleId, SignatoryCaller caller, string? contentType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var (cycle, signatory) = await AuthorizeAsync(cycleId, caller, cancellationToken).ConfigureAwait(false);
        if (cycle.Status != CycleStatus.Open)
            throw new ProblemException(Problem.Conflict("cycle-closed", "This reporting cycle is closed.", "Drafts can no longer be saved for this cycle."));
        if (!IsJson(contentType)) throw new ProblemException(Problem.UnsupportedMediaType("application/json"));
        var problems = Check(body);
        var now = time.GetUtcNow();
        await store.PutAsync(cycle.Id, signatory.Id, new StoredDraft(BinaryData.FromBytes(body), now), cancellationToken).ConfigureAwait(false);
        LogSaved(logger, signatory.Id, cycle.Id, body.Length);
        return new DraftSaved(now, AmsterdamTime.Format(now), body.Length, problems);
    }

    public async Task<bool> DeleteAsync(string cycleId, SignatoryCaller caller, CancellationToken cancellationToken = default)
    {
        var (cycle, signatory) = await AuthorizeAsync(cycleId, caller, cancellationToken).ConfigureAwait(false);
        var deleted = await store.DeleteAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        // Last year's values go with the draft they were shown beside; a new carry-over may then start again.
        await carryOvers.DeleteAsync(cycle.Id, signatory.Id, cancellationToken).ConfigureAwait(false);
        if (deleted) LogDeleted(logger, signatory.Id, cycle.Id);
        return deleted;
    }

    /// <summary>
    /// The envelope's shape (a bad envelope is refused); the submission inside is stored whatever it holds, and what the
    /// parser says about it is answered: the very problems a submit would get, so the form keeps no rules of its own.
    /// </summary>
    private IReadOnlyList<FieldError> Check(ReadOnlyMemory<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, EnvelopeOptions);
        }
        catch (JsonException ex)
        {
            throw new ProblemException(Problem.BadRequest($"Malformed JSON near line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}."));
        }
        catch (ArgumentException)
        {
            throw new ProblemException(Problem.BadRequest("The body is not valid UTF-8 JSON."));
        }
        using (doc)
        {
            var root = doc.RootElement;
            var errors = new List<FieldError>();
            if (root.ValueKind != JsonValueKind.Object)
                throw new ProblemException(Problem.Validation([new FieldError("", "type", "A draft is a JSON object.")]));
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("basedOnVersion" or "submission"))
                    errors.Add(new FieldError("/" + (p.Name.Length > 64 ? p.Name[..64] : p.Name).Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal),
                        "unknown-field", "A draft has only basedOnVersion and submission."));
            if (!root.TryGetProperty("basedOnVersion", out var v))
                errors.Add(new FieldError("/basedOnVersion", "required", "Send the version the edit started from (0 for none)."));
            else if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n < 0)
                errors.Add(new FieldError("/basedOnVersion", "type", "Expected a whole number from 0."));
            if (!root.TryGetProperty("submission", out var s))
                errors.Add(new FieldError("/submission", "required", "This is required."));
            else if (s.ValueKind != JsonValueKind.Object)
                errors.Add(new FieldError("/submission", "type", "Expected an object."));
            if (errors.Count > 0) throw new ProblemException(Problem.Validation(errors));
            return parser.Validate(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(s).ToArray());
        }
    }

    /// <summary>Contributions of a draft from before ids get the ids a submit would give them, so the form keeps those.</summary>
    private static JsonElement WithIds(JsonElement submission)
    {
        try
        {
            using var filled = JsonDocument.Parse(ContributionIds.Fill(submission)!.ToJsonString());
            return filled.RootElement.Clone();
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            return submission.Clone(); // text that is not Unicode: shown as stored, the submit names the field
        }
    }

    private async Task<(ReportingCycle Cycle, Signatories.Signatory Signatory)> AuthorizeAsync(string cycleId, SignatoryCaller caller, CancellationToken cancellationToken)
    {
        var cycle = ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, cancellationToken).ConfigureAwait(false) : null;
        if (cycle is null) throw new ProblemException(Problem.NotFound($"There is no reporting cycle '{(ReportingCycle.IsValidId(cycleId) ? cycleId : "…")}'."));
        return (cycle, caller.RequireCycle(cycle.Id).Signatory);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';', StringSplitOptions.TrimEntries)[0].Equals("application/json", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved draft of {SignatoryId} for cycle {CycleId} ({Bytes} bytes)")]
    private static partial void LogSaved(ILogger logger, string signatoryId, string cycleId, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted draft of {SignatoryId} for cycle {CycleId}")]
    private static partial void LogDeleted(ILogger logger, string signatoryId, string cycleId);
}
