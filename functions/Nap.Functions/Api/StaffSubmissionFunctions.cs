using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Nap.Api;
using Nap.Functions.Http;
using Nap.Security;
using Nap.Submissions;

namespace Nap.Functions.Api;

/// <summary>
/// Staff read a signatory's submissions: its versions, one version, the diff of two. Confidential parts only for
/// Nap.Confidential (decided in <see cref="StaffSubmissions"/> from the principal's roles).
/// </summary>
public sealed class StaffSubmissionFunctions(StaffSubmissions submissions, Callers callers, ILogger<StaffSubmissionFunctions> logger)
{
    [Function("ListSignatorySubmissions")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/signatories/{signatoryId}/submissions")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(List), async () =>
        {
            callers.Staff(request, StaffRoles.Reader);
            return new JsonAnswer(await submissions.ListVersionsAsync(cycleId, signatoryId, cancellationToken));
        });

    [Function("GetSignatorySubmission")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/signatories/{signatoryId}/submissions/{version}")] HttpRequest request,
        string cycleId,
        string signatoryId,
        string version,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Get), async () =>
        {
            var staff = callers.Staff(request, StaffRoles.Reader);
            var number = ParseVersion(version) ?? throw new ProblemException(Problem.NotFound("A version is a number from 1."));
            var view = await submissions.ReadAsync(cycleId, signatoryId, number, staff, cancellationToken);
            var answer = new JsonAnswer(view);
            answer.Headers["ETag"] = $"\"{view.Version.ToString(CultureInfo.InvariantCulture)}\"";
            return answer;
        });

    /// <summary><c>?from=1&amp;to=3</c>: what changed from one version to another (either order).</summary>
    [Function("DiffSignatorySubmissions")]
    public Task<IActionResult> Diff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cycles/{cycleId}/signatories/{signatoryId}/submissions/diff")] HttpRequest request,
        string cycleId,
        string signatoryId,
        CancellationToken cancellationToken) =>
        HttpApi.Run(logger, nameof(Diff), async () =>
        {
            var staff = callers.Staff(request, StaffRoles.Reader);
            var errors = new List<FieldError>();
            int? Query(string name)
            {
                var raw = request.Query.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;
                if (string.IsNullOrEmpty(raw)) { errors.Add(new FieldError("/" + name, "required", $"Give {name}=N, a version number from 1, once.")); return null; }
                var n = ParseVersion(raw);
                if (n is null) errors.Add(new FieldError("/" + name, "format", $"{name} is a version number from 1."));
                return n;
            }
            var from = Query("from");
            var to = Query("to");
            if (errors.Count > 0)
                throw new ProblemException(new Problem(400, Problem.TypeBase + "invalid-query", "A query parameter is not valid.", $"{errors.Count} query parameter(s) need attention.", errors));
            return new JsonAnswer(await submissions.DiffAsync(cycleId, signatoryId, from!.Value, to!.Value, staff, cancellationToken));
        });

    private static int? ParseVersion(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
