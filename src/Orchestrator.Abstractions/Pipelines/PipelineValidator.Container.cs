namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The checks of what a container process runs.</summary>
public static partial class PipelineValidator
{
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

    private static PipelineError InvalidCommand(string path, string message) => new(PipelineErrorCode.InvalidCommand, path, message);
}
