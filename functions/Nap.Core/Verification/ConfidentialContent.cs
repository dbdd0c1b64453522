using System.Text.Json.Nodes;
using Nap.Submissions;

namespace Nap.Verification;

/// <summary>
/// The confidential parts of a submission or draft as read back: contributions and narratives marked
/// <c>"confidential": true</c>. Withheld, each becomes <c>{"withheld":true}</c> at its place, as in the stored public
/// part (<see cref="SubmissionParts"/>), so positions and ids of the rest do not move. Works on drafts too, which
/// may be incomplete or oddly shaped: whatever is not an object or array is left alone.
/// </summary>
public static class ConfidentialContent
{
    public static bool Has(JsonNode? submission) => Walk(submission, withhold: false);

    /// <summary>Replaces every confidential part in place; true when there was one.</summary>
    public static bool Withhold(JsonNode? submission) => Walk(submission, withhold: true);

    private static bool Walk(JsonNode? submission, bool withhold)
    {
        if (submission is not JsonObject root || root["goals"] is not JsonObject goals) return false;
        var found = false;
        foreach (var (_, report) in goals)
        {
            if (report is not JsonObject r) continue;
            if (r["contributions"] is JsonArray list)
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject item && IsConfidential(item))
                    {
                        found = true;
                        if (!withhold) return true;
                        list[i] = Placeholder();
                    }
            if (r["narratives"] is JsonObject narratives)
                foreach (var kind in narratives.Select(n => n.Key).ToList())
                    if (narratives[kind] is JsonObject n && IsConfidential(n))
                    {
                        found = true;
                        if (!withhold) return true;
                        narratives[kind] = Placeholder();
                    }
        }
        return found;
    }

    private static JsonObject Placeholder() => new() { [SubmissionParts.WithheldMember] = true };

    private static bool IsConfidential(JsonObject item) => item["confidential"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
