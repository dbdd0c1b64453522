using System.Text.Json;
using System.Text.Json.Nodes;
using Nap.Api;

namespace Nap.Submissions;

/// <summary>A contribution as a diff names it: its goal and its id.</summary>
public sealed record ContributionRef(string Goal, string Id);

/// <summary>A contribution present in both versions whose content differs; <see cref="Fields"/> are JSON pointers into the contribution.</summary>
public sealed record ContributionChange(string Goal, string Id, IReadOnlyList<string> Fields);

/// <summary>
/// What changed between two versions of one signatory's submission. Contributions are matched by id, not position, so a
/// removal or reordering does not make every later contribution look changed. <see cref="OtherFields"/> are pointers
/// into the submission outside contributions (contact, narratives).
/// </summary>
public sealed record SubmissionDiff(
    IReadOnlyList<ContributionRef> Added,
    IReadOnlyList<ContributionRef> Removed,
    IReadOnlyList<ContributionChange> Changed,
    IReadOnlyList<string> OtherFields)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && OtherFields.Count == 0;

    /// <summary>Compares two parsed versions (their normalised content, so trimming or key order is no change).</summary>
    public static SubmissionDiff Between(SubmissionDocument before, SubmissionDocument after)
    {
        var old = Contributions(before);
        var now = Contributions(after);
        var added = now.Where(c => !old.ContainsKey(c.Key)).Select(c => new ContributionRef(c.Value.Goal, c.Key)).ToList();
        var removed = old.Where(c => !now.ContainsKey(c.Key)).Select(c => new ContributionRef(c.Value.Goal, c.Key)).ToList();
        var changed = new List<ContributionChange>();
        foreach (var (id, (goal, contribution)) in now)
        {
            if (!old.TryGetValue(id, out var earlier)) continue;
            var fields = new List<string>();
            if (earlier.Goal != goal) fields.Add("/goal");
            Compare(Node(earlier.Contribution), Node(contribution), "", fields);
            if (fields.Count > 0) changed.Add(new ContributionChange(goal, id, fields));
        }
        var other = new List<string>();
        Compare(Node(before.Contact), Node(after.Contact), "/contact", other);
        var goals = before.Goals.Select(g => g.Goal).Union(after.Goals.Select(g => g.Goal), StringComparer.Ordinal);
        foreach (var goal in goals)
        {
            var a = before.Goals.FirstOrDefault(g => g.Goal == goal)?.Narratives ?? Narratives.None;
            var b = after.Goals.FirstOrDefault(g => g.Goal == goal)?.Narratives ?? Narratives.None;
            Compare(Node(a), Node(b), $"/goals/{Escape(goal)}/narratives", other);
        }
        return new SubmissionDiff(added, removed, changed, other);
    }

    private static Dictionary<string, (string Goal, Contribution Contribution)> Contributions(SubmissionDocument document) =>
        document.Goals.SelectMany(g => g.Contributions.Select(c => (c.Id, (g.Goal, c)))).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal);

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, NapJson.Options);

    /// <summary>Pointers to every member that differs; a list that changed length is named as a whole beyond the shorter one.</summary>
    private static void Compare(JsonNode? a, JsonNode? b, string path, List<string> changed)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key), StringComparer.Ordinal))
                    Compare(x[key], y[key], path + "/" + Escape(key), changed);
                return;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Min(x.Count, y.Count); i++) Compare(x[i], y[i], path + "/" + i, changed);
                for (var i = Math.Min(x.Count, y.Count); i < Math.Max(x.Count, y.Count); i++) changed.Add(path + "/" + i);
                return;
            default:
                if (!JsonNode.DeepEquals(a, b)) changed.Add(path.Length == 0 ? "" : path);
                return;
        }
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
