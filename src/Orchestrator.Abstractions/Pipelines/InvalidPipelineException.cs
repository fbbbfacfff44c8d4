namespace Orchestrator.Abstractions.Pipelines;

/// <summary>A pipeline definition was rejected. Nothing was installed or created for it.</summary>
[GenerateSerializer]
[Alias("orchestrator.invalid-pipeline-exception")]
public sealed class InvalidPipelineException : Exception
{
    /// <summary>Creates the exception for a non-empty list of problems.</summary>
    public InvalidPipelineException(IReadOnlyList<PipelineError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in the order of the definition.</summary>
    [Id(0)] public IReadOnlyList<PipelineError> Errors { get; }

    /// <summary>True when one of the problems has <paramref name="code"/>.</summary>
    public bool Has(PipelineErrorCode code) => Errors.Any(e => e.Code == code);

    private static string Describe(IReadOnlyList<PipelineError> errors) =>
        $"The pipeline definition is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
