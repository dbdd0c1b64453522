using System.Text;
using Nap.Api;
using Nap.Cycles;
using Nap.Framework;
using Nap.Signatories;

namespace Nap.Tests.Framework;

public sealed class ConfigurationFileTests
{
    private static readonly string DataDir = Path.Combine(AppContext.BaseDirectory, "data");

    [Fact]
    public void Sample_framework_has_five_goals_with_outcomes_and_indicators_in_both_languages()
    {
        var framework = ResultsFrameworkLoader.LoadFile(Path.Combine(DataDir, "framework.sample.json"));

        Assert.True(framework.IsSample);
        Assert.Equal(["G1", "G2", "G3", "G4", "G5"], framework.Goals.Select(g => g.Code));
        Assert.Equal("Noodhulp, wederopbouw en herstel", framework.FindGoal("G4")!.Title.Nl);
        Assert.All(framework.Goals, g => Assert.NotEmpty(g.Outcomes));
        Assert.True(framework.TryGetIndicator("G1.1.a", out var goal, out var outcome, out var indicator));
        Assert.Equal(("G1", "G1.1", IndicatorKind.Quantitative, "persons", true), (goal.Code, outcome.Code, indicator.Kind, indicator.Unit, indicator.Summable));
        Assert.Contains(framework.Goals.SelectMany(g => g.Outcomes).SelectMany(o => o.Indicators), i => i.Kind == IndicatorKind.Qualitative);
    }

    public static TheoryData<string, string> BrokenFrameworks => new()
    {
        { "{", "not valid JSON" },
        { """{"version":"1","units":[],"goals":[]}""", "no strategic goals" },
        { """{"version":"1","units":[],"goals":[{"code":"G1","title":{"nl":"Participatie"},"outcomes":[{"code":"G1.1","title":{"nl":"a","en":"a"}}]}]}""", "title in both nl and en" },
        { """{"version":"1","units":[],"goals":[{"code":"G1","title":{"nl":"a","en":"a"},"outcomes":[{"code":"G1","title":{"nl":"a","en":"a"}}]}]}""", "used more than once" },
        { """{"version":"1","units":[],"goals":[{"code":"G1","title":{"nl":"a","en":"a"},"outcomes":[{"code":"G1.1","title":{"nl":"a","en":"a"},"indicators":[{"code":"G1.1.a","title":{"nl":"a","en":"a"},"kind":"quantitative","unit":"kg"}]}]}]}""", "needs a unit listed" },
        { """{"version":"1","units":[],"goals":[{"code":"G1","title":{"nl":"a","en":"a"},"outcomes":[{"code":"G1.1","title":{"nl":"a","en":"a"},"indicators":[{"code":"G1.1.a","title":{"nl":"a","en":"a"},"kind":"guess"}]}]}]}""", "kind 'quantitative' or 'qualitative'" },
        { """{"version":"1","goals":[],"surprise":true}""", "not valid JSON for a results framework" },
        { """{"units":[],"goals":[{"code":"has space","title":{"nl":"a","en":"a"},"outcomes":[]}]}""", "malformed code" },
    };

