namespace Nap.Reviews;

/// <summary>Where a signatory's submission stands in review, per cycle. Serialised in lower case (<c>"returned"</c>).</summary>
public enum ReviewState
{
    /// <summary>A first version arrived and nobody judged it yet.</summary>
    Submitted,
    Accepted,
    /// <summary>Sent back for revision: the signatory is expected to submit a new version.</summary>
    Returned,
    /// <summary>A new version arrived after a return or an acceptance: it waits for review again.</summary>
    Resubmitted,
}

public enum ReviewAction { Accept, Return }

/// <summary>
/// The moves, in one place: a coordinator's judgement (<see cref="Judge"/>) and a new version arriving
/// (<see cref="NewVersion"/>). Everything else is refused by the caller as 409.
/// </summary>
public static class ReviewStateMachine
{
    /// <summary>The state after <paramref name="action"/>, or null when the move is not allowed.</summary>
    public static ReviewState? Judge(ReviewState state, ReviewAction action) => (state, action) switch
    {
        (ReviewState.Submitted or ReviewState.Resubmitted, ReviewAction.Accept) => ReviewState.Accepted,
        (ReviewState.Submitted or ReviewState.Resubmitted, ReviewAction.Return) => ReviewState.Returned,
        // Reopening: an accepted version may still be sent back when a mistake turns up.
        (ReviewState.Accepted, ReviewAction.Return) => ReviewState.Returned,
        // Accepting twice, or accepting/returning what is already returned, means the reviewer saw an old state.
        _ => null,
    };

    /// <summary>The state once a new version is stored; null (no review yet) becomes submitted.</summary>
    public static ReviewState NewVersion(ReviewState? state) => state switch
    {
        null or ReviewState.Submitted => ReviewState.Submitted,
        _ => ReviewState.Resubmitted,
    };

    public static string Name(ReviewState state) => state.ToString().ToLowerInvariant();
    public static string Name(ReviewAction action) => action.ToString().ToLowerInvariant();
}
