using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Host.Http;

/// <summary>The host's HTTP endpoints next to the dashboard: health and read-only job queries as JSON.</summary>
public static class OrchestratorApi
{
    /// <summary>Maps <c>/healthz</c>, <c>/api/links</c>, <c>/api/links/{id}/jobs</c> and <c>/api/jobs/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapOrchestratorApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        endpoints.MapGet("/api/links", async (IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IPipelineGrain>(0).GetLinksAsync()));
        endpoints.MapGet("/api/links/{linkId}/jobs", async (string linkId, int? limit, JobStatus? status, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<ILinkGrain>(linkId).ListJobsAsync(Math.Clamp(limit ?? 50, 1, 1000), status)));
        endpoints.MapGet("/api/jobs/{jobId}", async (string jobId, IGrainFactory grains) =>
            await grains.GetGrain<IJobGrain>(jobId).GetStateAsync() is { } job ? Results.Ok(job) : Results.NotFound());
        return endpoints;
    }
}
