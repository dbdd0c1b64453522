using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nap.Cycles;
using Nap.DevHost;
using Nap.Security;
using Nap.Signatories;

namespace Nap.Tests.Infrastructure;

/// <summary>
/// The dev host in-process on a free port against the test run's Azurite, with the sample registry seeded and every
/// log line captured. Subclass and override <see cref="Configure"/> to swap services (fake clock, failing store, …).
/// </summary>
public class DevHostFixture : IAsyncLifetime
{
    private static int _nextCycleYear = 3000 + Random.Shared.Next(0, 500) * 10;

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public LogSink Logs { get; } = new();
    public IReadOnlyList<Signatory> Signatories { get; private set; } = [];

    public IServiceProvider Services => App.Services;
    public TokenService Tokens => Services.GetRequiredService<TokenService>();
    public SignatoryLinks Links => Services.GetRequiredService<SignatoryLinks>();

    /// <summary>
    /// A link for the signatory's primary contact, valid 59 days (under the 60-day maximum), minted straight by the token service (so a test can
    /// also hold one for an inactive signatory or a cycle that does not exist); the lifetime rules are SignatoryLinks'.
    /// </summary>
    public string Token(string signatoryId, string cycleId)
    {
        var s = Signatories.FirstOrDefault(x => x.Id == signatoryId);
        var email = s?.ContactsIn(ContactRole.Primary).Concat(s.Contacts).FirstOrDefault()?.Email ?? "nobody@example.org";
        return Tokens.IssueAsync(new LinkClaims(signatoryId, cycleId, Nap.Reminders.ReminderLedger.RecipientHash(email)),
            Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(59)).GetAwaiter().GetResult();
    }

    /// <summary>Settings on top of local.settings.sample.json; storage always points at <see cref="StorageConnectionString"/>.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The test run's shared Azurite, unless a fixture brings its own (one it may freeze).</summary>
    protected virtual string StorageConnectionString => Azurite.ConnectionString;

    protected virtual void Configure(WebApplicationBuilder builder) { }

    public virtual async Task InitializeAsync()
    {
        var port = Azurite.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var settings = new Dictionary<string, string?>
        {
            ["NapStorage"] = StorageConnectionString,
            ["AzureWebJobsStorage"] = StorageConnectionString,
            ["Nap:RegistryCacheSeconds"] = "0",
            ["Nap:PublicBaseUrl"] = BaseAddress.ToString().TrimEnd('/'),
            ["DevHost:MetadataFile"] = MetadataFile,
            ["DevHost:BlobPollMilliseconds"] = "200",
        };
        foreach (var (k, v) in Settings) settings[k] = v;
        App = DevHostApp.Build(["--urls", BaseAddress.ToString().TrimEnd('/')], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(Logs);
            Configure(builder);
        });
        await App.StartAsync();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Signatories = (await SampleData.SeedAsync(Services.GetRequiredService<ISignatoryRegistry>(), Services.GetRequiredService<ICycleStore>())).Signatories;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static string MetadataFile
    {
        get
        {
            var here = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
            return File.Exists(here) ? here : throw new FileNotFoundException("functions.metadata was not copied to the test output.", here);
        }
    }

    public IEnumerable<Signatory> ActiveSignatories => Signatories.Where(s => s.Active);

    /// <summary>A fresh open cycle with a unique id, relative to the host's clock, so tests never share one.</summary>
    public Task<ReportingCycle> CreateCycleAsync(int openedDaysAgo = 10, int deadlineInDays = 30, bool acceptLate = true, CycleStatus status = CycleStatus.Open) =>
        CreateCycleInYearAsync(Interlocked.Increment(ref _nextCycleYear), openedDaysAgo, deadlineInDays, acceptLate, status);

    /// <summary>Two open cycles next to each other in id order (no other test's cycle between them): last year and this year.</summary>
    public async Task<(ReportingCycle Previous, ReportingCycle Current)> CreateConsecutiveCyclesAsync()
    {
        var year = Interlocked.Add(ref _nextCycleYear, 2);
        return (await CreateCycleInYearAsync(year - 1, 10, 30, true, CycleStatus.Open), await CreateCycleInYearAsync(year, 10, 30, true, CycleStatus.Open));
    }

    private async Task<ReportingCycle> CreateCycleInYearAsync(int year, int openedDaysAgo, int deadlineInDays, bool acceptLate, CycleStatus status)
    {
        var now = Nap.Api.AmsterdamTime.ToLocal(Services.GetRequiredService<TimeProvider>().GetUtcNow()).DateTime;
        var cycle = new ReportingCycle(year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new DateOnly(year, 1, 1), new DateOnly(year, 12, 31),
            DateOnly.FromDateTime(now.AddDays(-openedDaysAgo)), now.Date.AddDays(deadlineInDays).AddHours(17),
            ReportingCycle.DefaultReminderOffsets, ReportingCycle.DefaultOverdueOffsets, acceptLate, status);
        await Services.GetRequiredService<ICycleStore>().UpsertAsync(cycle);
        return cycle;
    }

    /// <summary>A cycle id no other test uses (from the same range as <see cref="CreateCycleAsync"/>), for a cycle a test opens itself.</summary>
    public static string NewCycleId() => Interlocked.Increment(ref _nextCycleYear).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient SignatoryClient(string signatoryId, string cycleId) => ClientWith(Token(signatoryId, cycleId));
    public HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A signed-in staff member with these app roles (header as Easy Auth injects it).</summary>
    public HttpClient StaffClient(params string[] roles) => NewClient().WithStaff(roles);

    public HttpClient CoordinatorClient() => StaffClient(StaffRoles.Coordinator);
}
