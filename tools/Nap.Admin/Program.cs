using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nap;
using Nap.Api;
using Nap.Audit;
using Nap.Configuration;
using Nap.Cycles;
using Nap.Security;
using Nap.Signatories;

// nap-admin: the operators' bootstrapping tool (registry, cycles, signatory links), working on storage directly with the
// operator's own Azure RBAC. Reads the same settings as the app (local.settings.json, then environment). Staff sign in
// with Entra ID; registry and cycle changes made here are written to the audit trail as the operator tool.
const string Usage = """
    nap-admin token signatory <signatory-id> --cycle <cycle-id> [--contact <address>] [--days <n>]
    nap-admin signatories import <file.json|file.csv>
    nap-admin signatories list [--addresses]
    nap-admin signatories revoke <signatory-id>
    nap-admin cycles import <cycles.json>
    nap-admin cycles open <id> --opens <yyyy-MM-dd> --deadline <yyyy-MM-ddTHH:mm> [--period-start d] [--period-end d] [--no-late] [--report-versions accepted|latest]
    nap-admin cycles close <id>
    nap-admin cycles list
    nap-admin privacy migrate
    nap-admin privacy erase --email <address>
    nap-admin privacy redact <cycle-id> <signatory-id> <version> --file <redaction.json> [--key <idempotency-key>]
    nap-admin keys rotate [--dry-run]
    """;

return await Run(args);

static async Task<int> Run(string[] args)
{
    if (args.Length < 2) { Console.Error.WriteLine(Usage); return 2; }
    try
    {
        var configuration = new ConfigurationBuilder()
            .Add(new LocalSettingsSource(LocalSettingsSource.Find()))
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection().AddNapCore(configuration).AddLogging().BuildServiceProvider();
        var registry = services.GetRequiredService<ISignatoryRegistry>();
        var cycles = services.GetRequiredService<ICycleStore>();
        var audit = services.GetRequiredService<IAuditLog>();
        Task Audit(string action, string? cycleId = null, string? signatoryId = null) =>
            audit.AppendAsync(new AuditEvent(AuditActor.AdminTool, action, cycleId, signatoryId));

        switch (args)
        {
            case ["token", "signatory", var id, .. var rest]:
                // A link is for one cycle: without one it would work in every cycle, also ones not opened yet.
                if (Option(rest, "--cycle") is not { } cycleId) return Fail("--cycle <cycle-id> is required: a signatory link is for one cycle.");
                if (await cycles.FindAsync(cycleId) is null) return Fail($"No cycle '{cycleId}'.");
                if (await registry.FindAsync(id) is not { Active: true }) return Fail($"No active signatory '{id}'.");
                // --days can only shorten a link: it never outlives the cycle's deadline plus grace, nor the maximum lifetime.
                var days = Option(rest, "--days") is { } d ? TimeSpan.FromDays(int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)) : (TimeSpan?)null;
                // Signed by the app's link key (Key Vault in Azure, with the operator's own sign permission): no secret here.
                var token = await services.GetRequiredService<SignatoryLinks>().IssueAsync(id, cycleId, Option(rest, "--contact"), days);
                Console.WriteLine(token);
                Console.Error.WriteLine($"Link id (to revoke it alone): {new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Id}");
                return 0;
            case ["signatories", "import", var file]:
                var imported = SignatoryImport.LoadFile(file);
                await registry.UpsertAsync(imported);
                await Audit(AuditActions.RegistryImport);
                Console.WriteLine($"Imported {imported.Count} signatories ({imported.Count(s => s.Active)} active).");
                return 0;
            case ["signatories", "list", .. var rest]:
                // Addresses are personal data: shown only when asked for.
                var addresses = rest.Contains("--addresses");
                Console.WriteLine("id\tname\tkind\tlanguage\tactive\tcontacts" + (addresses ? "\taddresses" : ""));
                foreach (var s in await registry.ListAsync())
                    Console.WriteLine($"{s.Id}\t{s.Name}\t{s.Kind}\t{s.Language}\t{(s.Active ? "active" : "inactive")}\t{s.Contacts.Count}" +
                                      (addresses ? "\t" + string.Join(", ", s.Contacts.Select(c => $"{c.Role.ToString().ToLowerInvariant()}: {c.Name} <{c.Email}>")) : ""));
                return 0;
            case ["signatories", "revoke", var id]:
                await registry.RevokeTokensAsync(id, services.GetRequiredService<TimeProvider>().GetUtcNow());
                await Audit(AuditActions.RegistryRevoke, signatoryId: id);
                Console.WriteLine($"Every link issued to '{id}' until now is revoked (within the registry cache time).");
                return 0;
            case ["cycles", "import", var file]:
                foreach (var c in CycleFile.LoadFile(file)) { await cycles.UpsertAsync(c); await Audit(AuditActions.CycleImport, c.Id); Console.WriteLine($"Cycle {c.Id}: {c.Status}, deadline {AmsterdamTime.Format(c.DeadlineUtc)}"); }
                return 0;
            case ["cycles", "open", var id, .. var rest]:
                var year = int.Parse(id[..4], System.Globalization.CultureInfo.InvariantCulture);
                var cycle = new CycleFile(id,
                    Option(rest, "--period-start") ?? $"{year}-01-01",
                    Option(rest, "--period-end") ?? $"{(id.Length == 9 ? id[5..] : id[..4])}-12-31",
                    Option(rest, "--opens") ?? throw new ArgumentException("--opens is required"),
                    Option(rest, "--deadline") ?? throw new ArgumentException("--deadline is required"),
                    null, null, !rest.Contains("--no-late"), "open", Option(rest, "--report-versions")).ToCycle();
                await cycles.UpsertAsync(cycle);
                await Audit(AuditActions.CycleOpen, cycle.Id);
                Console.WriteLine($"Cycle {cycle.Id} is open from {cycle.OpensOn:yyyy-MM-dd}; deadline {AmsterdamTime.Format(cycle.DeadlineUtc)}.");
                return 0;
            case ["cycles", "close", var id]:
                var existing = await cycles.FindAsync(id);
                if (existing is null) return Fail($"No cycle '{id}'.");
                await cycles.UpsertAsync(existing with { Status = CycleStatus.Closed });
                await Audit(AuditActions.CycleClose, id);
                Console.WriteLine($"Cycle {id} is closed.");
                return 0;
            case ["cycles", "list"]:
                foreach (var c in await cycles.ListAsync())
                    Console.WriteLine($"{c.Id}\t{c.Status}\topens {c.OpensOn:yyyy-MM-dd}\tdeadline {AmsterdamTime.Format(c.DeadlineUtc)}\tlate {(c.AcceptLate ? "accepted" : "refused")}\treport versions {CycleFile.PolicyName(c.ReportVersions)}");
                return 0;
            case ["privacy", "migrate"]:
                var migrated = await services.GetRequiredService<Nap.Privacy.SubmissionPartsMigration>().RunAsync();
                Console.WriteLine($"Split {migrated.Split} stored bodies ({migrated.AlreadySplit} already split, {migrated.Failed} failed).");
                return migrated.Failed == 0 ? 0 : 1;
            case ["privacy", "erase", .. var rest]:
                if (Option(rest, "--email") is not { } email) return Fail("--email <address> is required.");
                var erased = await services.GetRequiredService<Nap.Privacy.PersonErasure>().EraseAsync(email, AuditActor.AdminTool);
                Console.WriteLine($"Erased: {erased}.");
                return 0;
            case ["privacy", "redact", var redactCycle, var redactSignatory, var v, .. var rest]:
                // The texts come from a file (never the command line, which shells keep in their history).
                if (Option(rest, "--file") is not { } redactionFile) return Fail("--file <redaction.json> is required: {\"replacements\":[{\"pointer\":…,\"text\":…}],\"reason\":…}.");
                if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < 1) return Fail("The version is a number from 1.");
                var redaction = Nap.Privacy.RedactionRequest.Parse(await File.ReadAllBytesAsync(redactionFile));
                var redacted = await services.GetRequiredService<Nap.Privacy.VersionRedaction>().RedactAsync(redactCycle, redactSignatory, version, redaction,
                    Nap.Privacy.Redactor.AdminTool, Option(rest, "--key"));
                Console.WriteLine(redacted.Created
                    ? $"Redacted version {version} of {redactSignatory} ({redacted.Replaced} fields; {redacted.RemovedBlobs} blobs and {redacted.RemovedBlobVersions} blob versions removed, {redacted.LeftSoftDeleted} left soft-deleted; {redacted.WithdrawnDrafts} drafts withdrawn)."
                    : $"Nothing changed: version {version} of {redactSignatory} already has these texts.");
                return 0;
            case ["keys", "rotate", .. var rest]:
                return await RotateLinkKey(services, rest.Contains("--dry-run"), Audit);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
    catch (ConfigurationFileException ex)
    {
        return Fail(ex.Message);
    }
    catch (Azure.RequestFailedException ex)
    {
        // Key Vault's refusal (e.g. 403: the operator lacks Key Vault Crypto Officer on the key): status and code only.
        return Fail($"Key Vault refused: {ex.Status} {ex.ErrorCode}");
    }
    catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or ProblemException)
    {
        return Fail(ex.Message);
    }
}

