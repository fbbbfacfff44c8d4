namespace Orchestrator.Capture.Postgres;

/// <summary>A database with an event log. The connection string is a secret: it never appears in logs or text.</summary>
/// <param name="Index">The source's position in <see cref="ICaptureTopology.Sources"/>; logs name the source by it.</param>
/// <param name="ConnectionString">How to reach the database.</param>
public sealed record CaptureSource(int Index, string ConnectionString)
{
    /// <inheritdoc />
    public override string ToString() => $"source {Index}";
}
