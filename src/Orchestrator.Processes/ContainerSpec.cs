using System.Globalization;
using System.Text;
using Docker.DotNet.Models;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Processes;

/// <summary>
/// What a run's container is created with: the attempt's name (see <see cref="ContainerNames"/>), the process's
/// argv as is (never a shell string), its environment plus Orchestrator's variables, labels that name the job
/// so a restarted silo can find the container, and the process's bounded log configuration, whatever the
/// engine's default driver is.
/// </summary>
internal static class ContainerSpec
{
    /// <summary>The create parameters for <paramref name="request"/>.</summary>
    public static CreateContainerParameters Create(ContainerRunRequest request, ContainerEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var process = request.Process;
        var parameters = new CreateContainerParameters
        {
            Name = ContainerNames.For(options.Scope, request.JobId, request.Attempt),
            Image = process.Image,
            Env = Environment(request, options),
            Labels = Labels(request, options.Scope),
            HostConfig = new HostConfig { LogConfig = LogConfig(process.Logs) },
        };
        if (!process.UseImageCommand && process.Command is { } command)
        {
            parameters.Cmd = [.. command];
        }

        if (process.WorkingDirectory is { Length: > 0 } workingDirectory)
        {
            parameters.WorkingDir = workingDirectory;
        }

        return parameters;
    }

    /// <summary>The labels of the run's container; see <see cref="ContainerLabels"/>.</summary>
    public static Dictionary<string, string> Labels(ContainerRunRequest request, string scope) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Scope] = scope,
        [ContainerLabels.JobId] = request.JobId,
        [ContainerLabels.Attempt] = request.Attempt.ToString(CultureInfo.InvariantCulture),
        [ContainerLabels.LinkId] = request.LinkId,
        [ContainerLabels.ProcessId] = request.ProcessId,
    };

    /// <summary>The engine's log driver and its rotation options (<c>max-size</c> in Docker's unit <c>m</c>, MiB).</summary>
    public static LogConfig LogConfig(ContainerLogsDefinition logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        return new LogConfig
        {
            Type = logs.Driver,
            Config = new Dictionary<string, string>
            {
                ["max-size"] = string.Create(CultureInfo.InvariantCulture, $"{logs.MaxSizeMegabytes}m"),
                ["max-file"] = logs.MaxFiles.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    private static List<string> Environment(ContainerRunRequest request, ContainerEngineOptions options)
    {
        var env = request.Process.Environment
            .Where(variable => !ContainerEnvironment.IsReserved(variable.Key))
            .Select(variable => $"{variable.Key}={variable.Value}")
            .ToList();
        env.Add($"{ContainerEnvironment.JobId}={request.JobId}");
        env.Add($"{ContainerEnvironment.Attempt}={request.Attempt.ToString(CultureInfo.InvariantCulture)}");
        env.Add($"{ContainerEnvironment.LinkId}={request.LinkId}");
        env.Add($"{ContainerEnvironment.ProcessId}={request.ProcessId}");
        env.Add($"{ContainerEnvironment.EventFile}={options.EventFilePath}");
        if (Encoding.UTF8.GetByteCount(request.EventJson) <= options.EventEnvironmentLimitBytes)
        {
            env.Add($"{ContainerEnvironment.Event}={request.EventJson}");
        }

        return env;
    }
}
