namespace Orchestrator.Abstractions.Pipelines;

/// <summary>What is wrong with a pipeline definition.</summary>
[GenerateSerializer]
[Alias("orchestrator.pipeline-error-code")]
public enum PipelineErrorCode
{
    /// <summary>The file is not valid JSON or a value has the wrong type.</summary>
    Malformed = 0,

    /// <summary>An id is missing or has characters other than letters, digits, '-' and '_' (at most 63).</summary>
    InvalidId = 1,

    /// <summary>Two inputs, two processes or two links share an id.</summary>
    DuplicateId = 2,

    /// <summary>A container process names no image.</summary>
    ContainerImageMissing = 3,

    /// <summary>A link names an input that is not declared.</summary>
    UnknownInput = 4,

    /// <summary>A link names a process that is not declared.</summary>
    UnknownProcess = 5,

    /// <summary>An input names a table that does not exist.</summary>
    UnknownTable = 6,

    /// <summary>An input names a schema that does not exist, or one with no tables.</summary>
    UnknownSchema = 7,

    /// <summary>A schema or table name is empty, too long (63 bytes) or contains a NUL character.</summary>
    InvalidIdentifier = 8,

    /// <summary>An operation other than insert, update or delete.</summary>
    UnknownOperation = 9,

    /// <summary>A kind of input or process this version does not know.</summary>
    UnknownKind = 10,

    /// <summary>A number out of its range (e.g. a concurrency below 1).</summary>
    OutOfRange = 11,

    /// <summary>An input's database cannot be reached.</summary>
    Unreachable = 12,

    /// <summary>
    /// A container process names no command (absent, empty, or an empty program) without asking for the image's own
    /// with <c>useImageCommand</c>, or names one together with it.
    /// </summary>
    InvalidCommand = 13,

    /// <summary>A container process names a log driver other than <c>local</c> or <c>json-file</c>.</summary>
    UnknownLogDriver = 14,

    /// <summary>
    /// A link's filter is not valid: its condition does not parse (the message names the position), compares a
    /// column with a literal of another type, or lists nothing.
    /// </summary>
    InvalidFilter = 15,

    /// <summary>A link's filter names a column its table does not have.</summary>
    UnknownColumn = 16,

    /// <summary>A change removes a process that unfinished jobs still use (allowed only when forced).</summary>
    ProcessInUse = 17,

    /// <summary>A change was made against a version of the graph that is no longer the current one.</summary>
    VersionConflict = 18,

    /// <summary>A change names a link that is not declared.</summary>
    UnknownLink = 19,

    /// <summary>A link's ordering is neither <c>parallel</c> nor <c>per-row</c>, or it coalesces without per-row ordering.</summary>
    InvalidOrdering = 20,

    /// <summary>A definition names a secret (see <c>Orchestrator.Abstractions.Secrets.ISecrets</c>) that the silo checking it does not have.</summary>
    UnknownSecret = 21,
}

/// <summary>One problem in a pipeline definition, with the path of the offending value (e.g. <c>links[2].process</c>).</summary>
[GenerateSerializer, Immutable]
[Alias("orchestrator.pipeline-error")]
public sealed record PipelineError(
    [property: Id(0)] PipelineErrorCode Code,
    [property: Id(1)] string Path,
    [property: Id(2)] string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message} ({Code})";
}
