using System.Net;

namespace Orchestrator.Host.Security;

/// <summary>The addresses the host's HTTP server is configured to listen on, and whether any reaches beyond loopback.</summary>
public static class ListenAddresses
{
    /// <summary>
    /// The URLs from the configuration the web host reads: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Urls</c> in
    /// appsettings), <c>http_ports</c> / <c>https_ports</c> (every interface) and <c>Kestrel:Endpoints:*:Url</c>.
    /// </summary>
    public static IReadOnlyList<string> Of(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = new List<string>();
        urls.AddRange(Split(configuration["urls"]));
        urls.AddRange(Split(configuration["http_ports"]).Select(p => $"http://*:{p}"));
        urls.AddRange(Split(configuration["https_ports"]).Select(p => $"https://*:{p}"));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls;
    }

    /// <summary>Whether <paramref name="url"/> listens on a loopback address only (<c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>).</summary>
    public static bool IsLoopback(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = HostOf(url);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    // Uri does not take the wildcards '*' and '+' as hosts, so the host is cut out by hand: scheme://host:port/path.
    private static string HostOf(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        rest = rest.Split('/')[0];
        if (rest.StartsWith('['))
        {
            return rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)];
        }

        var colon = rest.LastIndexOf(':');
        return colon < 0 ? rest : rest[..colon];
    }

    private static string[] Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
