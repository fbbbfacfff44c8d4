namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A list grain's state as one activation sees it.</summary>
/// <param name="Items">The stored items.</param>
/// <param name="ETag">The state's ETag (the storage row's version).</param>
/// <param name="Activation">Identifies the activation, so a test can tell a reactivation from the same one.</param>
[GenerateSerializer, Immutable]
[Alias("tests.list-snapshot")]
public sealed record ListSnapshot(
    [property: Id(0)] string[] Items,
    [property: Id(1)] string? ETag,
    [property: Id(2)] Guid Activation);
