namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A list grain with the state name "notes".</summary>
public sealed class NoteGrain([PersistentState("notes", ListGrain.StorageName)] IPersistentState<ListState> state)
    : ListGrain(state), INoteGrain;
