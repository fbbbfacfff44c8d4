namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A list grain with the state name "tags".</summary>
public sealed class TagGrain([PersistentState("tags", ListGrain.StorageName)] IPersistentState<ListState> state)
    : ListGrain(state), ITagGrain;
