using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using Nap.Graph;
using Nap.Reports;
using Nap.Storage;
using Nap.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Nap.Tests.Reports;

/// <summary>
/// The SharePoint publisher against WireMock standing in for Microsoft Graph, through the app's own client
/// (<see cref="GraphClientBuilder"/>: the SDK's middleware, the app's retry rules, tokens only for the Graph host) with a
/// fake credential.
/// </summary>
[Collection(ReportCompilationCollection.Name)]
public sealed class GraphPublisherTests : IDisposable
{
    private const string Drive = "drive-1";
    private const string Token = "fake-report-token";
    private readonly WireMockServer _graph = WireMockServer.Start();
    private readonly Nap.Tests.Reminders.FakeTokenCredential _credential = new(Token);

    public void Dispose() => _graph.Stop();

    /// <summary>The base URL of the WireMock server under the other loopback name: another host, as SharePoint's upload URLs are.</summary>
    private string OtherHostUrl
    {
        get
        {
            var url = new Uri(_graph.Url!);
            return new UriBuilder(url) { Host = url.Host == "localhost" ? "127.0.0.1" : "localhost" }.Uri.ToString().TrimEnd('/');
        }
    }

    /// <summary>The app's Graph client, pointed at WireMock.</summary>
    private GraphServiceClient Client() => GraphClientBuilder.Create(
        new GraphOptions { BaseUrl = _graph.Url!.TrimEnd('/') + "/v1.0", TenantId = "00000000-0000-0000-0000-000000000001", MaxRetryWaitSeconds = 5 },
        _credential);

    private GraphReportPublisher Publisher() => new(Client(), new SharePointOptions { SiteId = "site-1", DriveId = Drive, Folder = "NAP1325 rapportages" });

    private static string DriveItem(string id) => new JsonObject
    {
        ["id"] = id,
        ["name"] = "report",
        ["webUrl"] = $"https://contoso.sharepoint.com/sites/nap/{id}",
    }.ToJsonString();

    private IRequestBuilder Content() => Request.Create().UsingPut()
        .WithPath(new WildcardMatcher($"/v1.0/drives/{Drive}/items/root:/*:/content"));

