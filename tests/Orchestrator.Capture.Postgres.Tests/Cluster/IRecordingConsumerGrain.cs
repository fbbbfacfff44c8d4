namespace Orchestrator.Capture.Postgres.Tests.Cluster;

/// <summary>A stand-in for the link grain: one activation per link id, fed by implicit subscription.</summary>
public interface IRecordingConsumerGrain : IGrainWithStringKey;
