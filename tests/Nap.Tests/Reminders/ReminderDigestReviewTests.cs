using Nap.Cycles;
using Nap.Reminders;
using Nap.Reviews;
using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>The digest's review line: counts per state once coordinators review, nothing before.</summary>
public sealed class ReminderDigestReviewTests
{
    private static readonly ReportingCycle Cycle = new("2026", new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 15),
        new DateTime(2027, 3, 1, 17, 0, 0), [7], [3], true, CycleStatus.Open);

    private static IEnumerable<string> ReviewLines(IReadOnlyDictionary<ReviewState, int> byState, string language)
    {
        var status = new CycleStatusReport("2026", "2027-03-01T17:00", 4, 4, 0, 0, 100m,
            [new KindCompletion(SignatoryKind.CivilSocietyOrganisation, 4, 4, 100m)], []) { ByReviewState = byState };
        var stage = new ReminderStage(StageKind.Overdue, 3, new DateOnly(2027, 3, 4), new DateOnly(2027, 3, 1));
        var digest = ReminderMails.Digest(stage, Cycle, status, [], [], "https://example.test/api/cycles/2026/status", language);
        return ReminderMails.Text(digest).Split('\n').Where(l => l.StartsWith("Beoordeling", StringComparison.Ordinal) || l.StartsWith("Review", StringComparison.Ordinal));
    }

    [Fact]
    public void Once_a_signatory_is_judged_the_digest_counts_signatories_per_review_state_in_dutch_and_english()
    {
        var byState = new Dictionary<ReviewState, int> { [ReviewState.Submitted] = 1, [ReviewState.Accepted] = 2, [ReviewState.Returned] = 1 };
        var nl = Assert.Single(ReviewLines(byState, "nl"));
        var en = Assert.Single(ReviewLines(byState, "en"));
        foreach (var line in new[] { nl, en })
        {
            Assert.Contains($"{ReviewStateMachine.Name(ReviewState.Accepted)} 2", line, StringComparison.Ordinal);
            Assert.Contains($"{ReviewStateMachine.Name(ReviewState.Returned)} 1", line, StringComparison.Ordinal);
            Assert.Contains($"{ReviewStateMachine.Name(ReviewState.Submitted)} 1", line, StringComparison.Ordinal);
        }
        Assert.StartsWith("Beoordeling: ", nl, StringComparison.Ordinal);
        Assert.StartsWith("Review: ", en, StringComparison.Ordinal);
    }

    [Fact]
    public void Before_anyone_is_judged_the_digest_has_no_review_line()
    {
        Assert.Empty(ReviewLines(new Dictionary<ReviewState, int> { [ReviewState.Submitted] = 4 }, "nl"));
        Assert.Empty(ReviewLines(new Dictionary<ReviewState, int>(), "en"));
    }
}
