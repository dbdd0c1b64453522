using Nap.Reviews;

namespace Nap.Tests.Reviews;

/// <summary>Every state × every move, written out as a table: a change to the rules must change this table.</summary>
public sealed class ReviewStateMachineTests
{
    public static TheoryData<ReviewState, ReviewAction, ReviewState?> Judgements() => new()
    {
        { ReviewState.Submitted, ReviewAction.Accept, ReviewState.Accepted },
        { ReviewState.Submitted, ReviewAction.Return, ReviewState.Returned },
        { ReviewState.Resubmitted, ReviewAction.Accept, ReviewState.Accepted },
        { ReviewState.Resubmitted, ReviewAction.Return, ReviewState.Returned },
        { ReviewState.Accepted, ReviewAction.Accept, null },
        { ReviewState.Accepted, ReviewAction.Return, ReviewState.Returned }, // reopening
        { ReviewState.Returned, ReviewAction.Accept, null },
        { ReviewState.Returned, ReviewAction.Return, null },
    };

    [Theory]
    [MemberData(nameof(Judgements))]
    public void A_judgement_moves_or_is_refused(ReviewState state, ReviewAction action, ReviewState? expected) =>
        Assert.Equal(expected, ReviewStateMachine.Judge(state, action));

    [Fact]
    public void The_table_covers_every_state_and_action()
    {
        var covered = Judgements().Select(row => ((ReviewState)row[0], (ReviewAction)row[1])).ToHashSet();
        foreach (var state in Enum.GetValues<ReviewState>())
            foreach (var action in Enum.GetValues<ReviewAction>())
                Assert.Contains((state, action), covered);
    }

    public static TheoryData<ReviewState?, ReviewState> NewVersions() => new()
    {
        { null, ReviewState.Submitted },
        { ReviewState.Submitted, ReviewState.Submitted },
        { ReviewState.Accepted, ReviewState.Resubmitted },
        { ReviewState.Returned, ReviewState.Resubmitted },
        { ReviewState.Resubmitted, ReviewState.Resubmitted },
    };

    [Theory]
    [MemberData(nameof(NewVersions))]
    public void A_new_version_moves_the_state(ReviewState? state, ReviewState expected) =>
        Assert.Equal(expected, ReviewStateMachine.NewVersion(state));

    [Fact]
    public void New_versions_cover_every_state() =>
        Assert.Equal(Enum.GetValues<ReviewState>().Length + 1, NewVersions().Count());

    [Fact]
    public void The_effective_state_follows_the_latest_version()
    {
        Assert.Equal((null, null), ReviewService.Effective(null, null));
        Assert.Equal((ReviewState.Submitted, 3), ReviewService.Effective(null, 3));
        var returned = new StoredReview(ReviewState.Returned, 2, 1, null, "e");
        Assert.Equal((ReviewState.Returned, 2), ReviewService.Effective(returned, 2));
        Assert.Equal((ReviewState.Resubmitted, 3), ReviewService.Effective(returned, 3));
        var accepted = new StoredReview(ReviewState.Accepted, 2, 1, 2, "e");
        Assert.Equal((ReviewState.Resubmitted, 4), ReviewService.Effective(accepted, 4));
    }
}