// The link key's rotation (docs/deployment.md): a new Key Vault key version signs new links, the older ones keep
// validating until their links have expired. --dry-run only reads the key and its versions.
static async Task<int> RotateLinkKey(IServiceProvider services, bool dryRun, Func<string, string?, string?, Task> audit)
{
    var options = services.GetRequiredService<TokenOptions>();
    if (services.GetService<Nap.Keys.KeyVaultKeysClient>() is not { } vault)
    {
        var file = options.LocalKeyFile ?? Nap.Keys.LocalKeyFile.DefaultPath(options.LinkKeyName);
        Console.WriteLine($"No Key Vault (Keys__VaultUri is empty): links are signed by the local key file {file}{(File.Exists(file) ? "" : " (not created yet)")}. "
                          + "Rotation is for the Key Vault key; nothing is changed.");
        return dryRun ? 0 : 1;
    }
    var rotation = new LinkKeyRotation(vault, options, services.GetRequiredService<TimeProvider>());
    var plan = dryRun ? await rotation.PlanAsync() : await rotation.RotateAsync();
    if (!dryRun) await audit(LinkKeyRotation.AuditAction, null, null);
    foreach (var line in LinkKeyRotation.Describe(plan)) Console.WriteLine(line);
    return 0;
}

static string? Option(string[] rest, string name)
{
    var i = Array.IndexOf(rest, name);
    return i >= 0 && i + 1 < rest.Length ? rest[i + 1] : null;
}

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}
