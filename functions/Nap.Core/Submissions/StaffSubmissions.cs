using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nap.Api;
using Nap.Audit;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Submissions;

/// <summary>One stored version as the console lists it (no content).</summary>
public sealed record StaffVersionSummary(int Version, DateTimeOffset ReceivedUtc, string Received, string Sha256, bool Late, bool HasConfidential);

public sealed record StaffVersionList(string SignatoryId, string CycleId, IReadOnlyList<StaffVersionSummary> Versions);

/// <summary>
/// One version as staff read it. <see cref="Submission"/> is the submission as the contract defines it, every
/// contribution with its id; confidential contributions and narratives (marked <c>"confidential": true</c>) are in it
/// only when <see cref="ConfidentialIncluded"/>, otherwise left out and counted in <see cref="WithheldConfidential"/>.
/// </summary>
public sealed record StaffVersionView(
    int Version, DateTimeOffset ReceivedUtc, string Received, string Sha256, bool Late, JsonNode Submission, bool ConfidentialIncluded, int WithheldConfidential);

/// <summary>A member of a contribution or narrative that differs: a JSON pointer into it, and both values (null when absent).</summary>
public sealed record FieldChange(string Field, JsonNode? Before, JsonNode? After);

/// <summary>A contribution in a diff: goal, stable id, its title (in the version that has it) and whether it is confidential.</summary>
public sealed record DiffContribution(string Goal, string Id, string Title, bool Confidential);

public sealed record DiffContributionChange(string Goal, string Id, string Title, bool Confidential, IReadOnlyList<FieldChange> Fields);

/// <summary>A narrative (highlights, challenges, lessons) of a goal that was written, removed or changed.</summary>
public sealed record DiffNarrativeChange(string Goal, string Narrative, string? Before, string? After, bool Confidential);

/// <summary>
/// The contract's <see cref="SubmissionDiff"/> between two versions, with the values: contributions by stable id,
/// changed fields with before and after, narratives, contact. For staff without Nap.Confidential both versions are
/// compared without their confidential items, which therefore never appear (a contribution that became confidential
/// shows as removed, one that stopped being confidential as added).
/// </summary>
public sealed record StaffSubmissionDiff(
    string CycleId,
    string SignatoryId,
    int From,
    int To,
    IReadOnlyList<DiffContribution> Added,
    IReadOnlyList<DiffContribution> Removed,
    IReadOnlyList<DiffContributionChange> Changed,
    IReadOnlyList<DiffNarrativeChange> Narratives,
    IReadOnlyList<FieldChange> Contact,
    bool ConfidentialIncluded,
    int WithheldConfidential);

