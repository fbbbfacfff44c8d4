using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.JobStore.Postgres;

/// <summary>
/// A job record as the JSON document of <c>orchestrator.jobs.record</c>: camel-case names, status names as
/// strings, the event's old and new rows as JSON objects (not strings), so SQL can reach into them
/// (<c>record -&gt; 'event' -&gt; 'newRow' -&gt;&gt; 'status'</c>).
/// </summary>
/// <remarks>
/// PostgreSQL's jsonb holds neither NUL characters nor unpaired surrogates. Both can come from a container's
/// output (binary bytes, a tail cut between the halves of a pair); they are written as U+FFFD, so a chatty
/// container can never make its job's record unwritable.
/// </remarks>
public static class JobDocument
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new StorableStringConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { RowsAsJson } },
    };

    /// <summary>The document of <paramref name="job"/>.</summary>
    public static string Serialize(JobState job) => JsonSerializer.Serialize(job, Options);

    /// <summary>The record a document holds.</summary>
    public static JobState Deserialize(string document) =>
        JsonSerializer.Deserialize<JobState>(document, Options)
        ?? throw new JsonException("A job record document is null.");

    /// <summary>The text with every NUL and unpaired surrogate replaced by U+FFFD; the same instance when it has none.</summary>
    public static string Storable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        return string.Create(text.Length, text, static (destination, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    destination[i] = c;
                    destination[i + 1] = source[++i];
                }
                else
                {
                    destination[i] = c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }

    private static void RowsAsJson(JsonTypeInfo type)
    {
        if (type.Type != typeof(CapturedEvent))
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.Name is "oldRow" or "newRow")
            {
                property.CustomConverter = RawJsonConverter.Instance;
            }
        }
    }

    /// <summary>A string that already is JSON text, written as that JSON and read back as its text.</summary>
    private sealed class RawJsonConverter : JsonConverter<string>
    {
        public static readonly RawJsonConverter Instance = new();

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.GetRawText();
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value);
    }

    private sealed class StorableStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Storable(value));
    }
}
