using Nap.Cycles;
using Nap.Graph;
using Nap.Reports;
using Nap.DevHost;
using Nap.Security;
using Nap.Signatories;

// Local stand-in for `func start`: same function classes, same services, Azurite for storage.
// --seed loads the sample registry and cycles and prints a signatory link and the local staff sign-in page.
var seed = args.Contains("--seed");
var app = DevHostApp.Build(args.Where(a => a != "--seed").ToArray());

if (seed)
{
    var (signatories, cycles) = await SampleData.SeedAsync(
        app.Services.GetRequiredService<ISignatoryRegistry>(), app.Services.GetRequiredService<ICycleStore>());
    var links = app.Services.GetRequiredService<SignatoryLinks>();
    // Every open cycle in storage, also one opened with nap-admin since the last run.
    var open = (await app.Services.GetRequiredService<ICycleStore>().ListAsync()).Where(c => c.Status == CycleStatus.Open).OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
    var signatory = signatories.First(s => s.Active && s.Kind == SignatoryKind.CivilSocietyOrganisation);
    Console.WriteLine($"Seeded {signatories.Count} signatories and {cycles.Count} cycles.");
    foreach (var cycle in open)
    {
        Console.WriteLine($"Signatory token ({signatory.Id}, cycle {cycle.Id}):");
        var token = await links.IssueAsync(signatory.Id, cycle.Id);
        Console.WriteLine(token);
        // A local, fictional signatory: printing its link is what a developer needs to open the form.
        Console.WriteLine($"Form (cycle {cycle.Id}): http://localhost:7071/api/form#token={token}");
    }
    if (open.Count == 0) Console.WriteLine("No open cycle: open one with tools/nap-admin cycles open.");
    // Where what the app would send out of the machine lands when no tenant is configured.
    if (app.Services.GetRequiredService<IMailSender>() is OutboxMailSender outbox)
        Console.WriteLine($"Emails: {outbox.Folder}/ (one .eml file per message)");
    if (app.Services.GetRequiredService<IReportPublisher>() is LocalFolderReportPublisher published)
        Console.WriteLine($"Published reports: {Path.Combine(published.Root, app.Services.GetRequiredService<SharePointOptions>().Folder)}/<cycle>/");
    // Staff sign in as with Easy Auth in Azure; locally the dev host's stand-in lets you pick a name and app roles.
    Console.WriteLine($"Staff sign-in: http://localhost:7071{EasyAuthStandIn.LoginPath}?post_login_redirect_uri=/.auth/me");
}

await app.RunAsync();