/// <summary>
/// Staff read signatories' submissions (the console): versions, one version, a diff of two. The confidential part is
/// decrypted and put back only for Nap.Confidential (<see cref="SubmissionPartsReader.ReadAsync"/>); everyone else
/// gets the public part (<see cref="SubmissionPartsReader.ReadPublicAsync"/>) with the placeholders taken out. Every
/// read of content is in the audit trail before the content is handed out.
/// </summary>
public sealed partial class StaffSubmissions(
    ICycleStore cycles,
    ISignatoryRegistry registry,
    ISubmissionIndex index,
    ISubmissionContentStore contents,
    SubmissionPartsReader reader,
    SubmissionParser parser,
    IAuditLog audit)
{
    public async Task<StaffVersionList> ListVersionsAsync(string cycleId, string signatoryId, CancellationToken ct = default)
    {
        var cycle = await RequireAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var versions = (await index.ListVersionsAsync(cycle.Id, signatoryId, ct).ConfigureAwait(false)).OrderBy(v => v.Receipt.Version).ToList();
        var list = new List<StaffVersionSummary>(versions.Count);
        foreach (var v in versions)
            list.Add(new StaffVersionSummary(v.Receipt.Version, v.Receipt.ReceivedAt, v.Receipt.ReceivedAtLocal, v.Receipt.Sha256, v.Receipt.Late,
                await HasConfidentialAsync(v, ct).ConfigureAwait(false)));
        return new StaffVersionList(signatoryId, cycle.Id, list);
    }

    public async Task<StaffVersionView> ReadAsync(string cycleId, string signatoryId, int version, StaffMember staff, CancellationToken ct = default)
    {
        var cycle = await RequireAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var stored = await RequireVersionAsync(cycle.Id, signatoryId, version, ct).ConfigureAwait(false);
        var confidential = staff.Has(StaffRoles.Confidential);
        var (body, withheld) = await OpenAsync(stored, confidential, ct).ConfigureAwait(false);
        await AuditReadAsync(staff, AuditActions.SubmissionRead, AuditActions.SubmissionReadConfidential, stored, confidential, ct).ConfigureAwait(false);
        var r = stored.Receipt;
        return new StaffVersionView(r.Version, r.ReceivedAt, r.ReceivedAtLocal, r.Sha256, r.Late, body, confidential, withheld);
    }

    public async Task<StaffSubmissionDiff> DiffAsync(string cycleId, string signatoryId, int from, int to, StaffMember staff, CancellationToken ct = default)
    {
        var cycle = await RequireAsync(cycleId, signatoryId, ct).ConfigureAwait(false);
        var before = await RequireVersionAsync(cycle.Id, signatoryId, from, ct).ConfigureAwait(false);
        var after = await RequireVersionAsync(cycle.Id, signatoryId, to, ct).ConfigureAwait(false);
        var confidential = staff.Has(StaffRoles.Confidential);
        var (a, withheldA) = await DocumentAsync(before, confidential, ct).ConfigureAwait(false);
        var (b, withheldB) = await DocumentAsync(after, confidential, ct).ConfigureAwait(false);
        await AuditReadAsync(staff, AuditActions.SubmissionDiff, AuditActions.SubmissionDiffConfidential, after, confidential, ct).ConfigureAwait(false);

        var diff = SubmissionDiff.Between(a, b);
        var old = Contributions(a);
        var now = Contributions(b);
        DiffContribution Ref(ContributionRef c, Dictionary<string, (string Goal, Contribution C)> side) =>
            new(c.Goal, c.Id, side[c.Id].C.Title, side[c.Id].C.Confidential);
        var changed = diff.Changed.Select(c =>
        {
            var (earlierGoal, earlier) = old[c.Id];
            var (_, current) = now[c.Id];
            var x = JsonSerializer.SerializeToNode(earlier, NapJson.Options);
            var y = JsonSerializer.SerializeToNode(current, NapJson.Options);
            var fields = c.Fields.Select(f => f == "/goal"
                ? new FieldChange(f, JsonValue.Create(earlierGoal), JsonValue.Create(c.Goal))
                : new FieldChange(f, At(x, f), At(y, f))).ToList();
            return new DiffContributionChange(c.Goal, c.Id, current.Title, earlier.Confidential || current.Confidential, fields);
        }).ToList();

        var narratives = diff.OtherFields
            .Select(f => NarrativePointer().Match(f)).Where(m => m.Success)
            .Select(m => (Goal: Unescape(m.Groups["goal"].Value), Kind: m.Groups["kind"].Value)).Distinct()
            .Select(n =>
            {
                var x = Narrative(a, n.Goal, n.Kind);
                var y = Narrative(b, n.Goal, n.Kind);
                return new DiffNarrativeChange(n.Goal, n.Kind, x?.Text, y?.Text, (x?.Confidential ?? false) || (y?.Confidential ?? false));
            }).ToList();
        var contactA = JsonSerializer.SerializeToNode(a.Contact, NapJson.Options);
        var contactB = JsonSerializer.SerializeToNode(b.Contact, NapJson.Options);
        var contact = diff.OtherFields.Where(f => f.StartsWith("/contact", StringComparison.Ordinal))
            .Select(f => new FieldChange(f, At(contactA, f["/contact".Length..]), At(contactB, f["/contact".Length..]))).ToList();

        return new StaffSubmissionDiff(cycle.Id, signatoryId, from, to,
            diff.Added.Select(c => Ref(c, now)).ToList(), diff.Removed.Select(c => Ref(c, old)).ToList(), changed, narratives, contact,
            confidential, withheldA + withheldB);
    }

    /// <summary>The version's body as a JSON tree with ids, and how many confidential items were left out of it.</summary>
    private async Task<(JsonNode Body, int Withheld)> OpenAsync(SubmissionVersion version, bool confidential, CancellationToken ct)
    {
        if (confidential)
        {
            var full = await reader.ReadAsync(version, ct).ConfigureAwait(false);
            return (ContributionIds.Fill(full.ToMemory())!, 0);
        }
        var body = await reader.ReadPublicAsync(version, ct).ConfigureAwait(false);
        // Ids first: a derived id is the contribution's position, which the placeholders keep until they are taken out.
        var filled = ContributionIds.Fill(JsonSerializer.SerializeToUtf8Bytes(body))!;
        return (filled, TakeOutWithheld(filled));
    }

    /// <summary>The version parsed as the diff compares it; without Nap.Confidential its confidential items are not in it.</summary>
    private async Task<(SubmissionDocument Document, int Withheld)> DocumentAsync(SubmissionVersion version, bool confidential, CancellationToken ct)
    {
        JsonObject body = confidential
            ? JsonNode.Parse((await reader.ReadAsync(version, ct).ConfigureAwait(false)).ToMemory().Span)!.AsObject()
            : await reader.ReadPublicAsync(version, ct).ConfigureAwait(false);
        // The stored-part reading: contact optional (it may have been erased), placeholders read as confidential.
        var document = parser.ParseStoredPart(JsonSerializer.SerializeToUtf8Bytes(body));
        if (confidential) return (document, 0);
        var withheld = 0;
        var goals = document.Goals.Select(g =>
        {
            withheld += g.Contributions.Count(c => c.Confidential);
            Narrative? Keep(Narrative? n)
            {
                if (n is { Confidential: true }) { withheld++; return null; }
                return n;
            }
            var narratives = new Narratives(Keep(g.Narratives.Highlights), Keep(g.Narratives.Challenges), Keep(g.Narratives.Lessons));
            return g with { Contributions = g.Contributions.Where(c => !c.Confidential).ToList(), Narratives = narratives };
        }).ToList();
        return (document with { Goals = goals }, withheld);
    }

    /// <summary>Removes the <c>{"withheld":true}</c> placeholders (and anything still marked confidential); returns how many.</summary>
    public static int TakeOutWithheld(JsonNode body)
    {
        if (body["goals"] is not JsonObject goals) return 0;
        var count = 0;
        foreach (var (_, report) in goals)
        {
            if (report is not JsonObject r) continue;
            if (r["contributions"] is JsonArray list)
                for (var i = list.Count - 1; i >= 0; i--)
                    if (list[i] is JsonObject item && IsWithheld(item)) { list.RemoveAt(i); count++; }
            if (r["narratives"] is JsonObject narratives)
                foreach (var kind in narratives.Where(n => n.Value is JsonObject o && IsWithheld(o)).Select(n => n.Key).ToList())
                {
                    narratives.Remove(kind);
                    count++;
                }
        }
        return count;
    }

    private static bool IsWithheld(JsonObject item) =>
        (item[SubmissionParts.WithheldMember] is JsonValue w && w.TryGetValue<bool>(out var withheld) && withheld)
        || (item["confidential"] is JsonValue c && c.TryGetValue<bool>(out var confidential) && confidential);

    private async Task<bool> HasConfidentialAsync(SubmissionVersion v, CancellationToken ct)
    {
        if (v.IsSplit) return v.ConfidentialSha256 is not null;
        // Stored before the split (until nap-admin privacy migrate): only its bytes can tell.
        var body = await contents.GetAsync(v.BlobName, ct).ConfigureAwait(false);
        return body is not null && SubmissionParts.Split(body.ToMemory()).Confidential is not null;
    }

    private Task AuditReadAsync(StaffMember staff, string action, string confidentialAction, SubmissionVersion version, bool confidential, CancellationToken ct)
    {
        // Who read confidential text is what a privacy officer asks: such reads have their own action.
        var withConfidential = confidential && (version.ConfidentialSha256 is not null || !version.IsSplit);
        var r = version.Receipt;
        return audit.AppendAsync(new AuditEvent(AuditActor.Of(staff), withConfidential ? confidentialAction : action,
            r.CycleId, r.SignatoryId, r.Version), ct);
    }

    private async Task<ReportingCycle> RequireAsync(string cycleId, string signatoryId, CancellationToken ct)
    {
        var cycle = (ReportingCycle.IsValidId(cycleId) ? await cycles.FindAsync(cycleId, ct).ConfigureAwait(false) : null)
            ?? throw new ProblemException(Problem.NotFound("There is no such reporting cycle."));
        if (!SignatoryImport.IsValidId(signatoryId) || await registry.FindAsync(signatoryId, ct).ConfigureAwait(false) is null)
            throw new ProblemException(Problem.NotFound("There is no such signatory."));
        return cycle;
    }

    private async Task<SubmissionVersion> RequireVersionAsync(string cycleId, string signatoryId, int version, CancellationToken ct) =>
        (version > 0 ? await index.GetVersionAsync(cycleId, signatoryId, version, ct).ConfigureAwait(false) : null)
        ?? throw new ProblemException(Problem.NotFound($"This signatory has no version {version.ToString(CultureInfo.InvariantCulture)} in this cycle."));

    private static Dictionary<string, (string Goal, Contribution C)> Contributions(SubmissionDocument d) =>
        d.Goals.SelectMany(g => g.Contributions.Select(c => (c.Id, (g.Goal, c)))).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal);

    private static Narrative? Narrative(SubmissionDocument d, string goal, string kind)
    {
        var n = d.Goals.FirstOrDefault(g => g.Goal == goal)?.Narratives;
        return kind switch { "highlights" => n?.Highlights, "challenges" => n?.Challenges, _ => n?.Lessons };
    }

    /// <summary>The value at a JSON pointer (RFC 6901), a copy; null when absent.</summary>
    private static JsonNode? At(JsonNode? node, string pointer)
    {
        if (pointer.Length == 0) return node?.DeepClone();
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = Unescape(raw);
            node = node switch
            {
                JsonObject o => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null) return null;
        }
        return node?.DeepClone();
    }

    private static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^/goals/(?<goal>[^/]+)/narratives/(?<kind>highlights|challenges|lessons)(/|$)")]
    private static partial System.Text.RegularExpressions.Regex NarrativePointer();
}
