namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>Answers with the text and the silo it runs on.</summary>
public sealed class EchoGrain : Grain, IEchoGrain
{
    /// <inheritdoc />
    public Task<string> EchoAsync(string text) => Task.FromResult($"{text}@{RuntimeIdentity}");
}
