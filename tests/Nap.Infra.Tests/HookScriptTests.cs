using System.Text.RegularExpressions;

namespace Nap.Infra.Tests;

/// <summary>
/// The azd hook scripts, checked without azd or az: `bash -n`, their --dry-run output, and real runs
/// against stand-in `az`/`azd` commands that log their arguments.
/// </summary>
public sealed class HookScriptTests : IDisposable
{
    private static readonly string PostDeploy = Repo.Path("infra", "hooks", "postdeploy.sh");

    // Variables the scripts read; cleared for every run so the machine's environment cannot leak in.
    private static readonly string[] ScriptVariables =
    [
        "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "AZURE_EVENTGRID_SYSTEM_TOPIC_NAME", "SUBMISSIONS_CONTAINER_NAME",
        "BLOB_TRIGGER_FUNCTION_NAME", "EVENT_SUBSCRIPTION_NAME", "REPORT_REQUESTS_CONTAINER_NAME", "FINAL_REPORT_FUNCTION_NAME",
        "FINAL_REPORT_SUBSCRIPTION_NAME", "KEY_WAIT_ATTEMPTS", "AZURE_KEY_VAULT_NAME",
    ];

    private readonly DirectoryInfo _bin = Directory.CreateTempSubdirectory("nap-hook-stubs-");

    public void Dispose() => _bin.Delete(recursive: true);

    private string CallLog => Path.Combine(_bin.FullName, "calls.log");

