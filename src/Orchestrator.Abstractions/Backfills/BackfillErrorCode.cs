namespace Orchestrator.Abstractions.Backfills;

/// <summary>Why a backfill was refused.</summary>
[GenerateSerializer]
[Alias("orchestrator.backfill-error-code")]
public enum BackfillErrorCode
{
    /// <summary>No input has the id.</summary>
    UnknownInput = 0,

    /// <summary>The table is not one of the input's (or does not exist).</summary>
    UnknownTable = 1,

    /// <summary>No link has the id, or it consumes another input.</summary>
    UnknownLink = 2,

    /// <summary>The table has no primary key, so pages cannot resume where they stopped.</summary>
    NoPrimaryKey = 3,

    /// <summary>The filter does not parse or names a column the table does not have; see the position.</summary>
    InvalidFilter = 4,

    /// <summary>The database refused the filter (e.g. a literal that is not of its column's type).</summary>
    FilterRejected = 5,

    /// <summary>The page size is not positive.</summary>
    InvalidPageSize = 6,
}
