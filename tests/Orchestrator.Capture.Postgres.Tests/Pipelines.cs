using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>Pipeline definitions for the tests: inputs with links to one placeholder process.</summary>
internal static class Pipelines
{
    /// <summary>Input "in" (every table of "public") with <paramref name="links"/>.</summary>
    public static PipelineDefinition Definition(params string[] links) => Definition(new PostgresInputDefinition { Id = "in" }, links);

    /// <summary><paramref name="input"/> with <paramref name="links"/>.</summary>
    public static PipelineDefinition Definition(PostgresInputDefinition input, params string[] links) => new()
    {
        Inputs = [input],
        Processes = [new ContainerProcessDefinition { Id = "p", Image = "unused", Command = ["true"] }],
        Links = links.Select(l => new LinkDefinition { Id = l, Input = input.Id, Process = "p" }).ToList(),
    };

    /// <summary>Input "in" with one link, <paramref name="link"/>, that runs a row's jobs in order.</summary>
    public static PipelineDefinition PerRow(string link) => Definition(link) with
    {
        Links = [new LinkDefinition { Id = link, Input = "in", Process = "p", Ordering = LinkOrdering.PerRow }],
    };
}
