using Nap.Signatories;

namespace Nap.Tests.Reminders;

/// <summary>What the coordinators' digest says, checked line by line against a world whose numbers are known.</summary>
public sealed class ReminderDigestTests
{
    private const string DefenceOnTime = "ministry-defence";                        // ministry: submits on time
    private const string Justice = "ministry-justice-security";                     // ministry: never
    private const string BrugLate = "brug-foundation";                              // civil society: submits after the deadline
    private const string StemNu = "stichting-stem-nu";                              // civil society: never
    private const string Gender = "centrum-voor-gender";                            // civil society: never
    private const string AcademieOnTime = "academie-voor-internationale-veiligheid"; // knowledge institution: submits on time
    private const string Kenniscentrum = "kenniscentrum-gender-conflict";           // knowledge institution: never
    private const string Inactive = "gender-foundation";                            // inactive: not counted

    [Fact]
    public async Task The_digest_lists_missing_and_late_signatories_and_completion_per_kind_with_the_right_numbers()
    {
        var ids = new[] { DefenceOnTime, Justice, BrugLate, StemNu, Gender, AcademieOnTime, Kenniscentrum, Inactive };
        await using var world = await ReminderWorld.CreateAsync(new DateTimeOffset(2027, 9, 20, 5, 0, 0, TimeSpan.Zero), all => all.Where(s => ids.Contains(s.Id)));
        Assert.Equal([SignatoryKind.Ministry, SignatoryKind.Ministry, SignatoryKind.CivilSocietyOrganisation, SignatoryKind.CivilSocietyOrganisation,
                SignatoryKind.CivilSocietyOrganisation, SignatoryKind.KnowledgeInstitution, SignatoryKind.KnowledgeInstitution, SignatoryKind.CivilSocietyOrganisation],
            ids.Select(id => world.Signatories.Single(s => s.Id == id).Kind));
        Assert.False(world.Signatories.Single(s => s.Id == Inactive).Active);
        // Deadline Monday 11 October 2027, 17:00 Amsterdam (15:00 UTC).
        var cycle = await world.CreateCycleAsync(new DateOnly(2027, 9, 20), new DateTime(2027, 10, 11, 17, 0, 0));

        world.SetTime(new DateTimeOffset(2027, 10, 8, 10, 0, 0, TimeSpan.Zero));
        await world.SubmitAsync(cycle.Id, DefenceOnTime);
        await world.SubmitAsync(cycle.Id, AcademieOnTime, seed: 2);
        world.SetTime(new DateTimeOffset(2027, 10, 12, 10, 0, 0, TimeSpan.Zero));
        var late = await world.SubmitAsync(cycle.Id, BrugLate, seed: 3);
        Assert.True(late.Late);

        world.SetTime(new DateTimeOffset(2027, 10, 14, 6, 0, 0, TimeSpan.Zero)); // three days after the deadline
        await world.Sweep.RunAsync();

        var digests = world.Mail.Sends.Select(s => s.Mail).Where(m => MailLabels.Kind(m) == "digest").ToList();
        Assert.Equal(ReminderWorld.Coordinators.Order(), digests.Select(m => Assert.Single(m.To).Email).Order());
        var digest = digests.First();
        Assert.Equal($"Overzicht NAP 1325-IV {cycle.Id}: 3 van 7 ingediend (3 dagen na de deadline)", digest.Subject);
        var lines = digest.Text.Split('\n');
        string Name(string id) => world.Signatories.Single(s => s.Id == id).Name;

        Assert.Equal(["Verwacht: 7", "Ingediend: 3", "Ontbreekt: 4", "Te laat ingediend: 1", "Volledigheid: 42.9 %"],
            lines.Where(l => l.StartsWith("Verwacht: ", StringComparison.Ordinal) || l.StartsWith("Ingediend: ", StringComparison.Ordinal)
                || l.StartsWith("Ontbreekt: ", StringComparison.Ordinal) || l.StartsWith("Te laat ingediend: ", StringComparison.Ordinal)
                || l.StartsWith("Volledigheid: ", StringComparison.Ordinal) && l.EndsWith(" %", StringComparison.Ordinal) && !l.Contains('/', StringComparison.Ordinal)));
        Assert.Equal(
            ["Volledigheid: Ministry: 1/2 (50.0 %)", "Volledigheid: CivilSocietyOrganisation: 1/3 (33.3 %)", "Volledigheid: KnowledgeInstitution: 1/2 (50.0 %)"],
            lines.Where(l => l.StartsWith("Volledigheid: ", StringComparison.Ordinal) && l.Contains('/', StringComparison.Ordinal)));
        Assert.Equal(
            new[] { Justice, StemNu, Gender, Kenniscentrum }.Select(id => $"- Ontbreekt: {Name(id)} (deadline verlopen)").Order(StringComparer.Ordinal),
            lines.Where(l => l.StartsWith("- Ontbreekt: ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal([$"- Te laat: {Name(BrugLate)}"], lines.Where(l => l.StartsWith("- Te laat: ", StringComparison.Ordinal)));
        // The HTML part says the same.
        Assert.Contains($"<li>Ontbreekt: {System.Net.WebUtility.HtmlEncode(Name(Kenniscentrum))} (deadline verlopen)</li>", digest.Html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\" style=\"text-align:left;padding:2px 12px 2px 0\">Volledigheid: CivilSocietyOrganisation</th><td>1/3 (33.3 %)</td>", digest.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(Name(Inactive), digest.Text, StringComparison.Ordinal);
    }
}
