using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Host.Health;

namespace Orchestrator.Host.Http;

/// <summary>The host's HTTP endpoints next to the dashboard: health, job queries as JSON, job cancel / retry / replay.</summary>
public static class OrchestratorApi
{
    /// <summary>JSON as the CLI writes it: camel case, status names, no needless escapes.</summary>
    public static IServiceCollection AddOrchestratorApi(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => OrchestratorJson.Configure(o.SerializerOptions));

    /// <summary>
    /// Maps <c>/healthz</c> (200 while the silo runs; its body says "ok", or "degraded" with the dependency that
    /// does not answer), <c>/api/links</c>, <c>/api/jobs</c> (a query: see <see cref="JobQueryParameters"/>),
    /// <c>/api/jobs/counts</c>, <c>/api/links/{id}/jobs</c>, <c>/api/jobs/{id}</c> and the POSTs
    /// <c>/api/jobs/{id}/cancel</c>, <c>/api/jobs/{id}/retry</c>, <c>/api/jobs/{id}/replay</c> (<c>?mode=new-jobs|new-attempts</c>, <c>&amp;id=</c> a replay id of the caller's)
    /// and <c>/api/links/{id}/replay</c> (the keys of <see cref="ReplayRequestParser"/>; 202 with the replay's progress,
    /// then <c>GET /api/replays/{id}</c>).
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
        endpoints.MapGet("/api/jobs", (HttpRequest request, IGrainFactory grains) => QueryAsync(request, grains, null));
        endpoints.MapGet("/api/links/{linkId}/jobs", (string linkId, HttpRequest request, IGrainFactory grains) => QueryAsync(request, grains, linkId));
        endpoints.MapGet("/api/jobs/counts", async (HttpRequest request, IGrainFactory grains) =>
            Results.Ok(await grains.GetGrain<IJobQueryGrain>(0).CountAsync(JobQueryParameters.Parse(request.Query).Query.Links)));
        endpoints.MapGet("/api/jobs/{jobId}", async (string jobId, IGrainFactory grains) =>
            await grains.GetGrain<IJobGrain>(jobId).GetStateAsync() is { } job ? Results.Ok(job) : Results.NotFound());
        endpoints.MapPost("/api/jobs/{jobId}/cancel", async (string jobId, HttpContext http, IGrainFactory grains) =>
            Answer(await grains.GetGrain<IJobGrain>(jobId).CancelAsync(Requester(http))));
        endpoints.MapPost("/api/jobs/{jobId}/retry", async (string jobId, HttpContext http, IGrainFactory grains) =>
            Answer(await grains.GetGrain<IJobGrain>(jobId).RetryAsync(Requester(http))));
        endpoints.MapPost("/api/jobs/{jobId}/replay", async (string jobId, HttpContext http, IGrainFactory grains) =>
        {
            var (mode, modeProblem) = ReplayModeOf(http.Request.Query);
            var (id, idProblem) = ReplayIdOf(http.Request.Query);
            string[] problems = [.. new[] { modeProblem, idProblem }.OfType<string>()];
            return problems.Length == 0
                ? Answer(await grains.GetGrain<IJobGrain>(jobId).ReplayAsync(id, mode, Requester(http)))
                : Results.BadRequest(new { problems });
        });
        endpoints.MapPost("/api/links/{linkId}/replay", async (string linkId, HttpContext http, IGrainFactory grains) =>
        {
            var (request, problems) = JobQueryParameters.ParseReplay(http.Request.Query, linkId, Requester(http));
            var (id, problem) = ReplayIdOf(http.Request.Query);
            problems = problem is null ? problems : [.. problems, problem];
            if (problems.Count > 0)
            {
                return Results.BadRequest(new { problems });
            }

            return Results.Accepted($"/api/replays/{id}", await grains.GetGrain<IReplayGrain>(id).StartAsync(request));
        });
        endpoints.MapGet("/api/replays/{replayId}", async (string replayId, IGrainFactory grains) =>
            await grains.GetGrain<IReplayGrain>(replayId).GetProgressAsync() is { } progress ? Results.Ok(progress) : Results.NotFound());
        return endpoints;
    }

    /// <summary>200 with a page of jobs; 400 with the problems when the query string is not a valid query.</summary>
    private static async Task<IResult> QueryAsync(HttpRequest request, IGrainFactory grains, string? linkId)
    {
        var (query, problems) = JobQueryParameters.Parse(request.Query);
        if (linkId is not null)
        {
            query = query with { Links = [linkId] };
        }

        problems = [.. problems, .. query.Problems()];
        if (problems.Count > 0)
        {
            return Results.BadRequest(new { problems });
        }

        try
        {
            return Results.Ok(await grains.GetGrain<IJobQueryGrain>(0).QueryAsync(query));
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { problems = new[] { e.Message } });
        }
    }

    /// <summary>200 when carried out, 404 for an unknown job, 409 when the job's status refuses the command.</summary>
    private static IResult Answer(JobCommandResult result) =>
        result.Accepted ? Results.Ok(result) : result.Job is null ? Results.NotFound(result) : Results.Conflict(result);

    private static string Requester(HttpContext http) => $"http:{http.Connection.RemoteIpAddress}";

    /// <summary>The <c>mode</c> of the query string (new jobs when absent), and what is wrong with it.</summary>
    private static (ReplayMode Mode, string? Problem) ReplayModeOf(IQueryCollection query) =>
        query.TryGetValue("mode", out var given) && given.LastOrDefault() is { } text
            ? ReplayRequestParser.ParseMode(text) is { } mode ? (mode, null) : (ReplayMode.NewJobs, "mode: " + ReplayRequestParser.ModeProblem(text))
            : (ReplayMode.NewJobs, null);

    /// <summary>The replay id the caller picked (<c>?id=</c>, so a retried request finds its replay), or a new one.</summary>
    private static (string Id, string? Problem) ReplayIdOf(IQueryCollection query) =>
        query.TryGetValue("id", out var given) && given.LastOrDefault() is { } id
            ? (id, ReplayIds.Problem(id) is { } problem ? "id: " + problem : null)
            : (ReplayIds.New(), null);
}
