using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Countries;
using Nap.Framework;
using Nap.Functions.Http;
using Nap.Submissions;

namespace Nap.Functions.Api;

/// <summary>The reference data the form is built from: results framework, the submission contract, countries.</summary>
public sealed class FrameworkFunctions(ResultsFramework framework, CountryCatalog countries, SubmissionSchema schema, ILogger<FrameworkFunctions> logger)
{
    [Function("GetFramework")]
    public Task<IActionResult> Framework(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "framework")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(Framework), () => Task.FromResult<IActionResult>(new JsonAnswer(new
        {
            framework.Version,
            sample = framework.IsSample,
            // The plan's period: the cycles within it are the years the annex sets side by side.
            plan = framework.Plan,
            units = framework.Units,
            goals = framework.Goals,
            submissionSchema = SubmissionSchema.Route,
        })));

    /// <summary>The JSON Schema of a submission; it changes only with a new framework or release, so clients revalidate cheaply.</summary>
    [Function("GetSubmissionSchema")]
    public Task<IActionResult> SubmissionSchemaDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "submission-schema")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(SubmissionSchemaDocument), () => Task.FromResult<IActionResult>(
            new ConditionalBytesResult(schema.Bytes, "application/schema+json", schema.ETag, HttpApi.Header(request, "If-None-Match"), "public, max-age=300, must-revalidate")));

    [Function("GetCountries")]
    public Task<IActionResult> Countries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "countries")] HttpRequest request) =>
        HttpApi.Run(logger, nameof(Countries), () => Task.FromResult<IActionResult>(new JsonAnswer(countries.Entries)));
}
