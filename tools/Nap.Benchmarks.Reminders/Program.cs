using System.Diagnostics;
using System.Globalization;
using System.Text;
using AccessToken = Azure.Core.AccessToken;
using TokenCredential = Azure.Core.TokenCredential;
using TokenRequestContext = Azure.Core.TokenRequestContext;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using MimeKit;
using Nap;
using Nap.Cycles;
using Nap.Graph;
using Nap.LocalAzurite;
using Nap.Reminders;
using Nap.Signatories;
using Nap.Storage;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

// Usage: dotnet run -c Release --project tools/Nap.Benchmarks.Reminders [-- --signatories 1000 --concurrency 4 --throttled-percent 10]
// Starts its own in-memory Azurite from the repo's node_modules (run `npm ci` first) unless NAP_BENCH_STORAGE is set.
var signatoryCount = Arg("--signatories", 1000);
var concurrency = Arg("--concurrency", 4);
var throttledPercent = Arg("--throttled-percent", 10);

var connection = Environment.GetEnvironmentVariable("NAP_BENCH_STORAGE") is { Length: > 0 } s ? s : AzuriteProcess.Start().ConnectionString;
using var graph = WireMockServer.Start();
var requestNumber = 0;
// Every n-th answer is a 429 with Retry-After: 0, so the cost measured is the extra round trip, not a sleep.
graph.Given(Request.Create().WithPath("/v1.0/users/*/sendMail").UsingPost()).RespondWith(Response.Create().WithCallback(_ =>
    throttledPercent > 0 && Interlocked.Increment(ref requestNumber) % (100 / throttledPercent) == 0
        ? new WireMock.ResponseMessage { StatusCode = 429, Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Retry-After"] = new("0") } }
        : new WireMock.ResponseMessage { StatusCode = 202 }));
var baseUrl = graph.Url!.TrimEnd('/') + "/v1.0";

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["NapStorage"] = connection,
    ["Nap:PublicBaseUrl"] = "https://nap1325.example.nl",
    ["Graph:BaseUrl"] = baseUrl,
    ["Graph:Mailbox"] = "nap1325@ministry.example.nl",
    ["Reminders:MessagesPerMinute"] = "1000000", // pacing lifted
    ["Reminders:MaxConcurrentSends"] = concurrency.ToString(CultureInfo.InvariantCulture),
    ["Reminders:SweepBudgetSeconds"] = "3600",
    ["Reminders:Coordinators"] = "",
}).Build();
var services = new ServiceCollection();
services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
services.AddSingleton<GraphServiceClient>(sp => GraphClientBuilder.Create(sp.GetRequiredService<GraphOptions>(), new StaticCredential()));
services.AddNapCore(configuration);
services.AddNapReminders(configuration);
await using var provider = services.BuildServiceProvider();

// 1,000 fictional signatories with a primary and a secondary contact each, and one cycle that opens today.
var registry = provider.GetRequiredService<ISignatoryRegistry>();
var signatories = Enumerable.Range(1, signatoryCount).Select(i => new Signatory($"bench-{i:D4}", $"Benchmark organisation {i}", SignatoryKind.CivilSocietyOrganisation,
    i % 4 == 0 ? "en" : "nl", true,
    [new Contact($"Primary {i}", $"primary.{i:D4}@bench.example.org", ContactRole.Primary), new Contact($"Secondary {i}", $"secondary.{i:D4}@bench.example.org", ContactRole.Secondary)])).ToList();
await registry.UpsertAsync(signatories);
var today = Nap.Api.AmsterdamTime.Today(TimeProvider.System);
var cycle = new ReportingCycle((9000 + Random.Shared.Next(0, 999)).ToString(CultureInfo.InvariantCulture), new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31),
    today, today.AddDays(60).ToDateTime(new TimeOnly(17, 0)), ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, true, CycleStatus.Open);
