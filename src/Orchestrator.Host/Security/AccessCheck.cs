using System.Net.Http.Headers;
using System.Text;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Host.Security;

/// <summary>
/// Admits a request to the HTTP surface when it carries an accepted API key — <c>Authorization: Bearer KEY</c>,
/// <c>X-Api-Key: KEY</c>, or <c>Authorization: Basic</c> with the key as the password (what a browser asks for) — or
/// when no key is configured. Health probes and the http inputs' event endpoint (which checks its own token) are
/// always open. Anything else gets 401 with a problem document and a <c>WWW-Authenticate</c> challenge.
/// </summary>
public sealed class AccessCheck(ApiKeys keys) : IMiddleware
{
    /// <inheritdoc />
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!keys.Any || IsOpen(context.Request) || KeyOf(context.Request) is { } key && keys.Accepts(key))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"Orchestrator\", charset=\"UTF-8\"";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "An API key is required",
            detail: "Send an API key of this host as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY' (a browser: the key as the password). "
                + "`orchestrator keys new` makes one; its hash goes in Orchestrator:Access:ApiKeyHashes.").ExecuteAsync(context);
    }

    private static bool IsOpen(HttpRequest request) =>
        request.Path.Equals("/healthz", StringComparison.Ordinal)
        || request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
        || (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/inputs", StringComparison.Ordinal)
            && request.Path.Value!.EndsWith("/events", StringComparison.Ordinal));

    private static string? KeyOf(HttpRequest request)
    {
        if (request.Headers["X-Api-Key"].LastOrDefault() is { Length: > 0 } header)
        {
            return header;
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.LastOrDefault(), out var authorization) || authorization.Parameter is null)
        {
            return null;
        }

        if (string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return authorization.Parameter;
        }

        if (!string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter));
            return pair.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? pair[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
