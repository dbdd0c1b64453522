namespace Nap.Submissions;

/// <summary>
/// Told about every newly stored version, after its commit (never for a replayed retry), inside the submission
/// request: implementations return quickly (the receipt hook claims its emails and sends them in the background, never
/// waiting for Graph). A failure here never fails the submission; the reminder sweep catches up on missed receipts.
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
