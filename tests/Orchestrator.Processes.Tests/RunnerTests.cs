namespace Orchestrator.Processes.Tests;

/// <summary>A test class with its own runner harness, whose containers are removed when the class's tests end.</summary>
public abstract class RunnerTests : IAsyncLifetime
{
    /// <summary>The runner against the real engine, and the test's container helpers.</summary>
    private protected RunnerHarness Harness { get; } = new();

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    // xunit 2 disposes test classes through IAsyncLifetime only.
    public Task DisposeAsync() => Harness.DisposeAsync().AsTask();
}
