using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Pipelines.Postgres;

/// <summary>
/// Decides, when a host starts, which graph it runs: the stored one, or its pipelines file stored as the next version
/// (see <see cref="PipelinesFileMode"/>). The file is recorded by the hash of what it declares (comments and layout do
/// not count) once the graph took it in, so hosts starting together with the same new file store it once.
/// </summary>
public sealed partial class PipelinesFileReconciler(PipelineStore store, ILogger<PipelinesFileReconciler> logger)
{
    private const int MaxRaces = 5;

    /// <summary>
    /// The graph to run: <paramref name="file"/> (already parsed and validated, read from <paramref name="path"/>) when
    /// <paramref name="mode"/> says it applies, otherwise the stored version (an empty graph when none is stored and no
    /// file is given).
    /// </summary>
    public async Task<PipelineCatalog> ReconcileAsync(PipelineDefinition? file, string? path, PipelinesFileMode mode, CancellationToken cancellationToken = default)
    {
        for (var race = 0; ; race++)
        {
            var stored = await store.ReadCurrentAsync(cancellationToken);
            if (file is null)
            {
                return stored is null ? new PipelineCatalog(new PipelineDefinition()) : new PipelineCatalog(stored.Definition, stored.Version);
            }

            var hash = Hash(PipelineFile.Serialize(file));
            if (stored is not null && mode == PipelinesFileMode.WhenChanged && await store.FileHashAsync(cancellationToken) == hash)
            {
                if (PipelineDiff.Between(file, stored.Definition).Count > 0)
                {
                    LogKept(logger, stored.Version, stored.AppliedBy);
                }

                return new PipelineCatalog(stored.Definition, stored.Version);
            }

            if (stored is not null && PipelineDiff.Between(stored.Definition, file).Count == 0)
            {
                await store.RecordFileAsync(hash, stored.Version, cancellationToken);
                return new PipelineCatalog(stored.Definition, stored.Version);
            }

            if (await store.AppendAsync(file, stored?.Version ?? 0, "file:" + path, hash, cancellationToken) is { } version)
            {
                LogApplied(logger, version, path ?? "");
                return new PipelineCatalog(file, version);
            }

            if (race >= MaxRaces)
            {
                throw new InvalidOperationException($"The pipelines file could not be stored: the graph kept changing while this host started ({MaxRaces} tries).");
            }
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(1, LogLevel.Information, "Pipelines: the pipelines file is unchanged since a host last started with it, so the stored version {Version} (last changed by {AppliedBy}) runs; set Orchestrator:PipelinesFileMode=Always to apply the file at every start")]
    private static partial void LogKept(ILogger logger, long version, string appliedBy);

    [LoggerMessage(2, LogLevel.Information, "Pipelines: {Path} stored as version {Version}")]
    private static partial void LogApplied(ILogger logger, long version, string path);
}