var cycles = provider.GetRequiredService<ICycleStore>();
await cycles.UpsertAsync(cycle);
var emails = signatoryCount * 2;
Console.WriteLine($"Reminder sweep benchmark: {signatoryCount} signatories, {emails} invitations, concurrency {concurrency}, every {100 / Math.Max(throttledPercent, 1)}th Graph answer a 429 (Retry-After: 0), pacing lifted.");

// Warm-up: one request through each path, so neither pays for JIT or the first connection.
using var plain = new HttpClient();
await plain.PostAsync($"{baseUrl}/users/warmup/sendMail", new StringContent("d2FybS11cA==", Encoding.ASCII, "text/plain"));
await provider.GetRequiredService<IMailSender>().SendAsync(new OutgoingMail([new MailAddress("warmup@bench.example.org")], "warm-up", "<p>warm-up</p>", "warm-up", "en"));
graph.ResetLogEntries();

var sweep = provider.GetRequiredService<ReminderSweep>();
var watch = Stopwatch.StartNew();
var summary = await sweep.RunAsync();
var sweepTime = watch.Elapsed;
var second = await sweep.RunAsync();

var sendMails = graph.LogEntries.Where(e => e.RequestMessage.Path.EndsWith("/sendMail", StringComparison.Ordinal)).ToList();
// The app sends MIME: the body is the base64 of an RFC 5322 message.
var accepted = sendMails.Where(e => Equals(e.ResponseMessage.StatusCode, 202) || e.ResponseMessage.StatusCode?.ToString() == "202")
    .Select(e => MimeMessage.Load(new MemoryStream(Convert.FromBase64String(e.RequestMessage.Body!))))
    .Select(m => (m.To.Mailboxes.First().Address, m.Subject)).ToList();
var throttled = sendMails.Count - accepted.Count;
var duplicates = accepted.Count - accepted.Distinct().Count();
var ledger = await provider.GetRequiredService<ReminderLedger>().ListAsync(cycle.Id);

// Baseline, same run: the same number of plain POSTs of a like-sized body to the same mock at the same concurrency.
var body = sendMails[0].RequestMessage.Body!;
graph.ResetLogEntries();
watch.Restart();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    while (Interlocked.Increment(ref next) < sendMails.Count)
        (await plain.PostAsync($"{baseUrl}/users/nap1325%40ministry.example.nl/sendMail", new StringContent(body, Encoding.ASCII, "text/plain"))).Dispose();
}));
var baselineTime = watch.Elapsed;

Console.WriteLine();
Console.WriteLine($"| measure | value |");
Console.WriteLine($"|---|---|");
Console.WriteLine($"| emails sent (Graph 202) | {accepted.Count} of {emails} |");
Console.WriteLine($"| ledger rows sent | {ledger.Count(e => e.Status == LedgerStatus.Sent)} |");
Console.WriteLine($"| throttled answers (429), retried inside the call | {throttled} |");
Console.WriteLine($"| duplicates | {duplicates} |");
Console.WriteLine($"| second sweep sent | {second.Sent} |");
Console.WriteLine($"| sweep time | {sweepTime.TotalSeconds:F2} s ({accepted.Count / sweepTime.TotalSeconds:F0} emails/s) |");
Console.WriteLine($"| baseline: {sendMails.Count} plain POSTs at concurrency {concurrency} | {baselineTime.TotalSeconds:F2} s ({sendMails.Count / baselineTime.TotalSeconds:F0} requests/s) |");
Console.WriteLine($"| ratio sweep / baseline | {sweepTime.TotalSeconds / baselineTime.TotalSeconds:F1} |");
Console.WriteLine($"| sweep summary | sent {summary.Sent}, not accepted {summary.NotAccepted}, uncertain {summary.Uncertain}, failed {summary.Failed} |");
return duplicates == 0 && accepted.Count == emails && second.Sent == 0 ? 0 : 1;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Hands out a fixed token: the mock does not check it, and no identity platform is reachable here.</summary>
internal sealed class StaticCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("benchmark-token", DateTimeOffset.UtcNow.AddHours(1));
    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

