using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Orchestrator.Abstractions.Pipelines;

/// <summary>
/// Checks the shape of a pipelines document against the definition types before it is deserialized, so that every
/// unknown key, duplicate key, missing required key and value of the wrong type is reported at once, each with
/// its path, instead of only the first one the deserializer trips over.
/// </summary>
internal static class PipelineJsonShape
{
    /// <summary>Every shape problem of <paramref name="root"/> read as <typeparamref name="T"/>; empty when it fits.</summary>
    public static List<PipelineError> Check<T>(JsonElement root, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<PipelineError>();
        Walk(root, options.GetTypeInfo(typeof(T)), "", options, errors);
        return errors;
    }

    private static void Walk(JsonElement element, JsonTypeInfo type, string path, JsonSerializerOptions options, List<PipelineError> errors)
    {
        switch (type.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                WalkObject(element, type, path, options, errors);
                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array:
                var item = options.GetTypeInfo(type.ElementType!);
                var index = 0;
                foreach (var child in element.EnumerateArray())
                {
                    Walk(child, item, $"{path}[{index++}]", options, errors);
                }

                break;
            case JsonTypeInfoKind.Dictionary when element.ValueKind == JsonValueKind.Object:
                var value = options.GetTypeInfo(type.ElementType!);
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = Join(path, property.Name);
                    if (!keys.Add(property.Name))
                    {
                        errors.Add(Malformed(at, $"the key '{property.Name}' appears more than once"));
                    }

                    Walk(property.Value, value, at, options, errors);
                }

                break;
            case JsonTypeInfoKind.None:
                CheckValue(element, type.Type, path, options, errors);
                break;
            default:
                if (element.ValueKind != JsonValueKind.Null)
                {
                    errors.Add(Malformed(Root(path), $"expected {Expected(type.Kind)}, found {Describe(element.ValueKind)}"));
                }

                break;
        }
    }

    private static void WalkObject(JsonElement element, JsonTypeInfo type, string path, JsonSerializerOptions options, List<PipelineError> errors)
    {
        var known = type.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var at = Join(path, property.Name);
            if (!known.TryGetValue(property.Name, out var info))
            {
                errors.Add(Malformed(at, $"unknown key '{property.Name}'; the known keys here are {string.Join(", ", known.Keys.Order(StringComparer.Ordinal))}"));
            }
            else if (!seen.Add(property.Name))
            {
                errors.Add(Malformed(at, $"the key '{property.Name}' appears more than once"));
            }
            else
            {
                Walk(property.Value, options.GetTypeInfo(info.PropertyType), at, options, errors);
            }
        }

        foreach (var required in type.Properties.Where(p => p.IsRequired && !seen.Contains(p.Name)))
        {
            errors.Add(Malformed(Join(path, required.Name), $"the required key '{required.Name}' is missing"));
        }
    }

    private static void CheckValue(JsonElement element, Type type, string path, JsonSerializerOptions options, List<PipelineError> errors)
    {
        try
        {
            JsonSerializer.Deserialize(element, type, options);
        }
        catch (JsonException)
        {
            var expected = Nullable.GetUnderlyingType(type) ?? type;
            errors.Add(Malformed(Root(path), $"expected {Name(expected)}{(expected != type ? " or null" : "")}, found {Describe(element.ValueKind)} {Shorten(element)}"));
        }
    }

    private static string Name(Type type) => type == typeof(string) ? "a string"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(double) ? "a number"
        : $"a {type.Name}";

    private static string Expected(JsonTypeInfoKind kind) => kind switch
    {
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
        JsonTypeInfoKind.Enumerable => "an array",
        _ => "a value",
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Root(string path) => path.Length == 0 ? "$" : path;

    private static PipelineError Malformed(string path, string message) => new(PipelineErrorCode.Malformed, path, message);
}
