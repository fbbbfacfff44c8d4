namespace Orchestrator.Grains.Tests;

/// <summary>One pipeline cluster shared by the tests of a class; each test uses its own table and link.</summary>
public abstract class PipelineFixture(string name, string setupSql, Func<string, string> pipelines) : IAsyncLifetime
{
    private PipelineCluster? _pipeline;

    /// <summary>The running cluster.</summary>
    public PipelineCluster Pipeline => _pipeline ?? throw new InvalidOperationException("The pipeline cluster did not start.");

    /// <inheritdoc />
    public async Task InitializeAsync() => _pipeline = await PipelineCluster.StartAsync(name, setupSql, pipelines);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }
}
