using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Grains;

namespace Orchestrator.Host.Http;

/// <summary>The backfill endpoints: start one, list them, show one.</summary>
public static class BackfillApi
{
    /// <summary>
    /// Maps <c>POST /api/inputs/{id}/backfill</c> (201 with the backfills started, one per table; 404 for an unknown
    /// input; 400 with <c>code</c>, <c>message</c> and <c>position</c> for any other refusal), <c>GET /api/backfills</c>
    /// and <c>GET /api/backfills/{id}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapBackfillApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/api/inputs/{inputId}/backfill", StartAsync);
        endpoints.MapGet("/api/backfills", async (IGrainFactory grains) => Results.Ok(await grains.GetGrain<IBackfillGrain>(0).ListAsync()));
        endpoints.MapGet("/api/backfills/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IBackfillGrain>(0).GetAsync(id) is { } backfill ? Results.Ok(backfill) : Results.NotFound());
        return endpoints;
    }

    private static async Task<IResult> StartAsync(string inputId, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] BackfillBody? body, IGrainFactory grains)
    {
        var request = new BackfillRequest { Input = inputId, Table = body?.Table, Where = body?.Where, Links = body?.Links, PageSize = body?.PageSize };
        try
        {
            var started = await grains.GetGrain<IBackfillGrain>(0).StartAsync(request);
            return Results.Created($"/api/backfills/{started[0].Id}", started);
        }
        catch (BackfillRefusedException e)
        {
            var problem = new { code = e.Code, message = e.Message, position = e.Position };
            return e.Code == BackfillErrorCode.UnknownInput ? Results.NotFound(problem) : Results.BadRequest(problem);
        }
    }
}
