using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Host.Http;

/// <summary>
/// The pipeline graph over HTTP: <c>GET /api/pipelines</c> (the current version, connection strings left out),
/// <c>POST /api/pipelines:validate</c> (a pipelines file as the body; what applying it would change, nothing changed) and
/// <c>PUT /api/pipelines</c> (apply it; <c>?dryRun=true</c>, <c>?force=true</c>, <c>?cancelJobs=true</c>, and <c>If-Match: "VERSION"</c> to apply
/// only on top of that version). A refused change answers 400 with every problem, 409 when another version or
/// unfinished jobs stand in the way.
/// </summary>
public static class PipelineApi
{
    /// <summary>Maps the pipeline endpoints.</summary>
    public static IEndpointRouteBuilder MapPipelineApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/pipelines", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IPipelineGrain>(0).GetAsync()));
        endpoints.MapPost("/api/pipelines:validate", (HttpContext http, IGrainFactory grains) => ApplyAsync(http, grains, dryRun: true));
        endpoints.MapPut("/api/pipelines", (HttpContext http, IGrainFactory grains) => ApplyAsync(http, grains, dryRun: false));
        return endpoints;
    }

    private static async Task<IResult> ApplyAsync(HttpContext http, IGrainFactory grains, bool dryRun)
    {
        using var reader = new StreamReader(http.Request.Body);
        PipelineDefinition definition;
        try
        {
            definition = PipelineFile.Parse(await reader.ReadToEndAsync(http.RequestAborted));
        }
        catch (InvalidPipelineException e)
        {
            return Results.BadRequest(PipelineApplyResult.Refused(0, e.Errors));
        }

        if (!TryExpectedVersion(http.Request, out var expected))
        {
            return Results.BadRequest(PipelineApplyResult.Refused(0, [new(PipelineErrorCode.Malformed, "If-Match", "If-Match must be a version number in quotes, e.g. \"3\"")]));
        }

        var options = new PipelineApplyOptions
        {
            DryRun = dryRun || Flag(http.Request, "dryRun"),
            Force = Flag(http.Request, "force"),
            CancelRemovedLinksJobs = Flag(http.Request, "cancelJobs"),
            ExpectedVersion = expected,
            By = $"http:{http.Connection.RemoteIpAddress}",
        };
        var result = await grains.GetGrain<IPipelineGrain>(0).ApplyAsync(definition, options);
        return result.Outcome != PipelineApplyOutcome.Invalid
            ? Results.Ok(result)
            : result.Errors.Any(e => e.Code is PipelineErrorCode.VersionConflict or PipelineErrorCode.ProcessInUse)
                ? Results.Conflict(result)
                : Results.BadRequest(result);
    }

    private static bool Flag(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var value) && string.Equals(value.LastOrDefault(), "true", StringComparison.OrdinalIgnoreCase);

    private static bool TryExpectedVersion(HttpRequest request, out long? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString();
        if (header.Length == 0)
        {
            return true;
        }

        if (long.TryParse(header.Trim().Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }
}