    [Fact]
    public async Task A_small_file_is_uploaded_with_one_put_that_replaces_the_existing_file()
    {
        _graph.Given(Content()).RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-small")));
        var bytes = Encoding.UTF8.GetBytes("﻿Soort;Doel\r\nbijdrage;G1\r\n");

        var published = await Publisher().PublishAsync("2026", "voortgangsrapportage-nap-iv-2026.csv", CsvReportWriter.ContentType, new MemoryStream(bytes));

        Assert.Equal("item-small", published.ItemId);
        Assert.Equal("https://contoso.sharepoint.com/sites/nap/item-small", published.WebUrl);
        var request = Assert.Single(_graph.LogEntries).RequestMessage;
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"/v1.0/drives/{Drive}/items/root:/NAP1325 rapportages/2026/voortgangsrapportage-nap-iv-2026.csv:/content", Uri.UnescapeDataString(request.AbsolutePath));
        Assert.Equal("replace", request.Query!["@microsoft.graph.conflictBehavior"].Single());
        Assert.Equal("Bearer " + Token, request.Headers!["Authorization"].Single());
        Assert.StartsWith("text/csv", request.Headers["Content-Type"].Single(), StringComparison.Ordinal);
        Assert.Equal(bytes, request.BodyAsBytes);
    }

    [Fact]
    public async Task Without_a_drive_id_the_sites_default_library_is_used()
    {
        _graph.Given(Request.Create().UsingGet().WithPath("/v1.0/sites/contoso.sharepoint.com,site-guid,web-guid/drive"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{\"id\":\"default-drive\"}"));
        _graph.Given(Request.Create().UsingPut().WithPath(new WildcardMatcher("/v1.0/drives/default-drive/items/root:/*:/content")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-default")));
        var publisher = new GraphReportPublisher(Client(), new SharePointOptions { SiteId = "contoso.sharepoint.com,site-guid,web-guid", Folder = "" });

        Assert.Equal("item-default", (await publisher.PublishAsync("2026", "a.json", JsonReportWriter.ContentType, new MemoryStream("{}"u8.ToArray()))).ItemId);
        Assert.Equal("item-default", (await publisher.PublishAsync("2026", "b.json", JsonReportWriter.ContentType, new MemoryStream("{}"u8.ToArray()))).ItemId);

        // The library is looked up once; the folder setting may be empty.
        Assert.Single(_graph.LogEntries, e => e.RequestMessage.Method == "GET");
        Assert.All(_graph.LogEntries, e => Assert.Equal("Bearer " + Token, e.RequestMessage.Headers!["Authorization"].Single()));
        Assert.All(_credential.Scopes, s => Assert.Equal(new[] { "https://graph.microsoft.com/.default" }, s));
        Assert.Contains(_graph.LogEntries, e => Uri.UnescapeDataString(e.RequestMessage.AbsolutePath) == "/v1.0/drives/default-drive/items/root:/2026/b.json:/content");
    }

    [Fact]
    public async Task A_file_over_four_megabytes_goes_through_an_upload_session()
    {
        // SharePoint hands out upload URLs on its own host; they carry their own authorization in the URL.
        var uploadUrl = OtherHostUrl + "/upload/session-1";
        var content = new byte[GraphReportPublisher.SimpleUploadLimit + 1_000_000];
        new Random(5).NextBytes(content);
        var firstSlice = GraphReportPublisher.SliceSize;
        _graph.Given(Request.Create().UsingPost().WithPath(new WildcardMatcher($"/v1.0/drives/{Drive}/items/root:/*:/createUploadSession")))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["uploadUrl"] = uploadUrl,
                ["expirationDateTime"] = "2030-01-01T00:00:00Z",
                ["nextExpectedRanges"] = new JsonArray("0-"),
            }.ToJsonString()));
        _graph.Given(Request.Create().UsingPut().WithPath("/upload/session-1").WithHeader("Content-Range", $"bytes 0-{firstSlice - 1}/{content.Length}"))
            .RespondWith(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json").WithBody(new JsonObject
            {
                ["expirationDateTime"] = "2030-01-01T00:00:00Z",
                ["nextExpectedRanges"] = new JsonArray($"{firstSlice}-"),
            }.ToJsonString()));
        _graph.Given(Request.Create().UsingPut().WithPath("/upload/session-1").WithHeader("Content-Range", $"bytes {firstSlice}-{content.Length - 1}/{content.Length}"))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-large")));

        // Sent as the report service sends it: read from its blob in ranges, never whole in memory. (Random bytes, not
        // a document: the blob is named so that scans of the shared storage do not take it for one, and removed.)
        await using var services = new ReportServices();
        var container = await services.Get<NapStorage>().ContainerAsync(StorageNames.ReportsContainer);
        var blob = container.GetBlobClient($"publisher-test/{Guid.NewGuid():N}.bin");
        await blob.UploadAsync(BinaryData.FromBytes(content));
        PublishedFile published;
        try
        {
            await using var stored = await services.Get<ReportStore>().OpenForPublishingAsync(
                new StoredReportFile("large.docx", "docx", blob.Name, DocxReportWriter.ContentType, content.Length, "", null, null));
            published = await Publisher().PublishAsync("2026", "voortgangsrapportage-nap-iv-2026.docx", DocxReportWriter.ContentType, stored);
        }
        finally
        {
            await blob.DeleteIfExistsAsync();
        }

        Assert.Equal("item-large", published.ItemId);
        var requests = _graph.LogEntries.Select(e => e.RequestMessage).ToList();
        var session = Assert.Single(requests, r => r.Method == "POST");
        Assert.Equal($"/v1.0/drives/{Drive}/items/root:/NAP1325 rapportages/2026/voortgangsrapportage-nap-iv-2026.docx:/createUploadSession", Uri.UnescapeDataString(session.AbsolutePath));
        Assert.Equal("replace", (string)JsonNode.Parse(session.Body!)!["item"]!["@microsoft.graph.conflictBehavior"]!);
        var slices = requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, slices.Count);
        Assert.Equal(new object[] { 202, 201 }, _graph.LogEntries.Where(e => e.RequestMessage.Method == "PUT").Select(e => e.ResponseMessage.StatusCode));
        Assert.Equal(content, slices.SelectMany(s => s.BodyAsBytes!).ToArray());
        Assert.DoesNotContain(requests, r => r.Method == "PUT" && r.Path.EndsWith("/content", StringComparison.Ordinal));
        // The Graph call carries the app's token; the slices to the upload URL carry none: the URL authorizes itself, an
        // Authorization header there may be answered 401, and the app's token must not leave the Graph host.
        Assert.Equal("Bearer " + Token, session.Headers!["Authorization"].Single());
        Assert.All(slices, s => Assert.False(s.Headers!.Keys.Any(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase)),
            $"An upload slice to {s.Url} carried an Authorization header."));
    }

    [Fact]
    public async Task Throttling_is_retried_after_the_time_graph_asks_for()
    {
        _graph.Given(Content()).InScenario("throttled").WillSetStateTo("ready")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithHeader("Content-Type", "application/json")
                .WithBody("{\"error\":{\"code\":\"activityLimitReached\",\"message\":\"Slow down\"}}"));
        _graph.Given(Content()).InScenario("throttled").WhenStateIs("ready")
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-after-429")));

        var published = await Publisher().PublishAsync("2026", "voortgangsrapportage-nap-iv-2026.json", JsonReportWriter.ContentType, new MemoryStream(Encoding.UTF8.GetBytes("{}")));

        Assert.Equal("item-after-429", published.ItemId);
        var statuses = _graph.LogEntries.Select(e => e.ResponseMessage.StatusCode).ToList();
        Assert.Equal(new object[] { 429, 201 }, statuses);
        var times = _graph.LogEntries.Select(e => e.RequestMessage.DateTime).ToList();
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(0.9), $"Retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_failed_publication_is_retried_by_the_next_compile_without_a_new_version()
    {
        _graph.Given(Content()).RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json")
            .WithBody("{\"error\":{\"code\":\"generalException\",\"message\":\"boom\"}}"));
        await using var services = new ReportServices(
            new Dictionary<string, string?> { ["SharePoint:SiteId"] = "site-1", ["SharePoint:DriveId"] = Drive },
            s => s.AddSingleton(Client()));
        Assert.IsType<GraphReportPublisher>(services.Get<IReportPublisher>());
        var registry = await services.SeedRegistryAsync();
        var cycle = await services.CreateCycleAsync();
        foreach (var (s, i) in registry.Where(s => s.Active).Take(3).Select((s, i) => (s, i)))
            await SubmissionWriter.WriteAsync(services.Provider, cycle, s.Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(i + 1).ToJsonString()), cycle.DeadlineUtc.AddDays(-3 + i));
        var reports = services.Get<ReportService>();

        var first = await reports.CompileAsync(cycle.Id, ReportKind.Draft, null);
        Assert.True(first.Created);
        Assert.Equal(PublishStatus.Failed, first.Version!.PublishStatus);
        Assert.Equal(1, first.Version.PublishAttempts);
        Assert.Equal("ODataError", first.Version.PublishErrorType);
        Assert.DoesNotContain("boom", services.Logs.All, StringComparison.Ordinal);

        _graph.Reset();
        _graph.Given(Content()).RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-retried")));
        var second = await reports.CompileAsync(cycle.Id, ReportKind.Draft, null);

        Assert.False(second.Created);
        Assert.Equal(first.Version.Version, second.Version!.Version);
        Assert.Equal(PublishStatus.Published, second.Version.PublishStatus);
        Assert.Equal(2, second.Version.PublishAttempts);
        Assert.Equal(3, _graph.LogEntries.Count(e => e.RequestMessage.Method == "PUT"));
        // The files came from Blob Storage, byte for byte as compiled.
        var bodies = _graph.LogEntries.Select(e => e.RequestMessage.BodyAsBytes!).ToList();
        foreach (var file in second.Version.Files)
            Assert.Contains(bodies, b => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b)) == file.Sha256);
        var row = (await services.Get<NapStorage>().Tables.GetTableClient(ReportStorageNames.VersionsTable)
            .GetEntityAsync<TableEntity>(cycle.Id, ReportStore.VersionKey(first.Version.Version))).Value;
        Assert.Equal("item-retried", row.GetString("DocxItemId"));
        Assert.Equal("https://contoso.sharepoint.com/sites/nap/item-retried", row.GetString("DocxWebUrl"));
        Assert.Single(await services.Get<ReportStore>().ListAsync(cycle.Id));
    }
    [Fact]
    public async Task A_final_goes_to_sharepoint_under_its_versioned_name_and_the_stable_latest_name_so_a_newer_final_replaces_only_latest()
    {
        _graph.Given(Content()).RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(DriveItem("item-final")));
        await using var services = new ReportServices(
            new Dictionary<string, string?> { ["SharePoint:SiteId"] = "site-1", ["SharePoint:DriveId"] = Drive },
            s => s.AddSingleton(Client()));
        var registry = (await services.SeedRegistryAsync()).Where(s => s.Active).ToList();
        var cycle = await services.CreateCycleAsync();
        await SubmissionWriter.WriteAsync(services.Provider, cycle, registry[0].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(1).ToJsonString()), cycle.DeadlineUtc.AddDays(-3));
        var reports = services.Get<ReportService>();
        var first = (await reports.CompileAsync(cycle.Id, ReportKind.Final, null)).Version!;
        await SubmissionWriter.WriteAsync(services.Provider, cycle, registry[1].Id, SubmissionWriter.Utf8(SampleSubmissions.Valid(2).ToJsonString()), cycle.DeadlineUtc.AddDays(-2));
        var second = (await reports.CompileAsync(cycle.Id, ReportKind.Final, null)).Version!;

        var paths = _graph.LogEntries.Where(e => e.RequestMessage.Method == "PUT").Select(e => Uri.UnescapeDataString(e.RequestMessage.Path)).ToList();
        foreach (var ext in new[] { "docx", "json", "csv" })
        {
            var latest = $"NAP1325 rapportages/{cycle.Id}/voortgangsrapportage-nap-iv-{cycle.Id}.{ext}";
            Assert.Equal(2, paths.Count(p => p.Contains(latest, StringComparison.Ordinal)));
            foreach (var v in new[] { first.Version, second.Version })
                Assert.Single(paths, p => p.Contains($"NAP1325 rapportages/{cycle.Id}/voortgangsrapportage-nap-iv-{cycle.Id}-v{v}.{ext}", StringComparison.Ordinal));
        }
        Assert.Equal(12, paths.Count);
    }
}
