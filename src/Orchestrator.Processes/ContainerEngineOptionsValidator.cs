using Microsoft.Extensions.Options;

namespace Orchestrator.Processes;

/// <summary>Rejects <see cref="ContainerEngineOptions"/> that cannot work, naming the property.</summary>
internal sealed class ContainerEngineOptionsValidator : IValidateOptions<ContainerEngineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ContainerEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.LogTailBytes < 1)
        {
            failures.Add($"{nameof(ContainerEngineOptions)}.{nameof(options.LogTailBytes)} must be at least 1 (it is {options.LogTailBytes}).");
        }

        if (options.EventEnvironmentLimitBytes < 0)
        {
            failures.Add($"{nameof(ContainerEngineOptions)}.{nameof(options.EventEnvironmentLimitBytes)} must not be negative (it is {options.EventEnvironmentLimitBytes}).");
        }

        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            failures.Add($"{nameof(ContainerEngineOptions)}.{nameof(options.Scope)} must not be empty.");
        }

        if (!EventArchive.IsValidPath(options.EventFilePath))
        {
            failures.Add($"{nameof(ContainerEngineOptions)}.{nameof(options.EventFilePath)} must be an absolute file path such as /orchestrator/event.json (it is '{options.EventFilePath}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
