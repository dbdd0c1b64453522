using Nap.Cycles;
using Nap.Signatories;

namespace Nap.Reminders;

/// <summary>
/// A signatory whose version <see cref="Version"/> was returned for revision. While that is still its latest version
/// it is not done: reminders go on, towards <see cref="RevisionDeadlineUtc"/> when the coordinator set one. Stages due
/// on or before the day of <see cref="ReturnedAt"/> are not sent: the return email did that day's asking.
/// </summary>
public sealed record OpenRevision(string SignatoryId, int Version, DateTimeOffset ReturnedAt, DateTimeOffset? RevisionDeadlineUtc);

/// <summary>Which signatories of a cycle stand returned (the reviews feature knows; the sweep only asks).</summary>
public interface IOpenRevisions
{
    Task<IReadOnlyDictionary<string, OpenRevision>> ListAsync(string cycleId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Another feature's message claimed in the ledger (say a review's return email) whose background send left it open
/// (pending, not accepted): the sweep asks each of these to compose it again rather than supersede it. Null when the
/// stage is not theirs or the message is no longer worth sending.
/// </summary>
public interface ILeftoverMail
{
    Task<MailJob?> JobAsync(ReportingCycle cycle, LedgerEntry entry, Signatory signatory, Contact contact, CancellationToken cancellationToken = default);
}
