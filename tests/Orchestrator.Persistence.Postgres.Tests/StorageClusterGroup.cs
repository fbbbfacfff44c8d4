namespace Orchestrator.Persistence.Postgres.Tests;

/// <summary>The test classes that share one <see cref="StorageCluster"/>.</summary>
[CollectionDefinition(Name)]
public sealed class StorageClusterGroup : ICollectionFixture<StorageCluster>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "storage cluster";
}
