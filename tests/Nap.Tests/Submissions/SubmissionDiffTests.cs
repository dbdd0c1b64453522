using System.Text;
using System.Text.Json.Nodes;
using Nap.Countries;
using Nap.Framework;
using Nap.Submissions;
using Nap.Tests.Form;

namespace Nap.Tests.Submissions;

/// <summary>Diffs of two versions: contributions matched by id, changed fields by JSON pointer.</summary>
public sealed class SubmissionDiffTests
{
    private static readonly SubmissionParser Parser = new(
        ResultsFrameworkLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "data", "framework.sample.json")),
        CountryCatalog.LoadEmbedded());

    private static SubmissionDocument Parse(JsonNode body) => Parser.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()));

    private static JsonArray G1(JsonObject body) => body["goals"]!["G1"]!["contributions"]!.AsArray();

    private static JsonObject WithTwoG1Contributions()
    {
        var body = InvalidCases.Base;
        var second = G1(body)[0]!.DeepClone().AsObject();
        second["id"] = "c-second";
        second["title"] = "Second contribution";
        G1(body).Add(second);
        return body;
    }

    [Fact]
    public void The_same_content_written_differently_is_no_change()
    {
        var before = WithTwoG1Contributions();
        var after = WithTwoG1Contributions();
        after["goals"]!["G1"]!["contributions"]![0]!["title"] = "  Mediation training for women leaders  "; // trimmed by the parser
        Assert.True(SubmissionDiff.Between(Parse(before), Parse(after)).IsEmpty);
    }

    [Fact]
    public void Added_removed_and_changed_contributions_are_named_by_id_with_the_changed_fields()
    {
        var before = WithTwoG1Contributions();
        var after = WithTwoG1Contributions();
        G1(after).RemoveAt(0); // the second one moves to position 0 but is not "changed"
        G1(after)[0]!["indicatorResults"]![0]!["value"] = 11;
        G1(after)[0]!["links"]!.AsArray().Add("https://www.example.org/b");
        after["goals"]!["G2"]!["contributions"]!.AsArray().Add(new JsonObject
        {
            ["id"] = "c-new", ["title"] = "New", ["focus"] = new JsonArray("national"), ["outcomes"] = new JsonArray("G2.1"),
        });
        after["goals"]!["G1"]!["narratives"]!["highlights"]!["text"] = "Another highlight";

        var diff = SubmissionDiff.Between(Parse(before), Parse(after));

        Assert.Equal([new ContributionRef("G2", "c-new")], diff.Added);
        Assert.Equal([new ContributionRef("G1", "c-mediation-2026")], diff.Removed);
        var change = Assert.Single(diff.Changed);
        Assert.Equal("c-second", change.Id);
        Assert.Equal(["/indicatorResults/0/value", "/links/1"], change.Fields);
        Assert.Equal(["/goals/G1/narratives/highlights/text"], diff.OtherFields);
    }

    [Fact]
    public void A_contribution_moved_to_another_goal_keeps_its_id_and_shows_the_move()
    {
        var before = InvalidCases.Base;
        var after = InvalidCases.Base;
        var moved = after["goals"]!["G2"]!["contributions"]![0]!.DeepClone();
        after["goals"]!["G2"]!.AsObject().Remove("contributions");
        after["goals"]!["G3"] = new JsonObject { ["contributions"] = new JsonArray(moved) };
        moved["outcomes"] = new JsonArray("G3.1");
        moved["indicatorResults"]!.AsArray().Clear();

        var change = Assert.Single(SubmissionDiff.Between(Parse(before), Parse(after)).Changed);
        Assert.Equal(new ContributionRef("G3", "c-gender-analysis"), new ContributionRef(change.Goal, change.Id));
        Assert.Contains("/goal", change.Fields);
        Assert.Contains("/outcomes/0", change.Fields);
    }

    [Fact]
    public void An_old_version_without_ids_and_its_edit_with_the_derived_ids_differ_only_where_edited()
    {
        var old = InvalidCases.Base;
        foreach (var (_, goal) in old["goals"]!.AsObject())
            foreach (var c in goal!["contributions"]!.AsArray()) c!.AsObject().Remove("id");
        var edited = ContributionIds.Fill(Encoding.UTF8.GetBytes(old.ToJsonString()))!.AsObject();
        Assert.Equal("G1-1", (string)edited["goals"]!["G1"]!["contributions"]![0]!["id"]!);
        Assert.Equal("G2-1", (string)edited["goals"]!["G2"]!["contributions"]![0]!["id"]!);
        Assert.True(SubmissionDiff.Between(Parse(old), Parse(edited)).IsEmpty);

        edited["goals"]!["G2"]!["contributions"]![0]!["title"] = "Renamed";
        var change = Assert.Single(SubmissionDiff.Between(Parse(old), Parse(edited)).Changed);
        Assert.Equal(("G2-1", "/title"), (change.Id, Assert.Single(change.Fields)));
    }
}
