namespace Orchestrator.Abstractions.Events;

/// <summary>
/// One committed row change, as the capture trigger recorded it in the event log.
/// Rows are carried as the JSON text Postgres produced (<c>to_jsonb(row)</c>), untouched.
/// </summary>
/// <param name="Id">The event log id: unique within the input's database, increasing in insertion order.</param>
/// <param name="InputId">The input whose trigger captured the change.</param>
/// <param name="Schema">Schema of the changed table.</param>
/// <param name="Table">Name of the changed table.</param>
/// <param name="Operation">Insert, update or delete.</param>
/// <param name="OldRow">The row before the change as JSON (update and delete), otherwise null.</param>
/// <param name="NewRow">The row after the change as JSON (insert and update), otherwise null.</param>
/// <param name="TransactionId">The id of the transaction that made the change (<c>pg_current_xact_id()</c>).</param>
/// <param name="CapturedAt">When the trigger ran (the transaction's clock).</param>
/// <param name="RowKey">
/// The changed row's identity, <c>schema.table:</c> and a hash of its primary key's values (of the whole row when
/// the table has none); null for events logged before row keys were recorded. Events of one row share it, and
/// per-row links run their jobs in its events' order.
/// </param>
[GenerateSerializer, Immutable]
[Alias("orchestrator.captured-event")]
public sealed record CapturedEvent(
    [property: Id(0)] long Id,
    [property: Id(1)] string InputId,
    [property: Id(2)] string Schema,
    [property: Id(3)] string Table,
    [property: Id(4)] ChangeOperation Operation,
    [property: Id(5)] string? OldRow,
    [property: Id(6)] string? NewRow,
    [property: Id(7)] long TransactionId,
    [property: Id(8)] DateTimeOffset CapturedAt,
    [property: Id(9)] string? RowKey = null);
