namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A grain that keeps a list of strings in the "store" grain storage.</summary>
public interface IListGrain : IGrainWithStringKey
{
    /// <summary>Appends an item and writes the state.</summary>
    Task AddAsync(string item);

    /// <summary>What the current activation holds.</summary>
    Task<ListSnapshot> ReadAsync();
}
