using Microsoft.Graph;
using Microsoft.Graph.Models;
using DriveUpload = Microsoft.Graph.Drives.Item.Items.Item.CreateUploadSession;

namespace Nap.Reports;

/// <summary>Where a published file ended up: the SharePoint driveItem (or local path) and a link people can open.</summary>
public sealed record PublishedFile(string Name, string ItemId, string WebUrl);

/// <summary>Publishes a report's files for the coordinators. Each call replaces the cycle's file of the same name.</summary>
public interface IReportPublisher
{
    /// <summary>"sharepoint" or "local-folder", recorded on the report version.</summary>
    string Target { get; }

    /// <param name="content">The file, readable and seekable, at its start: read as it is sent, never whole into memory.
    /// The upload may dispose it.</param>
    Task<PublishedFile> PublishAsync(string cycleId, string fileName, string contentType, Stream content, CancellationToken cancellationToken = default);
}

/// <summary>
/// Uploads to a SharePoint document library through Microsoft Graph, app-only with Sites.Selected on that one site.
/// Small files with one PUT, larger ones through an upload session; both replace the existing file, so SharePoint
/// keeps the earlier versions in the file's history. Throttling (429) is retried by the Graph client's middleware.
/// </summary>
public sealed class GraphReportPublisher(GraphServiceClient graph, SharePointOptions options) : IReportPublisher
{
    /// <summary>Above this size a simple upload is not allowed; an upload session takes the file in slices.</summary>
    public const long SimpleUploadLimit = 4L * 1024 * 1024;

    /// <summary>Slices must be multiples of 320 KiB.</summary>
    public const int SliceSize = 10 * 320 * 1024;

    private string? _driveId = string.IsNullOrWhiteSpace(options.DriveId) ? null : options.DriveId;

    public string Target => "sharepoint";

    public async Task<PublishedFile> PublishAsync(string cycleId, string fileName, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        var driveId = await DriveIdAsync(cancellationToken).ConfigureAwait(false);
        var path = ItemPath(options.Folder, cycleId, fileName);
        var item = graph.Drives[driveId].Items["root"].ItemWithPath(path);
        DriveItem? result;
        if (content.Length <= SimpleUploadLimit)
        {
            var request = item.Content.ToPutRequestInformation(content);
            // The generated builder has no conflictBehavior parameter; the same URL with the query string does.
            var url = request.URI + "?@microsoft.graph.conflictBehavior=replace";
            result = await item.Content.WithUrl(url).PutAsync(content, config => config.Headers.Add("Content-Type", contentType), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var session = await item.CreateUploadSession.PostAsync(new DriveUpload.CreateUploadSessionPostRequestBody
            {
                Item = new DriveItemUploadableProperties
                {
                    AdditionalData = new Dictionary<string, object> { ["@microsoft.graph.conflictBehavior"] = "replace" },
                },
            }, cancellationToken: cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("Graph returned no upload session.");
            var upload = new LargeFileUploadTask<DriveItem>(session, content, SliceSize, graph.RequestAdapter);
            var uploaded = await upload.UploadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!uploaded.UploadSucceeded) throw new InvalidOperationException("The upload session did not complete.");
            result = uploaded.ItemResponse;
        }
        if (result?.Id is not { Length: > 0 } id) throw new InvalidOperationException("Graph returned no driveItem id.");
        return new PublishedFile(fileName, id, result.WebUrl ?? "");
    }

    private async Task<string> DriveIdAsync(CancellationToken cancellationToken)
    {
        if (_driveId is not null) return _driveId;
        var drive = await graph.Sites[options.SiteId].Drive.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return _driveId = drive?.Id ?? throw new InvalidOperationException("The SharePoint site has no default document library.");
    }

    /// <summary>"{folder}/{cycle}/{file}", without empty segments.</summary>
    public static string ItemPath(string? folder, string cycleId, string fileName) =>
        string.Join('/', (folder ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append(cycleId).Append(fileName));
}

/// <summary>When no tenant is configured: files are copied to a local folder, under the same paths as in SharePoint.</summary>
public sealed class LocalFolderReportPublisher(SharePointOptions options) : IReportPublisher
{
    public string Target => "local-folder";

    public string Root => Path.GetFullPath(options.LocalFolder);

    public async Task<PublishedFile> PublishAsync(string cycleId, string fileName, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        var relative = GraphReportPublisher.ItemPath(options.Folder, cycleId, fileName);
        var path = Path.GetFullPath(Path.Combine(Root, relative));
        if (!path.StartsWith(Root, StringComparison.Ordinal)) throw new InvalidOperationException("The publish path leaves the local folder.");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write then rename, so a reader never sees half a file; a temporary name of its own, so two publications of
        // the same file at once (two drafts compiled side by side) cannot write into one another.
        var temp = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = File.Create(temp))
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new PublishedFile(fileName, relative, new Uri(path).AbsoluteUri);
    }
}
