using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Countries;
using Nap.Framework;
using Nap.Functions.Http;
using Nap.Submissions;

namespace Nap.Functions.Api;

/// <summary>The reference data the form is built from: results framework, validation rules, countries.</summary>
public sealed class FrameworkFunctions(ResultsFramework framework, CountryCatalog countries, ILogger<FrameworkFunctions> logger)
{
    [Function("GetFramework")]
    public Task<IActionResult> Framework(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "framework")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(Framework), () => Task.FromResult<IActionResult>(new JsonAnswer(new
        {
            framework.Version,
            sample = framework.IsSample,
            units = framework.Units,
            goals = framework.Goals,
            rules = SubmissionRules.Describe(),
        })));

    [Function("GetCountries")]
    public Task<IActionResult> Countries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "countries")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(Countries), () => Task.FromResult<IActionResult>(new JsonAnswer(countries.Entries)));
}
