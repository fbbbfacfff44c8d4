namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>The persisted state of a list grain.</summary>
[GenerateSerializer]
[Alias("tests.list-state")]
public sealed class ListState
{
    /// <summary>The items, oldest first.</summary>
    [Id(0)] public List<string> Items { get; set; } = [];
}
