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

    public const string SignatoriesTable = "Signatories";
    public const string CyclesTable = "Cycles";
    public const string SubmissionsTable = "Submissions";
    public const string CycleSignatorySettingsTable = "CycleSignatorySettings";
    public const string ReminderLedgerTable = "ReminderLedger";
    /// <summary>Signatory links revoked one by one (by link id).</summary>
    public const string RevokedLinksTable = "RevokedLinks";
}

/// <summary>
/// Blob and Table clients for one storage connection, in either form Azure Functions understands:
/// a connection string (<c>NapStorage=UseDevelopmentStorage=true</c>) or identity-based settings
/// (<c>NapStorage__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential=managedidentity</c>, <c>__clientId</c>).
/// Tables and containers are created on first use, once per process.
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
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString)) return FromConnectionString(connectionString);

        var section = configuration.GetSection(name);
        var blobUri = section["blobServiceUri"];
        var tableUri = section["tableServiceUri"];
        if (string.IsNullOrWhiteSpace(blobUri) || string.IsNullOrWhiteSpace(tableUri))
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set '{name}' to a connection string, or '{name}__blobServiceUri' and '{name}__tableServiceUri'.");
        var credential = CreateCredential(section["credential"], section["clientId"]);
        return new NapStorage(new BlobServiceClient(new Uri(blobUri), credential), new TableServiceClient(new Uri(tableUri), credential));
    }

    public static NapStorage FromConnectionString(string connectionString) =>
        new(new BlobServiceClient(connectionString), new TableServiceClient(connectionString));

    /// <summary>Managed identity in Azure (user-assigned when a client id is given); the developer's own sign-in otherwise.</summary>
    public static TokenCredential CreateCredential(string? credential, string? clientId) =>
        string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? (string.IsNullOrWhiteSpace(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });

    public Task<TableClient> TableAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = Tables.GetTableClient(n);
            await client.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            return client;
        })).Value.WaitAsync(cancellationToken);

    public Task<BlobContainerClient> ContainerAsync(string name, CancellationToken cancellationToken = default) =>
        _containers.GetOrAdd(name, n => new Lazy<Task<BlobContainerClient>>(async () =>
        {
            var client = Blobs.GetBlobContainerClient(n);
            await client.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return client;
        })).Value.WaitAsync(cancellationToken);
}
