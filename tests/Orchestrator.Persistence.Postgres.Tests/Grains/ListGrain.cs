namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>What both list grains do; they differ only in the name of their state.</summary>
public abstract class ListGrain(IPersistentState<ListState> state) : Grain, IListGrain
{
    /// <summary>The grain storage the list grains use.</summary>
    public const string StorageName = "store";

    private readonly Guid _activation = Guid.NewGuid();

    /// <inheritdoc />
    public async Task AddAsync(string item)
    {
        state.State.Items.Add(item);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<ListSnapshot> ReadAsync() =>
        Task.FromResult(new ListSnapshot([.. state.State.Items], state.Etag, _activation));
}
