using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nap.Submissions;

/// <summary>
/// Gives every contribution of a stored body its id, as the parser reads it: the one it has, or
/// <see cref="SubmissionRules.DerivedContributionId"/>. Versions stored before ids existed, and clients that leave ids
/// out, are shown with the ids the report, diffs and reviews use, so an edit keeps them.
/// </summary>
public static class ContributionIds
{
    /// <summary>The body as a JSON tree with missing ids filled in; anything not shaped like a submission is left alone.</summary>
    public static JsonNode? Fill(ReadOnlyMemory<byte> body) => Fill(JsonNode.Parse(body.Span, documentOptions: SubmissionParser.DocumentOptions));

    public static JsonNode? Fill(JsonElement submission) =>
        Fill(JsonNode.Parse(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(submission), documentOptions: SubmissionParser.DocumentOptions));

    private static JsonNode? Fill(JsonNode? root)
    {
        if (root?["goals"] is not JsonObject goals) return root;
        foreach (var (goal, report) in goals)
        {
            if (report is not JsonObject r || r["contributions"] is not JsonArray list) continue;
            for (var i = 0; i < list.Count; i++)
                if (list[i] is JsonObject c && c["id"] is null)
                    c["id"] = SubmissionRules.DerivedContributionId(goal, i);
        }
        return root;
    }

    /// <summary>The ids of a parsed submission, per goal in order: what the API answers a submit with.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(SubmissionDocument document) =>
        document.Goals.ToDictionary(g => g.Goal, g => (IReadOnlyList<string>)g.Contributions.Select(c => c.Id).ToList(), StringComparer.Ordinal);
}
