using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Host.Http;

/// <summary>A job query or a replay from an HTTP query string (the keys of <see cref="JobQueryParser"/>, <see cref="ReplayRequestParser"/>).</summary>
public static class JobQueryParameters
{
    /// <summary>The query the query string describes, and what could not be read.</summary>
    public static (JobQuery Query, IReadOnlyList<string> Problems) Parse(IQueryCollection query) =>
        JobQueryParser.Parse(key => Values(query, key));

    /// <summary>The replay of <paramref name="linkId"/>'s jobs the query string describes, and its problems.</summary>
    public static (ReplayRequest Request, IReadOnlyList<string> Problems) ParseReplay(IQueryCollection query, string linkId, string requestedBy) =>
        ReplayRequestParser.Parse(linkId, requestedBy, key => Values(query, key));

    private static List<string> Values(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) ? values.OfType<string>().ToList() : [];
}
