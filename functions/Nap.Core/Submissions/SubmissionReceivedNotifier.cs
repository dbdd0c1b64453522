namespace Nap.Submissions;

/// <summary>
/// Told about every newly stored version, after its commit (never for a replayed retry). A failure here never fails
/// the submission: implementations catch what they can and the reminder sweep catches up on missed receipts.
/// </summary>
public interface ISubmissionReceivedNotifier
{
    Task SubmissionReceivedAsync(SubmissionReceipt receipt, CancellationToken cancellationToken = default);
}

/// <summary>The default when no feature listens.</summary>
public sealed class NoSubmissionReceivedNotifier : ISubmissionReceivedNotifier
{
    public Task SubmissionReceivedAsync(SubmissionReceipt receipt, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
