namespace Orchestrator.Persistence.Postgres.Tests.Grains;

/// <summary>A stateless grain for clustering tests.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    /// <summary>Returns <paramref name="text"/> with the identity of the silo that ran the call.</summary>
    Task<string> EchoAsync(string text);
}
