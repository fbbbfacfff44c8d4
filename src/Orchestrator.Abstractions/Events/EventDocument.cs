using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orchestrator.Abstractions.Events;

/// <summary>
/// The JSON document a process receives for its job: the captured change with the rows as JSON objects
/// (not strings), plus the job's identity. This is the contract every process kind reads.
/// </summary>
public static class EventDocument
{
    // The document is read by programs, never embedded in HTML: no need to escape '+', '<' or non-ASCII text.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the document for <paramref name="captured"/> as UTF-8 JSON.</summary>
    public static byte[] Write(CapturedEvent captured, string jobId, string linkId, int attempt)
    {
        ArgumentNullException.ThrowIfNull(captured);
        using var buffer = new MemoryStream(256 + (captured.OldRow?.Length ?? 0) + (captured.NewRow?.Length ?? 0));
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jobId", jobId);
            json.WriteString("linkId", linkId);
            json.WriteNumber("attempt", attempt);
            json.WriteNumber("eventId", captured.Id);
            json.WriteString("input", captured.InputId);
            json.WriteString("schema", captured.Schema);
            json.WriteString("table", captured.Table);
            json.WriteString("operation", ChangeOperations.NameOf(captured.Operation));
            json.WriteNumber("transactionId", captured.TransactionId);
            json.WriteString("capturedAt", captured.CapturedAt.ToString("O", CultureInfo.InvariantCulture));
            WriteRow(json, "old", captured.OldRow);
            WriteRow(json, "new", captured.NewRow);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The document as a string.</summary>
    public static string WriteString(CapturedEvent captured, string jobId, string linkId, int attempt) =>
        Encoding.UTF8.GetString(Write(captured, jobId, linkId, attempt));

    private static void WriteRow(Utf8JsonWriter json, string name, string? row)
    {
        json.WritePropertyName(name);
        if (row is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteRawValue(row, skipInputValidation: false);
        }
    }
}
