namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The checks of what a container process runs and how the engine keeps its log.</summary>
public static partial class PipelineValidator
{
    /// <summary>The largest log file a process may ask the engine for, in MiB.</summary>
    public const int MaxLogFileMegabytes = 1024;

    /// <summary>The most log files a process may ask the engine to keep.</summary>
    public const int MaxLogFiles = 100;

    /// <summary>
    /// A command names its program first; an empty program, or none, fails every attempt at the engine. Later
    /// arguments may be empty: <c>["grep", "-v", ""]</c> is a valid argument vector. The image's own command is an
    /// explicit choice, never what an empty list falls back to.
    /// </summary>
    private static void CheckCommand(ContainerProcessDefinition process, string path, List<PipelineError> errors)
    {
        var at = $"{path}.command";
        if (process.UseImageCommand)
        {
            if (process.Command is not null)
            {
                errors.Add(InvalidCommand(at, $"process '{process.Id}' names a command and sets useImageCommand; keep one of them"));
            }
        }
        else if (process.Command is not { Count: > 0 } command)
        {
            errors.Add(InvalidCommand(at,
                $"process '{process.Id}' names no command; give its argument vector, or set useImageCommand to run the image's own"));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(command[0]))
            {
                errors.Add(InvalidCommand($"{at}[0]", $"process '{process.Id}' has an empty program as the first element of its command"));
            }

            for (var i = 1; i < command.Count; i++)
            {
                if (command[i] is null)
                {
                    errors.Add(InvalidCommand($"{at}[{i}]", $"process '{process.Id}' has a null argument in its command; use \"\" for an empty one"));
                }
            }
        }
    }

    private static void CheckLogs(ContainerProcessDefinition process, string path, List<PipelineError> errors)
    {
        var at = $"{path}.logs";
        if (process.Logs is not { } logs)
        {
            errors.Add(new(PipelineErrorCode.Malformed, at, $"process '{process.Id}' has a null logs configuration; leave the key out for the default"));
            return;
        }

        if (logs.Driver is null || !ContainerLogsDefinition.Drivers.Contains(logs.Driver))
        {
            errors.Add(new(PipelineErrorCode.UnknownLogDriver, $"{at}.driver",
                $"process '{process.Id}' has log driver '{logs.Driver}'; use {string.Join(" or ", ContainerLogsDefinition.Drivers.Order(StringComparer.Ordinal))}"));
        }

        if (logs.MaxSizeMegabytes is < 1 or > MaxLogFileMegabytes)
        {
            errors.Add(OutOfRange($"{at}.maxSizeMegabytes", $"process '{process.Id}' has logs.maxSizeMegabytes {logs.MaxSizeMegabytes}; use 1 to {MaxLogFileMegabytes}"));
        }

        if (logs.MaxFiles is < 2 or > MaxLogFiles)
        {
            errors.Add(OutOfRange($"{at}.maxFiles", $"process '{process.Id}' has logs.maxFiles {logs.MaxFiles}; use 2 to {MaxLogFiles}"));
        }
    }

    private static PipelineError InvalidCommand(string path, string message) => new(PipelineErrorCode.InvalidCommand, path, message);
}