    private string[] Calls() => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>A stand-in command: logs "name arg arg ..." and runs the given bash body.</summary>
    private void Stub(string name, string body = "exit 0")
    {
        var path = Path.Combine(_bin.FullName, name);
        File.WriteAllText(path, $"#!/usr/bin/env bash\necho \"{name} $*\" >> '{CallLog}'\n{body}\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private ProcessResult RunScript(string script, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var environment = ScriptVariables.ToDictionary(v => v, string? (_) => null);
        foreach (var (key, value) in variables) environment[key] = value;
        environment["PATH"] = _bin.FullName + ":" + Environment.GetEnvironmentVariable("PATH");
        return ProcessRunner.Run("bash", [script, .. arguments], Repo.Root, environment, TimeSpan.FromSeconds(30));
    }

    private static readonly Dictionary<string, string> Deployed = new()
    {
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["AZURE_FUNCTION_APP_NAME"] = "func-test",
        ["AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"] = "evgt-test",
        ["KEY_WAIT_ATTEMPTS"] = "1",
    };

    [Theory]
    [InlineData("postdeploy.sh")]
    [InlineData("entra-app.sh")]
    public void Script_passes_bash_syntax_check(string script)
    {
        var check = ProcessRunner.Run("bash", ["-n", Repo.Path("infra", "hooks", script)], Repo.Root);
        Assert.True(check.ExitCode == 0, check.Describe());
        Assert.StartsWith("#!/usr/bin/env bash", File.ReadAllText(Repo.Path("infra", "hooks", script)));
    }

    [Fact]
    public void Postdeploy_dry_run_prints_the_az_commands_and_runs_none()
    {
        Stub("az", "exit 99");
        var run = RunScript(PostDeploy, Deployed, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Empty(Calls());

        var commands = run.StdOut.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
        [
            "+ az functionapp function show --resource-group rg-test --name func-test --function-name CompileDraftReport --output none",
            "+ az functionapp function show --resource-group rg-test --name func-test --function-name CompileFinalReport --output none",
            "+ az functionapp keys list --resource-group rg-test --name func-test --query systemKeys.blobs_extension --output tsv",
            "+ az eventgrid system-topic event-subscription create --name submissions-blob-created --resource-group rg-test"
                + " --system-topic-name evgt-test --endpoint-type webhook"
                + " --endpoint 'https://func-test.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.CompileDraftReport&code=<blobs_extension key>'"
                + " --included-event-types Microsoft.Storage.BlobCreated"
                + " --subject-begins-with /blobServices/default/containers/submissions/blobs/"
                + " --max-delivery-attempts 30 --event-ttl 1440 --output none",
            "+ az eventgrid system-topic event-subscription create --name report-requests-blob-created --resource-group rg-test"
                + " --system-topic-name evgt-test --endpoint-type webhook"
                + " --endpoint 'https://func-test.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.CompileFinalReport&code=<blobs_extension key>'"
                + " --included-event-types Microsoft.Storage.BlobCreated"
                + " --subject-begins-with /blobServices/default/containers/report-requests/blobs/"
                + " --max-delivery-attempts 30 --event-ttl 1440 --output none",
        ], commands);
    }

    [Fact]
    public void Postdeploy_dry_run_follows_the_names_it_is_given()
    {
        var run = RunScript(PostDeploy, new Dictionary<string, string>(Deployed)
        {
            ["BLOB_TRIGGER_FUNCTION_NAME"] = "OtherFunction",
            ["SUBMISSIONS_CONTAINER_NAME"] = "inbox",
            ["EVENT_SUBSCRIPTION_NAME"] = "inbox-created",
            ["FINAL_REPORT_FUNCTION_NAME"] = "OtherFinal",
            ["REPORT_REQUESTS_CONTAINER_NAME"] = "asks",
            ["FINAL_REPORT_SUBSCRIPTION_NAME"] = "asks-created",
        }, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Describe());
        var creates = run.StdOut.Split('\n').Where(l => l.StartsWith("+ az eventgrid system-topic event-subscription create ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, creates.Count);
        Assert.Contains("--name inbox-created ", creates[0]);
        Assert.Contains("functionName=Host.Functions.OtherFunction&code=", creates[0]);
        Assert.Contains("--subject-begins-with /blobServices/default/containers/inbox/blobs/", creates[0]);
        Assert.Contains("--name asks-created ", creates[1]);
        Assert.Contains("functionName=Host.Functions.OtherFinal&code=", creates[1]);
        Assert.Contains("--subject-begins-with /blobServices/default/containers/asks/blobs/", creates[1]);
        Assert.Contains("--function-name OtherFunction ", run.StdOut);
        Assert.Contains("--function-name OtherFinal ", run.StdOut);
        foreach (var defaultName in new[] { "CompileDraftReport", "CompileFinalReport", "containers/submissions/", "containers/report-requests/", "-blob-created" })
            Assert.DoesNotContain(defaultName, run.StdOut);
    }

    [Fact]
    public void Postdeploy_refuses_to_run_without_the_provisioning_outputs()
    {
        var run = RunScript(PostDeploy, new Dictionary<string, string>(), "--dry-run");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("AZURE_RESOURCE_GROUP AZURE_FUNCTION_APP_NAME AZURE_EVENTGRID_SYSTEM_TOPIC_NAME", run.StdErr);
        Assert.Equal(2, RunScript(PostDeploy, Deployed, "--dryrun").ExitCode);
    }

    private const string KeyStub = """
        case "$1 $2 $3" in
          "functionapp function show") exit 0 ;;
          "functionapp keys list") echo "s3cr3t-blob-key" ;;
          *) exit 0 ;;
        esac
        """;

    private List<string> CreateCalls() =>
        Calls().Where(c => c.StartsWith("az eventgrid system-topic event-subscription create ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void Postdeploy_creates_both_subscriptions_with_one_key_lookup_and_does_not_print_the_key()
    {
        Stub("az", KeyStub);
        var run = RunScript(PostDeploy, Deployed);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Single(Calls(), c => c.StartsWith("az functionapp keys list ", StringComparison.Ordinal));

        var creates = CreateCalls();
        Assert.Equal(2, creates.Count);
        var draft = Assert.Single(creates, c => c.Contains("--name submissions-blob-created ", StringComparison.Ordinal));
        Assert.Contains("--endpoint https://func-test.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.CompileDraftReport&code=s3cr3t-blob-key ", draft);
        Assert.Contains("--subject-begins-with /blobServices/default/containers/submissions/blobs/ ", draft);
        var final = Assert.Single(creates, c => c.Contains("--name report-requests-blob-created ", StringComparison.Ordinal));
        Assert.Contains("--endpoint https://func-test.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.CompileFinalReport&code=s3cr3t-blob-key ", final);
        Assert.Contains("--subject-begins-with /blobServices/default/containers/report-requests/blobs/ ", final);
        Assert.All(creates, c =>
        {
            Assert.Contains("--system-topic-name evgt-test ", c);
            Assert.Contains("--endpoint-type webhook ", c);
            Assert.Contains("--included-event-types Microsoft.Storage.BlobCreated ", c);
        });

        Assert.DoesNotContain("s3cr3t-blob-key", run.StdOut + run.StdErr);
        Assert.Contains("'submissions-blob-created' is in place", run.StdOut);
        Assert.Contains("'report-requests-blob-created' is in place", run.StdOut);
    }

    [Fact]
    public void Postdeploy_run_again_creates_the_same_subscriptions()
    {
        // The create command is a PUT: a second run issues the same calls, nothing else (no delete, no error on "exists").
        Stub("az", KeyStub);
        Assert.Equal(0, RunScript(PostDeploy, Deployed).ExitCode);
        var first = CreateCalls();
        File.Delete(CallLog);
        Assert.Equal(0, RunScript(PostDeploy, Deployed).ExitCode);
        Assert.Equal(first, CreateCalls());
        Assert.DoesNotContain(Calls(), c => c.Contains(" delete", StringComparison.Ordinal));
    }

    [Fact]
    public void Postdeploy_skips_when_the_blob_triggered_functions_are_not_deployed()
    {
        Stub("az", """[[ "$1 $2 $3" == "functionapp function show" ]] && exit 3; exit 0""");
        var run = RunScript(PostDeploy, Deployed);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("function 'CompileDraftReport' is not deployed yet", run.StdErr);
        Assert.Contains("function 'CompileFinalReport' is not deployed yet", run.StdErr);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("az functionapp keys", StringComparison.Ordinal));
        Assert.DoesNotContain(Calls(), c => c.StartsWith("az eventgrid", StringComparison.Ordinal));
    }

    [Fact]
    public void Postdeploy_subscribes_the_deployed_function_when_the_other_is_missing()
    {
        Stub("az", """
            case "$1 $2 $3" in
              "functionapp function show") [[ "$*" == *"--function-name CompileFinalReport "* ]] && exit 3; exit 0 ;;
              "functionapp keys list") echo "s3cr3t-blob-key" ;;
              *) exit 0 ;;
            esac
            """);
        var run = RunScript(PostDeploy, Deployed);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("function 'CompileFinalReport' is not deployed yet", run.StdErr);
        Assert.DoesNotContain("CompileDraftReport' is not deployed", run.StdErr);
        var create = Assert.Single(CreateCalls());
        Assert.Contains("--name submissions-blob-created ", create);
        Assert.Contains("functionName=Host.Functions.CompileDraftReport&code=s3cr3t-blob-key ", create);
        Assert.DoesNotContain("s3cr3t-blob-key", run.StdOut + run.StdErr);
    }

    [Fact]
    public void Postdeploy_fails_when_the_key_never_appears()
    {
        Stub("az", """[[ "$1 $2 $3" == "functionapp keys list" ]] && exit 1; exit 0""");
        Stub("sleep");
        var run = RunScript(PostDeploy, Deployed);
        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(Calls(), c => c.StartsWith("az eventgrid", StringComparison.Ordinal));
    }

    [Fact]
    public void Hook_reads_only_names_that_main_bicep_outputs()
    {
        var outputs = CompiledTemplate.Main["outputs"]!.AsObject();
        foreach (var name in new[]
                 {
                     "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "AZURE_EVENTGRID_SYSTEM_TOPIC_NAME", "SUBMISSIONS_CONTAINER_NAME", "BLOB_TRIGGER_FUNCTION_NAME",
                     "REPORT_REQUESTS_CONTAINER_NAME", "FINAL_REPORT_FUNCTION_NAME", "AZURE_KEY_VAULT_NAME",
                 })
            Assert.True(outputs.ContainsKey(name), $"main.bicep has no output {name}");
        var script = File.ReadAllText(PostDeploy);
        Assert.Equal("submissions", CompiledTemplate.Str(CompiledTemplate.Main["variables"]?["submissionsContainer"]));
        Assert.Equal("CompileDraftReport", CompiledTemplate.Str(CompiledTemplate.Main["parameters"]?["blobTriggerFunctionName"]?["defaultValue"]));
        Assert.Contains("BLOB_TRIGGER_FUNCTION_NAME:-CompileDraftReport", script);
        Assert.Contains("SUBMISSIONS_CONTAINER_NAME:-submissions", script);
        Assert.Equal("report-requests", CompiledTemplate.Str(CompiledTemplate.Main["variables"]?["reportRequestsContainer"]));
        Assert.Equal("CompileFinalReport", CompiledTemplate.Str(CompiledTemplate.Main["parameters"]?["finalReportFunctionName"]?["defaultValue"]));
        Assert.Contains("FINAL_REPORT_FUNCTION_NAME:-CompileFinalReport", script);
        Assert.Contains("REPORT_REQUESTS_CONTAINER_NAME:-report-requests", script);
        // Both trigger containers are created by the deployment.
        var containers = CompiledTemplate.Main["variables"]!["storageContainers"]!.AsArray().Select(CompiledTemplate.Str).ToList();
        Assert.Contains("submissions", containers);
        Assert.Contains("report-requests", containers);
    }

    // [Function("Name")] ... [BlobTrigger("container/...", Source = BlobTriggerSource.EventGrid ...)] in the function app's sources.
    private static readonly Regex EventGridBlobTrigger = new(
        @"\[Function\(""(?<function>\w+)""\)\][^\[]*\(\s*\[BlobTrigger\(""(?<container>[^/""]+)/[^""]*""[^\]]*Source\s*=\s*BlobTriggerSource\.EventGrid");

    [Fact]
    public void Postdeploy_subscribes_exactly_the_event_grid_blob_triggers_in_the_code()
    {
        var sources = Directory.EnumerateFiles(Repo.Path("functions", "Nap.Functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var triggers = sources.SelectMany(text => EventGridBlobTrigger.Matches(text))
            .Select(m => $"{m.Groups["function"].Value} <- {m.Groups["container"].Value}").Order().ToList();
        // Every Event Grid blob trigger was recognised (none is laid out in a way the pattern misses).
        Assert.Equal(sources.Sum(text => Regex.Count(text, @"Source\s*=\s*BlobTriggerSource\.EventGrid")), triggers.Count);

        var run = RunScript(PostDeploy, Deployed, "--dry-run");
        Assert.True(run.ExitCode == 0, run.Describe());
        var subscribed = Regex.Matches(run.StdOut, @"functionName=Host\.Functions\.(?<function>\w+)&code=.*--subject-begins-with /blobServices/default/containers/(?<container>[^/]+)/blobs/")
            .Select(m => $"{m.Groups["function"].Value} <- {m.Groups["container"].Value}").Order().ToList();
        Assert.Equal(triggers, subscribed);
    }
}