    [Theory]
    [MemberData(nameof(BrokenFrameworks))]
    public void Broken_framework_file_fails_with_a_message_naming_file_and_problem(string json, string expected)
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => ResultsFrameworkLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "framework.json"));
        Assert.Contains("framework.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Missing_framework_file_is_named()
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => ResultsFrameworkLoader.LoadFile("/nowhere/framework.json"));
        Assert.Contains("/nowhere/framework.json", ex.Message);
    }

    [Fact]
    public void Sample_registry_has_the_four_ministries_and_about_seventy_fictional_signatories()
    {
        var registry = SignatoryImport.LoadFile(Path.Combine(DataDir, "signatories.sample.json"));

        Assert.Equal(4, registry.Count(s => s.Kind == SignatoryKind.Ministry));
        Assert.InRange(registry.Count(s => s.Kind != SignatoryKind.Ministry), 65, 80);
        Assert.All(registry, s => Assert.Contains(s.Contacts, c => c.Role == ContactRole.Primary));
        Assert.All(registry.SelectMany(s => s.Contacts), c => Assert.Matches(@"@[a-z0-9.-]+\.example\.(org|nl)$", c.Email));
    }

    [Fact]
    public void Csv_registry_groups_contacts_per_signatory_and_reads_dutch_excel_separators()
    {
        const string csv = "\uFEFFid;name;kind;language;active;contact_name;contact_email;contact_role\n" +
                           "vrede-nu;\"Stichting Vrede; Nu\";civil-society-organisation;nl;ja;Anna Smit;anna@vrede.example.org;primary\n" +
                           "vrede-nu;\"Stichting Vrede; Nu\";civil-society-organisation;nl;ja;Bas Bos;bas@vrede.example.org;director\n" +
                           "kennis;Kenniscentrum;knowledge-institution;en;false;Eva Vos;eva@kennis.example.org;primary\n";

        var registry = SignatoryImport.FromCsv(csv, "registry.csv");

        Assert.Equal(2, registry.Count);
        var vrede = registry.Single(s => s.Id == "vrede-nu");
        Assert.Equal("Stichting Vrede; Nu", vrede.Name);
        Assert.Equal([ContactRole.Primary, ContactRole.Director], vrede.Contacts.Select(c => c.Role));
        Assert.False(registry.Single(s => s.Id == "kennis").Active);
    }

    [Theory]
    [InlineData("""{"signatories":[{"id":"A B","name":"x","kind":"ministry","language":"nl","contacts":[{"name":"a","email":"a@b.nl","role":"primary"}]}]}""", "id must be")]
    [InlineData("""{"signatories":[{"id":"ab","name":"x","kind":"ngo","language":"nl","contacts":[{"name":"a","email":"a@b.nl","role":"primary"}]}]}""", "kind must be")]
    [InlineData("""{"signatories":[{"id":"ab","name":"x","kind":"other","language":"de","contacts":[{"name":"a","email":"a@b.nl","role":"primary"}]}]}""", "language must be")]
    [InlineData("""{"signatories":[{"id":"ab","name":"x","kind":"other","language":"nl","contacts":[{"name":"a","email":"not-an-email","role":"primary"}]}]}""", "valid email")]
    [InlineData("""{"signatories":[{"id":"ab","name":"x","kind":"other","language":"nl","contacts":[{"name":"a","email":"a@b.nl","role":"secondary"}]}]}""", "needs a primary contact")]
    [InlineData("""{"signatories":[{"id":"ab","name":"x","kind":"other","language":"nl","contacts":[{"name":"a","email":"a@b.nl","role":"primary"}]},{"id":"ab","name":"y","kind":"other","language":"nl","contacts":[{"name":"a","email":"a@b.nl","role":"primary"}]}]}""", "more than once")]
    [InlineData("""{"people":[]}""", "not a JSON signatory registry")]
    public void Broken_registry_is_refused_with_every_problem(string json, string expected)
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => SignatoryImport.FromJson(json, "registry.json"));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Csv_without_required_columns_is_refused()
    {
        var ex = Assert.Throws<ConfigurationFileException>(() => SignatoryImport.FromCsv("id,name\nx,y\n", "r.csv"));
        Assert.Contains("contact_email", ex.Message);
    }

    [Fact]
    public void Sample_cycles_load_and_multi_year_ids_are_accepted()
    {
        var cycles = CycleFile.LoadFile(Path.Combine(DataDir, "cycles.sample.json"));
        Assert.Contains(cycles, c => c.Status == CycleStatus.Open);
        Assert.True(ReportingCycle.IsValidId("2022-2023"));
        Assert.False(ReportingCycle.IsValidId("2023-2022"));
        Assert.False(ReportingCycle.IsValidId("2023/24"));
    }

    [Fact]
    public void Deadline_is_amsterdam_wall_clock_time_in_summer_and_winter()
    {
        var winter = new CycleFile("2030", "2030-01-01", "2030-12-31", "2031-01-10", "2031-03-01T17:00", null, null, true, "open").ToCycle();
        var summer = winter with { Deadline = new DateTime(2031, 7, 1, 17, 0, 0) };
        Assert.Equal(new DateTimeOffset(2031, 3, 1, 16, 0, 0, TimeSpan.Zero), winter.DeadlineUtc);
        Assert.Equal(new DateTimeOffset(2031, 7, 1, 15, 0, 0, TimeSpan.Zero), summer.DeadlineUtc);
    }

    [Fact]
    public void Bad_cycle_file_lists_its_problems()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{"cycles":[{"id":"2030","periodStart":"2030-01-01","periodEnd":"2029-12-31","opensOn":"2031-01-10","deadline":"2031-01-01T17:00","status":"open"},{"id":"x","periodStart":"nope","periodEnd":"2030-12-31","opensOn":"2031-01-10","deadline":"2031-03-01T17:00"}]}""");
        var ex = Assert.Throws<ConfigurationFileException>(() => CycleFile.LoadFile(path));
        Assert.Contains("period ends before it starts", ex.Message);
        Assert.Contains("deadline is before the opening date", ex.Message);
        Assert.Contains("periodStart must be a date", ex.Message);
    }
}
