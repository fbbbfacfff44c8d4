namespace Orchestrator.Abstractions.Backfills;

/// <summary>A backfill request was refused; nothing was created for it.</summary>
[GenerateSerializer]
[Alias("orchestrator.backfill-refused-exception")]
public sealed class BackfillRefusedException : Exception
{
    /// <summary>Creates the exception; <paramref name="position"/> is where in the filter the problem is, if there.</summary>
    public BackfillRefusedException(BackfillErrorCode code, string message, int? position = null)
        : base(message)
    {
        Code = code;
        Position = position;
    }

    /// <summary>What kind of problem.</summary>
    [Id(0)] public BackfillErrorCode Code { get; }

    /// <summary>Where in the filter text (1 is the first character), for filter problems.</summary>
    [Id(1)] public int? Position { get; }
}
