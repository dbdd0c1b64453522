using Nap.Cycles;
using Nap.Reviews;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Where one signatory's submission stands in review when the report is compiled: its state, its latest and accepted
/// versions, and the version the report uses (null: left out of this report). Ids and numbers only, never a reason or
/// a comment.
/// </summary>
public sealed record ReviewedSignatory(string SignatoryId, ReviewState State, int LatestVersion, int? AcceptedVersion, int? UsedVersion);

/// <summary>The versions a report is compiled from, and the review state of every signatory that submitted.</summary>
/// <param name="VersionsUsed">What this report uses: a draft always the latest versions, a final what its cycle says.</param>
/// <param name="FinalUses">The cycle's setting, which the final report follows.</param>
public sealed record ReportReviewInputs(ReportVersionPolicy VersionsUsed, ReportVersionPolicy FinalUses, IReadOnlyList<ReviewedSignatory> Signatories)
{
    /// <summary>No review information (tools, tests that compile without storage): the versions given, no review states listed.</summary>
    public static readonly ReportReviewInputs None = new(ReportVersionPolicy.Latest, ReportVersionPolicy.Latest, []);
}

/// <summary>The versions chosen for a report, with the review state of each signatory.</summary>
public sealed record ReportVersionSelection(IReadOnlyList<SubmissionVersion> Versions, ReportReviewInputs Review);

/// <summary>
/// Chooses the version of each signatory a report is compiled from. Drafts use the latest versions. A final follows the
/// cycle's <see cref="ReportingCycle.ReportVersions"/>: <c>accepted</c> takes the latest accepted version of each
/// signatory, even when a newer one waits for review, and leaves out a signatory without one; <c>latest</c> takes the
/// latest versions. The review state is <see cref="ReviewService.Effective"/>'s: a version stored after the last
/// judgement counts as waiting for review.
/// </summary>
public sealed class ReportVersionSelector(ISubmissionIndex index, IReviewStore reviews)
{
    public async Task<ReportVersionSelection> SelectAsync(ReportingCycle cycle, ReportKind kind, IReadOnlyList<SubmissionVersion> latest,
        CancellationToken cancellationToken = default)
    {
        var stored = await reviews.ListAsync(cycle.Id, cancellationToken).ConfigureAwait(false);
        var policy = kind == ReportKind.Final ? cycle.ReportVersions : ReportVersionPolicy.Latest;
        var versions = new List<SubmissionVersion>();
        var lines = new List<ReviewedSignatory>();
        foreach (var version in latest)
        {
            var signatoryId = version.Receipt.SignatoryId;
            var review = stored.GetValueOrDefault(signatoryId);
            var (state, _) = ReviewService.Effective(review, version.Receipt.Version);
            var accepted = review?.AcceptedVersion;
            SubmissionVersion? used = version;
            if (policy == ReportVersionPolicy.Accepted && accepted != version.Receipt.Version)
                used = accepted is { } a ? await index.GetVersionAsync(cycle.Id, signatoryId, a, cancellationToken).ConfigureAwait(false) : null;
            if (used is not null) versions.Add(used);
            lines.Add(new ReviewedSignatory(signatoryId, state ?? ReviewState.Submitted, version.Receipt.Version, accepted, used?.Receipt.Version));
        }
        return new ReportVersionSelection(versions, new ReportReviewInputs(policy, cycle.ReportVersions, lines));
    }
}
