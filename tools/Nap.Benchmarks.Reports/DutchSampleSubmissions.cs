using System.Globalization;
using System.Text.Json.Nodes;
using Nap.Framework;

namespace Nap.Benchmarks.Reports;

/// <summary>
/// Valid submissions with Dutch sample text, built from the framework so every code and unit is right; varied by a seed.
/// Used for the benchmark and the sample report in the README. Some items are confidential, as in real submissions.
/// </summary>
public static class DutchSampleSubmissions
{
    private static readonly string[] Activities =
    [
        "Training van vrouwelijke mediatoren", "Ondersteuning van lokale vrouwenorganisaties", "Dialoogsessies met vluchtelingenvrouwen",
        "Genderanalyse voor vroegsignalering", "Opvang en zorg voor overlevenden van seksueel geweld", "Bescherming van vrouwenrechtenverdedigers",
        "Gendersensitieve noodhulp", "Opleiding gender focal points", "Gezamenlijke leersessies van ondertekenaars", "Campagne tegen schadelijke gendernormen",
        "Juridische bijstand voor overlevenden", "Deelname van vrouwen aan wederopbouwcommissies",
    ];

    private static readonly string[] Places = ["Zuid-Soedan", "Colombia", "Oekraïne", "de Sahel", "Afghanistan", "Jemen", "Nederland", "de Grote Merenregio", "Syrië", "Kosovo"];
    private static readonly string[] Countries = ["SS", "CO", "UA", "SAHEL", "AF", "YE", "NL", "GREAT-LAKES", "SY", "XK", "SD", "CD", "ML", "IQ", "LB"];
    private static readonly string[] Partners = ["WO=MEN", "UN Women", "Cordaid", "lokale partnerorganisatie", "Vluchtelingenwerk", "NAP-IV-ondertekenaars"];

    private static readonly string[] Highlights =
    [
        "Voor het eerst zaten vrouwen uit alle regio's aan tafel bij de lokale vredesgesprekken.",
        "Het netwerk van vrouwenrechtenverdedigers groeide en kreeg erkenning van de lokale overheid.",
        "De genderanalyse is opgenomen in het standaardproces voor conflictanalyses.",
        "Overlevenden vonden de weg naar zorg sneller dankzij de nieuwe verwijsroutes.",
    ];

    private static readonly string[] Lessons =
    [
        "Langdurige financiering van lokale organisaties werkt beter dan losse projecten.",
        "Betrek vrouwenorganisaties al bij het ontwerp, niet pas bij de uitvoering.",
        "Veiligheid van deelnemers vraagt om een eigen risicoanalyse per activiteit.",
        "Samenwerking tussen ondertekenaars versterkt het bereik in dezelfde regio.",
    ];

    public static JsonObject Create(ResultsFramework framework, int seed)
    {
        var random = new Random(seed);
        var goals = new JsonObject();
        var chosen = framework.Goals.Where((_, i) => i == seed % framework.Goals.Count || random.Next(3) == 0).ToList();
        foreach (var goal in chosen)
        {
            var contributions = new JsonArray();
            var count = 1 + random.Next(2);
            for (var c = 0; c < count; c++)
            {
                var outcome = goal.Outcomes[random.Next(goal.Outcomes.Count)];
                var national = random.Next(3) == 0;
                var international = !national || random.Next(2) == 0;
                var focus = new JsonArray();
                if (national) focus.Add("national");
                if (international) focus.Add("international");
                var countries = new JsonArray();
                if (national) countries.Add("NL");
                if (international)
                {
                    var code = Countries[random.Next(Countries.Length)];
                    if (code != "NL") countries.Add(code);
                    else countries.Add("SS");
                }
                var results = new JsonArray();
                foreach (var indicator in outcome.Indicators.Where(_ => random.Next(3) > 0).Take(2))
                {
                    if (indicator.Kind == IndicatorKind.Qualitative)
                        results.Add(new JsonObject { ["indicator"] = indicator.Code, ["value"] = $"{Activities[random.Next(Activities.Length)]} leidde tot zichtbare invloed in {Places[random.Next(Places.Length)]}." });
                    else
                    {
                        var max = indicator.Unit == "percent" ? 100 : 400;
                        results.Add(new JsonObject
                        {
                            ["indicator"] = indicator.Code,
                            ["value"] = random.Next(1, max),
                            ["unit"] = indicator.Unit,
                            ["target"] = indicator.Unit == "percent" ? 75 : random.Next(50, 500),
                        });
                    }
                }
                contributions.Add(new JsonObject
                {
                    ["title"] = $"{Activities[random.Next(Activities.Length)]} in {Places[random.Next(Places.Length)]}",
                    ["description"] = "Korte omschrijving van de activiteiten en de resultaten in het rapportagejaar.",
                    ["focus"] = focus,
                    ["countries"] = countries,
                    ["outcomes"] = new JsonArray(outcome.Code),
                    ["indicatorResults"] = results,
                    ["budgetSpentEur"] = decimal.Round(random.Next(5_000, 250_000) + random.Next(0, 100) / 100m, 2),
                    ["partners"] = new JsonArray(Partners[random.Next(Partners.Length)]),
                    ["confidential"] = random.Next(12) == 0,
                });
            }
            goals[goal.Code] = new JsonObject
            {
                ["contributions"] = contributions,
                ["narratives"] = new JsonObject
                {
                    ["highlights"] = new JsonObject { ["text"] = Highlights[random.Next(Highlights.Length)], ["confidential"] = false },
                    ["challenges"] = new JsonObject { ["text"] = "De veiligheidssituatie beperkte de toegang tot sommige gebieden.", ["confidential"] = false },
                    ["lessons"] = new JsonObject { ["text"] = Lessons[random.Next(Lessons.Length)], ["confidential"] = random.Next(4) == 0 },
                },
            };
        }
        return new JsonObject
        {
            ["contact"] = new JsonObject
            {
                ["name"] = "Contactpersoon " + seed.ToString(CultureInfo.InvariantCulture),
                ["email"] = $"rapportage{seed.ToString(CultureInfo.InvariantCulture)}@example.org",
            },
            ["goals"] = goals,
        };
    }
}
