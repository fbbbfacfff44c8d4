namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A list grain whose state is named "notes".</summary>
public interface INoteGrain : IListGrain;
