namespace Orchestrator.Pipelines.Postgres;

/// <summary>When a host applies the pipelines file it is started with.</summary>
public enum PipelinesFileMode
{
    /// <summary>
    /// Only when the file changed since a host last started with it (or nothing is stored yet): a restart with the same
    /// file keeps the changes made through the API since.
    /// </summary>
    WhenChanged = 0,

    /// <summary>At every start: the file replaces whatever the graph became through the API.</summary>
    Always = 1,
}
