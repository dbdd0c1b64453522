using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Nap.Keys;
using Nap.Storage;

namespace Nap.Tests.Privacy;

/// <summary>
/// Where a canary (a person, a text) is still stored: every table's every row, every blob and blob version (encrypted
/// ones decrypted, DOCX unzipped), and optionally the files in a folder (the local stand-in for SharePoint).
/// </summary>
public static class CanaryScan
{
    public static async Task<List<string>> FindAsync(IServiceProvider services, string[] needles, string? folder = null)
    {
        var storage = services.GetRequiredService<NapStorage>();
        var encrypted = services.GetRequiredService<EncryptedBlobs>();
        bool Has(string text) => needles.Any(n => text.Contains(n, StringComparison.OrdinalIgnoreCase));
        var found = new List<string>();
        await foreach (var t in storage.Tables.QueryAsync())
            await foreach (var e in storage.Tables.GetTableClient(t.Name).QueryAsync<TableEntity>())
                if (Has(e.PartitionKey + "|" + e.RowKey + "|" + string.Join("|", ((IDictionary<string, object>)e).Values.Select(v => v?.ToString()))))
                    found.Add($"table {t.Name}");
        await foreach (var c in storage.Blobs.GetBlobContainersAsync())
        {
            var container = storage.Blobs.GetBlobContainerClient(c.Name);
            var isEncrypted = c.Name is StorageNames.DraftsContainer or StorageNames.ConfidentialContainer;
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata, States = BlobStates.All }))
            {
                var blob = isEncrypted ? await encrypted.BlobAsync(c.Name, item.Name, default) : container.GetBlobClient(item.Name);
                if (item.VersionId is { } v && item.IsLatestVersion != true) blob = blob.WithVersion(v);
                byte[] bytes;
                try { bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray(); }
                catch (Azure.RequestFailedException) { continue; } // soft-deleted: not readable without undelete
                catch (InvalidOperationException) { continue; } // encrypted with another machine's local key
                if (Has(Encoding.UTF8.GetString(bytes)) || Has(string.Join("|", item.Metadata.Values)) || (item.Name.EndsWith(".docx", StringComparison.Ordinal) && Has(DocxText(bytes))))
                    found.Add($"blob {c.Name}/{item.Name}{(item.VersionId is null ? "" : "@" + item.VersionId)}");
            }
        }
        if (folder is not null && Directory.Exists(folder))
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                if (Has(Encoding.UTF8.GetString(bytes)) || (file.EndsWith(".docx", StringComparison.Ordinal) && Has(DocxText(bytes))))
                    found.Add($"file {Path.GetFileName(file)}");
            }
        return found;
    }

    public static string DocxText(byte[] docx)
    {
        using var zip = new ZipArchive(new MemoryStream(docx), ZipArchiveMode.Read);
        var sb = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            sb.Append(reader.ReadToEnd());
        }
        return sb.ToString();
    }
}
