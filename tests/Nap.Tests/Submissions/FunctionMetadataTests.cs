using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nap.DevHost;
using Nap.Tests.Infrastructure;

namespace Nap.Tests.Submissions;

/// <summary>The triggers the Worker SDK generated from the function classes, and that the dev host serves them all.</summary>
public sealed class FunctionMetadataTests(DevHostFixture host) : IClassFixture<DevHostFixture>
{
    private static readonly JsonArray Metadata = JsonNode.Parse(File.ReadAllText(DevHostFixture.MetadataFile))!.AsArray();

    private static JsonObject Trigger(string function) =>
        Metadata.Single(f => (string)f!["name"]! == function)!["bindings"]!.AsArray()
            .Single(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!.AsObject();

    [Theory]
    [InlineData("SubmitProgress", "post", "cycles/{cycleId}/submissions")]
    [InlineData("GetMySubmission", "get", "cycles/{cycleId}/submissions/mine")]
    [InlineData("GetCycleStatus", "get", "cycles/{cycleId}/status")]
    [InlineData("ListCycles", "get", "cycles")]
    [InlineData("GetFramework", "get", "framework")]
    [InlineData("GetCountries", "get", "countries")]
    [InlineData("GetHealth", "get", "health")]
    [InlineData("GetOpenApi", "get", "openapi.json")]
    [InlineData("GetDraft", "get", "cycles/{cycleId}/draft")]
    [InlineData("SaveDraft", "put", "cycles/{cycleId}/draft")]
    [InlineData("DeleteDraft", "delete", "cycles/{cycleId}/draft")]
    [InlineData("CarryOverDraft", "post", "cycles/{cycleId}/draft/carry-over")]
    [InlineData("SetReminderPause", "put", "cycles/{cycleId}/signatories/{signatoryId}/reminders")]
    [InlineData("SetDeadlineExtension", "put", "cycles/{cycleId}/signatories/{signatoryId}/extension")]
    [InlineData("ListReminderLedger", "get", "cycles/{cycleId}/reminders")]
    [InlineData("RequestLink", "post", "links")]
    [InlineData("RequestFinalReport", "post", "cycles/{cycleId}/report")]
    [InlineData("ListReports", "get", "cycles/{cycleId}/report")]
    [InlineData("DownloadReportFile", "get", "cycles/{cycleId}/report/{version}/{file}")]
    [InlineData("GetReportTexts", "get", "cycles/{cycleId}/report/texts")]
    [InlineData("PutReportTexts", "put", "cycles/{cycleId}/report/texts")]
    [InlineData("RedactVersion", "post", "cycles/{cycleId}/signatories/{signatoryId}/submissions/{version}/redactions")]
    [InlineData("RequestVerificationCode", "post", "cycles/{cycleId}/verification")]
    [InlineData("ConfirmVerificationCode", "post", "cycles/{cycleId}/verification/confirm")]
    [InlineData("ListSignatorySubmissions", "get", "cycles/{cycleId}/signatories/{signatoryId}/submissions")]
    [InlineData("GetSignatorySubmission", "get", "cycles/{cycleId}/signatories/{signatoryId}/submissions/{version}")]
    [InlineData("DiffSignatorySubmissions", "get", "cycles/{cycleId}/signatories/{signatoryId}/submissions/diff")]
    [InlineData("GetCycleStatusCsv", "get", "cycles/{cycleId}/status.csv")]
    [InlineData("RetryReminder", "post", "cycles/{cycleId}/reminders/{entryId}/retry")]
    [InlineData("ListSignatories", "get", "signatories")]
    [InlineData("GetSignatory", "get", "signatories/{signatoryId}")]
    [InlineData("CreateSignatory", "post", "signatories")]
    [InlineData("UpdateSignatory", "put", "signatories/{signatoryId}")]
    [InlineData("DeactivateSignatory", "post", "signatories/{signatoryId}/deactivate")]
    [InlineData("ImportSignatories", "post", "signatories/import")]
    [InlineData("OpenCycle", "post", "cycles")]
    [InlineData("GetCycle", "get", "cycles/{cycleId}")]
    [InlineData("EditCycle", "put", "cycles/{cycleId}")]
    [InlineData("CloseCycle", "post", "cycles/{cycleId}/close")]
    public void Http_functions_have_their_route_method_and_anonymous_auth(string function, string method, string route)
    {
        var trigger = Trigger(function);
        Assert.Equal("httpTrigger", (string)trigger["type"]!);
        Assert.Equal(route, (string)trigger["route"]!);
        Assert.Equal([method], trigger["methods"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("Anonymous", (string)trigger["authLevel"]!);
    }

    [Theory]
    [InlineData("SendReminders", "%Reminders:Schedule%")]
    [InlineData("CompileStaleDrafts", "%Reports:RecoverySchedule%")]
    [InlineData("SweepExpiredRows", "%Retention:Schedule%")]
    public void Timers_take_their_utc_schedule_from_a_setting_and_do_not_run_on_startup(string function, string schedule)
    {
        var trigger = Trigger(function);
        Assert.Equal("timerTrigger", (string)trigger["type"]!);
        Assert.Equal(schedule, (string)trigger["schedule"]!);
        Assert.False((bool?)trigger["runOnStartup"] ?? false);
    }

    [Theory]
    [InlineData("CompileDraftReport", "submissions/{cycleId}/{signatoryId}/{name}")]
    [InlineData("CompileFinalReport", "report-requests/{cycleId}/{name}")]
    public void Blob_triggers_are_delivered_by_event_grid_outside_the_reports_container(string function, string path)
    {
        var trigger = Trigger(function);
        Assert.Equal("blobTrigger", (string)trigger["type"]!);
        Assert.Equal(path, (string)trigger["path"]!);
        Assert.Equal("EventGrid", (string)trigger["source"]!);
        Assert.Equal("NapStorage", (string)trigger["connection"]!);
        // Compiled reports are written to their own container, so compiling never triggers itself.
        Assert.False(path.StartsWith(Nap.Storage.StorageNames.ReportsContainer + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_function_in_functions_metadata_is_served_by_the_dev_host()
    {
        var served = host.Services.GetRequiredService<ServedFunctions>().All.Select(f => f.Name).ToHashSet();
        var declared = Metadata.Select(f => (string)f!["name"]!).ToList();
        Assert.NotEmpty(declared);
        Assert.All(declared, name => Assert.Contains(name, served));
    }

    [Theory]
    [InlineData("AzureWebJobs.CompileDraftReport.Disabled", "true", true)]
    [InlineData("AzureWebJobs:CompileDraftReport:Disabled", "1", true)]
    [InlineData("AzureWebJobs.CompileDraftReport.Disabled", "false", false)]
    [InlineData("AzureWebJobs.CompileFinalReport.Disabled", "true", false)]
    public void The_dev_host_honours_the_hosts_disabled_setting(string key, string value, bool disabled)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        Assert.Equal(disabled, DevHostApp.IsDisabled(configuration, "CompileDraftReport"));
    }

    [Fact]
    public void Every_http_function_is_anonymous_and_checks_its_own_token() =>
        Assert.All(Metadata.Select(f => f!["bindings"]!.AsArray().Single(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!)
            .Where(t => (string)t["type"]! == "httpTrigger"), t => Assert.Equal("Anonymous", (string)t["authLevel"]!));
}

/// <summary>The OpenAPI description served by the app documents every HTTP route the function classes declare.</summary>
public sealed class OpenApiDescriptionTests
{
    [Fact]
    public void Every_http_route_in_functions_metadata_is_described_with_its_methods()
    {
        using var stream = typeof(Nap.Functions.NapFunctionsServices).Assembly.GetManifestResourceStream("Nap.Functions.openapi.json")!;
        var paths = JsonNode.Parse(stream)!["paths"]!.AsObject();
        var routes = JsonNode.Parse(File.ReadAllText(DevHostFixture.MetadataFile))!.AsArray()
            .Select(f => f!["bindings"]!.AsArray().Single(b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!)
            .Where(t => (string)t["type"]! == "httpTrigger")
            .ToList();
        Assert.NotEmpty(routes);
        foreach (var t in routes)
        {
            var path = "/" + ((string)t["route"]!).Replace(":int", "", StringComparison.Ordinal);
            Assert.True(paths.ContainsKey(path), $"openapi.json lacks {path}");
            foreach (var m in t["methods"]!.AsArray())
                Assert.True(paths[path]!.AsObject().ContainsKey((string)m!), $"openapi.json lacks {m} {path}");
        }
    }
}
