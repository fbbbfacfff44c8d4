namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A list grain whose state is named "tags".</summary>
public interface ITagGrain : IListGrain;
