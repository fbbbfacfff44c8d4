using System.Net;
using System.Text.Json;
using Docker.DotNet;

namespace Orchestrator.Processes;

/// <summary>Turns the engine's error answers into the one sentence a user needs.</summary>
internal static class EngineMessages
{
    /// <summary>The engine's own message from an error answer (its JSON "message"), else the raw body or the status.</summary>
    public static string Reason(DockerApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var body = exception.ResponseBody?.Trim();
        if (string.IsNullOrEmpty(body))
        {
            return $"the engine answered {(int)exception.StatusCode} ({exception.StatusCode})";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message)
                && message.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body itself is the message.
        }

        return body;
    }

    /// <summary>True when the engine answered "not found".</summary>
    public static bool IsNotFound(DockerApiException exception) => exception.StatusCode == HttpStatusCode.NotFound;
}
