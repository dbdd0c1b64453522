using System.Text.Json.Nodes;

namespace Nap.Tests.Infrastructure;

/// <summary>Valid submissions built from the sample framework, varied by a seed; tests mutate them into invalid ones.</summary>
public static class SampleSubmissions
{
    public static JsonObject Valid(int seed = 1, string? canary = null)
    {
        var t = canary ?? "";
        var random = new Random(seed);
        string[] countries = ["SD", "SS", "CD", "AF", "UA", "CO", "XK", "SAHEL", "GREAT-LAKES", "GLOBAL", "YE", "SY"];
        var goals = new JsonObject();
        foreach (var goal in new[] { "G1", "G2", "G3", "G4", "G5" }.Where((_, i) => i == seed % 5 || random.Next(3) == 0))
        {
            var international = random.Next(2) == 0;
            var indicator = goal + ".1.a";
            goals[goal] = new JsonObject
            {
                ["contributions"] = new JsonArray(new JsonObject
                {
                    ["title"] = $"Contribution {seed} to {goal}{t}",
                    ["description"] = $"What we did{t}",
                    ["focus"] = international ? new JsonArray("international") : new JsonArray("national", "international"),
                    ["countries"] = new JsonArray(countries[random.Next(countries.Length)], "NL"),
                    ["outcomes"] = new JsonArray(goal + ".1"),
                    ["indicatorResults"] = new JsonArray(new JsonObject
                    {
                        ["indicator"] = indicator,
                        ["value"] = random.Next(1, 500),
                        ["unit"] = UnitOf(indicator),
                        ["target"] = 500,
                        ["comment"] = $"Counted at events{t}",
                    }),
                    ["budgetSpentEur"] = random.Next(0, 100_000) + 0.25m,
                    ["partners"] = new JsonArray($"Partner organisation{t}"),
                    ["confidential"] = false,
                }),
                ["narratives"] = new JsonObject
                {
                    ["highlights"] = new JsonObject { ["text"] = $"Highlight{t}", ["confidential"] = false },
                    ["challenges"] = new JsonObject { ["text"] = $"Challenge{t}", ["confidential"] = false },
                    ["lessons"] = new JsonObject { ["text"] = $"Lesson{t}", ["confidential"] = true },
                },
            };
        }
        return new JsonObject
        {
            ["contact"] = new JsonObject { ["name"] = $"Test Contact{t}", ["email"] = $"contact{seed}@example.org" },
            ["goals"] = goals,
        };
    }

    private static string UnitOf(string indicator) => indicator switch
    {
        "G1.1.a" or "G2.2.a" or "G3.1.a" or "G4.1.a" or "G4.1.b" or "G5.1.a" => "persons",
        "G2.1.a" => "analyses",
        _ => "persons",
    };
}
