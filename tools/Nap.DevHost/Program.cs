using Nap.Cycles;
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
    var tokens = app.Services.GetRequiredService<TokenService>();
    var open = cycles.Where(c => c.Status == CycleStatus.Open).OrderBy(c => c.Id, StringComparer.Ordinal).LastOrDefault();
    var signatory = signatories.First(s => s.Active && s.Kind == SignatoryKind.CivilSocietyOrganisation);
    Console.WriteLine($"Seeded {signatories.Count} signatories and {cycles.Count} cycles.");
    if (open is not null)
    {
        Console.WriteLine($"Signatory token ({signatory.Id}, cycle {open.Id}):");
        var token = tokens.IssueForSignatory(signatory.Id, open.Id);
        Console.WriteLine(token);
        // A local, fictional signatory: printing its link is what a developer needs to open the form.
        Console.WriteLine($"Form: http://localhost:7071/api/form#token={token}");
    }
    // Staff sign in as with Easy Auth in Azure; locally the dev host's stand-in lets you pick a name and app roles.
    Console.WriteLine($"Staff sign-in: http://localhost:7071{EasyAuthStandIn.LoginPath}?post_login_redirect_uri=/.auth/me");
}

await app.RunAsync();
