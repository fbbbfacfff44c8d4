using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Host.Health;

namespace Orchestrator.Host.Http;

/// <summary>The host's HTTP endpoints next to the dashboard: health, job queries as JSON, and job cancel / retry.</summary>
public static class OrchestratorApi
{
    /// <summary>
    /// Maps <c>/healthz</c> (200 while the silo runs; its body says "ok", or "degraded" with the dependency that
    /// does not answer), <c>/api/links</c>, <c>/api/links/{id}/jobs</c>, <c>/api/jobs/{id}</c> and the POSTs
    /// <c>/api/jobs/{id}/cancel</c> and <c>/api/jobs/{id}/retry</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapOrchestratorApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", (DependencyMonitor health) => Results.Ok(new
        {
            status = health.Healthy ? "ok" : "degraded",
            dependencies = health.Statuses,
        }));
        endpoints.MapGet("/api/links", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IPipelineGrain>(0).GetLinksAsync()));
        endpoints.MapGet("/api/links/{linkId}/jobs", async (string linkId, int? limit, JobStatus? status, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ILinkGrain>(linkId).ListJobsAsync(Math.Clamp(limit ?? 50, 1, 1000), status)));
        endpoints.MapGet("/api/jobs/{jobId}", async (string jobId, IGrainFactory grains) =>
            await grains.GetGrain<IJobGrain>(jobId).GetStateAsync() is { } job ? Results.Ok(job) : Results.NotFound());
        endpoints.MapPost("/api/jobs/{jobId}/cancel", async (string jobId, HttpContext http, IGrainFactory grains) =>
            Answer(await grains.GetGrain<IJobGrain>(jobId).CancelAsync(Requester(http))));
        endpoints.MapPost("/api/jobs/{jobId}/retry", async (string jobId, HttpContext http, IGrainFactory grains) =>
            Answer(await grains.GetGrain<IJobGrain>(jobId).RetryAsync(Requester(http))));
        return endpoints;
    }

    /// <summary>200 when carried out, 404 for an unknown job, 409 when the job's status refuses the command.</summary>
    private static IResult Answer(JobCommandResult result) =>
        result.Accepted ? Results.Ok(result) : result.Job is null ? Results.NotFound(result) : Results.Conflict(result);

    private static string Requester(HttpContext http) => $"http:{http.Connection.RemoteIpAddress}";
}
