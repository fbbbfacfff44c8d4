using System.Text.Json;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Abstractions.Tests;

public sealed class EventDocumentTests
{
    [Fact]
    public void Rows_are_embedded_as_json_objects_with_the_job_identity()
    {
        var captured = new CapturedEvent(42, "orders", "public", "Odd \"name\"", ChangeOperation.Update,
            """{"id": 1, "note": "a\nb"}""", """{"id": 1, "note": "c"}""", 777, DateTimeOffset.UnixEpoch);

        using var document = JsonDocument.Parse(EventDocument.Write(captured, "job:l:42", "l", 2));
        var root = document.RootElement;

        Assert.Equal("job:l:42", root.GetProperty("jobId").GetString());
        Assert.Equal(2, root.GetProperty("attempt").GetInt32());
        Assert.Equal(42, root.GetProperty("eventId").GetInt64());
        Assert.Equal("update", root.GetProperty("operation").GetString());
        Assert.Equal("Odd \"name\"", root.GetProperty("table").GetString());
        Assert.Equal("a\nb", root.GetProperty("old").GetProperty("note").GetString());
        Assert.Equal("c", root.GetProperty("new").GetProperty("note").GetString());
    }

    [Fact]
    public void A_missing_row_is_null()
    {
        var captured = new CapturedEvent(1, "i", "s", "t", ChangeOperation.Insert, null, """{"a":1}""", 1, DateTimeOffset.UnixEpoch);

        using var document = JsonDocument.Parse(EventDocument.Write(captured, "j", "l", 1));

        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("old").ValueKind);
    }
}
