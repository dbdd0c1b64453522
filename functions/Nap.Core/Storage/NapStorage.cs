using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Nap.Storage;

/// <summary>Names of every table and container the app owns. Trigger paths repeat them literally in the function classes.</summary>
public static class StorageNames
{
    public const string ConnectionName = "NapStorage";

    public const string SubmissionsContainer = "submissions";
    public const string ReportsContainer = "reports";
    /// <summary>Private, overwritable drafts of the web form; never read by compilation or publication.</summary>
    public const string DraftsContainer = "drafts";
    /// <summary>Client-side encrypted confidential parts of submissions; the report compiler has no path to it.</summary>
    public const string ConfidentialContainer = "confidential";

    public const string SignatoriesTable = "Signatories";
    public const string CyclesTable = "Cycles";
    public const string SubmissionsTable = "Submissions";
    public const string CycleSignatorySettingsTable = "CycleSignatorySettings";
    public const string ReminderLedgerTable = "ReminderLedger";
    /// <summary>The contact person of each submission version, apart from the hashed bodies so it can be erased.</summary>
    public const string SubmissionContactsTable = "SubmissionContacts";
    /// <summary>Signatory links revoked one by one (by link id).</summary>
    public const string RevokedLinksTable = "RevokedLinks";
}

/// <summary>
/// Blob and Table clients for one storage connection, in either form Azure Functions understands:
/// a connection string (<c>NapStorage=UseDevelopmentStorage=true</c>) or identity-based settings
/// (<c>NapStorage__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential=managedidentity</c>, <c>__clientId</c>).
/// Tables and containers are created on first use, once per process; a creation that failed (storage was down) is
/// forgotten, so the next use tries again instead of failing until the process is recycled.
/// The clients' retries and per-try timeouts follow <see cref="StorageOptions.RequestBudgetSeconds"/>.
/// </summary>
public sealed class NapStorage
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<BlobContainerClient>>> _containers = new();

    public NapStorage(BlobServiceClient blobs, TableServiceClient tables)
    {
        Blobs = blobs;
        Tables = tables;
    }

    public BlobServiceClient Blobs { get; }
    public TableServiceClient Tables { get; }

    public static NapStorage FromConfiguration(IConfiguration configuration, string name = StorageNames.ConnectionName)
    {
        var budget = StorageOptions.From(configuration);
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString)) return FromConnectionString(connectionString, budget);

        var section = configuration.GetSection(name);
        var blobUri = section["blobServiceUri"];
        var tableUri = section["tableServiceUri"];
        if (string.IsNullOrWhiteSpace(blobUri) || string.IsNullOrWhiteSpace(tableUri))
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set '{name}' to a connection string, or '{name}__blobServiceUri' and '{name}__tableServiceUri'.");
        var credential = CreateCredential(section["credential"], section["clientId"]);
        return new NapStorage(
            new BlobServiceClient(new Uri(blobUri), credential, budget.Apply(new BlobClientOptions())),
            new TableServiceClient(new Uri(tableUri), credential, budget.Apply(new TableClientOptions())));
    }

    public static NapStorage FromConnectionString(string connectionString, StorageOptions? budget = null)
    {
        budget ??= new StorageOptions();
        return new(new BlobServiceClient(connectionString, budget.Apply(new BlobClientOptions())),
            new TableServiceClient(connectionString, budget.Apply(new TableClientOptions())));
    }

    /// <summary>Managed identity in Azure (user-assigned when a client id is given); the developer's own sign-in otherwise.</summary>
    public static TokenCredential CreateCredential(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? (string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken = default) =>
        Ensure(_tables, name, async n =>
        {
            var client = Tables.GetTableClient(n);
            await client.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            return client;
        }).WaitAsync(cancellationToken);

    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken = default) =>
        Ensure(_containers, name, async n =>
        {
            var client = Blobs.GetBlobContainerClient(n);
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return client;
        }).WaitAsync(cancellationToken);

    /// <summary>
    /// The one creation of <paramref name="name"/> all callers share while it runs or after it succeeded. A failed one
    /// stays only for the callers that already waited on it: the next call replaces it with a fresh attempt.
    /// </summary>
    private static Task<T> Ensure<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string name, Func<string, Task<T>> create)
    {
        while (true)
        {
            if (!cache.TryGetValue(name, out var known))
            {
                var first = new Lazy<Task<T>>(() => create(name));
                if (cache.TryAdd(name, first)) return first.Value;
                continue;
            }
            var task = known.Value;
            if (!task.IsFaulted && !task.IsCanceled) return task;
            var retry = new Lazy<Task<T>>(() => create(name));
            if (cache.TryUpdate(name, retry, known)) return retry.Value;
        }
    }
}
