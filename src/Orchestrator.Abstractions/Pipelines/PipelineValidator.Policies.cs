using System.Globalization;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>The checks of what a process and a link say about failures: timeouts, retry policies, exit codes.</summary>
public static partial class PipelineValidator
{
    /// <summary>The longest wait a retry policy or timeout may name: 30 days, in seconds.</summary>
    public const double MaxSeconds = 30 * 24 * 3600;

    /// <summary>The most attempts a retry policy may allow.</summary>
    public const int MaxAttempts = 1000;

    private static void CheckFailureHandling(ContainerProcessDefinition process, string path, List<PipelineError> errors)
    {
        if (process.TimeoutSeconds is { } timeout && !InRange(timeout, 0.001, MaxSeconds))
        {
            errors.Add(OutOfRange($"{path}.timeoutSeconds", $"process '{process.Id}' has timeoutSeconds {Show(timeout)}; use more than 0 and at most {MaxSeconds}"));
        }

        if (!InRange(process.StopGraceSeconds, 0, 3600))
        {
            errors.Add(OutOfRange($"{path}.stopGraceSeconds", $"process '{process.Id}' has stopGraceSeconds {Show(process.StopGraceSeconds)}; use 0 to 3600"));
        }

        CheckRetry(process.Retry, $"{path}.retry", $"process '{process.Id}'", errors);
        if (process.ExitCodes is null)
        {
            errors.Add(new(PipelineErrorCode.Malformed, $"{path}.exitCodes", $"process '{process.Id}' has a null exitCodes map"));
            return;
        }

        foreach (var (code, action) in process.ExitCodes)
        {
            if (!int.TryParse(code, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(new(PipelineErrorCode.Malformed, $"{path}.exitCodes.{code}", $"process '{process.Id}' maps '{code}', which is not an exit code (an integer)"));
            }

            if (action is null || !ExitCodeAction.All.Contains(action))
            {
                errors.Add(new(PipelineErrorCode.Malformed, $"{path}.exitCodes.{code}",
                    $"process '{process.Id}' maps exit code {code} to '{action}'; use {string.Join(", ", ExitCodeAction.All.Order(StringComparer.Ordinal))}"));
            }
        }
    }

    private static void CheckRetry(RetryPolicyDefinition? retry, string path, string owner, List<PipelineError> errors)
    {
        if (retry is null)
        {
            errors.Add(new(PipelineErrorCode.Malformed, path, $"{owner} has a null retry policy; leave the key out for the default"));
            return;
        }

        if (retry.MaxAttempts is < 1 or > MaxAttempts)
        {
            errors.Add(OutOfRange($"{path}.maxAttempts", $"{owner} has maxAttempts {retry.MaxAttempts}; use 1 to {MaxAttempts}"));
        }

        if (!InRange(retry.InitialDelaySeconds, 0, MaxSeconds))
        {
            errors.Add(OutOfRange($"{path}.initialDelaySeconds", $"{owner} has initialDelaySeconds {Show(retry.InitialDelaySeconds)}; use 0 to {MaxSeconds}"));
        }

        if (!InRange(retry.MaxDelaySeconds, 0, MaxSeconds) || retry.MaxDelaySeconds < retry.InitialDelaySeconds)
        {
            errors.Add(OutOfRange($"{path}.maxDelaySeconds",
                $"{owner} has maxDelaySeconds {Show(retry.MaxDelaySeconds)}; use at least initialDelaySeconds ({Show(retry.InitialDelaySeconds)}) and at most {MaxSeconds}"));
        }

        if (!InRange(retry.Multiplier, 1, 100))
        {
            errors.Add(OutOfRange($"{path}.multiplier", $"{owner} has multiplier {Show(retry.Multiplier)}; use 1 to 100"));
        }

        if (!InRange(retry.Jitter, 0, 1))
        {
            errors.Add(OutOfRange($"{path}.jitter", $"{owner} has jitter {Show(retry.Jitter)}; use 0 to 1"));
        }

        var kinds = retry.RetryOn ?? [];
        for (var k = 0; k < kinds.Count; k++)
        {
            if (kinds[k] is null || !RetryPolicyDefinition.FailureKinds.Contains(kinds[k]))
            {
                errors.Add(new(PipelineErrorCode.Malformed, $"{path}.retryOn[{k}]",
                    $"{owner} retries on '{kinds[k]}'; use {string.Join(", ", RetryPolicyDefinition.FailureKinds.Order(StringComparer.Ordinal))}"));
            }
        }
    }

    private static bool InRange(double value, double min, double max) => double.IsFinite(value) && value >= min && value <= max;

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static PipelineError OutOfRange(string path, string message) => new(PipelineErrorCode.OutOfRange, path, message);
}
