using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>Reads pipelines files: JSON with camelCase keys; unknown keys are errors.</summary>
public static class PipelineFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions CompactOptions = new(Options) { WriteIndented = false };

    /// <summary>Parses and validates a pipelines document; throws <see cref="InvalidPipelineException"/> on any problem.</summary>
    public static PipelineDefinition Parse(string json)
    {
        PipelineDefinition? definition;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var shape = PipelineJsonShape.Check<PipelineDefinition>(document.RootElement, Options);
            if (shape.Count > 0)
            {
                throw new InvalidPipelineException(shape);
            }

            definition = document.RootElement.Deserialize<PipelineDefinition>(Options);
        }
        catch (JsonException e)
        {
            throw new InvalidPipelineException([new(PipelineErrorCode.Malformed, e.Path ?? "$", e.Message)]);
        }

        if (definition is null)
        {
            throw new InvalidPipelineException([new(PipelineErrorCode.Malformed, "$", "the document is null")]);
        }

        PipelineValidator.EnsureValid(definition);
        return definition;
    }

    /// <summary>Reads, parses and validates a pipelines file.</summary>
    public static PipelineDefinition Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new InvalidPipelineException([new(PipelineErrorCode.Malformed, path, "the pipelines file does not exist")]);
        }

        return Parse(File.ReadAllText(path));
    }

    /// <summary>Writes a definition in the file format (connection strings included: keep the file private).</summary>
    public static string Serialize(PipelineDefinition definition) => JsonSerializer.Serialize(definition, Options);

    /// <summary>Writes one input, process or link in the file format, on one line.</summary>
    internal static string SerializeElement<T>(T element) => JsonSerializer.Serialize(element, CompactOptions);
}
