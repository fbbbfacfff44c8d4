using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Capture.Postgres.Backfills;

namespace Orchestrator.Capture.Postgres.Filters;

/// <summary>
/// The capture triggers an input wants. Unless every link of the input filters: one trigger per table for all its
/// operations. When every link filters: one trigger per table and operation that some link wants, whose
/// <c>WHEN</c> is the OR of those links' filters (none when one of them passes every such change), so a change no
/// link wants never reaches the event log. The silo still tests each link's own filter.
/// </summary>
internal static class CaptureTriggerPlan
{
    public static List<CaptureTrigger> For(InputTables input, IReadOnlyCollection<ChangeOperation> operations, int queueCount)
    {
        var id = input.Input.Id;
        if (input.Filters is not { } filters)
        {
            return input.Tables.Select(t => new CaptureTrigger(SqlNames.TriggerName(id), id, input.Input.Schema, t, operations, queueCount, null)).ToList();
        }

        var triggers = new List<CaptureTrigger>();
        foreach (var table in input.Tables)
        {
            foreach (var operation in operations.Order())
            {
                var conditions = filters.Where(f => f.Applies(table.Name, operation)).Select(f => Condition(f, table.Name, operation)).ToList();
                if (conditions.Count > 0)
                {
                    var when = conditions.Any(c => c is null) ? null : string.Join(" OR ", conditions);
                    triggers.Add(new CaptureTrigger(SqlNames.TriggerName(id, operation), id, input.Input.Schema, table, [operation], queueCount, when));
                }
            }
        }

        return triggers;
    }

    // One link's condition on one table and operation; null when it passes every such change.
    private static string? Condition(LinkEventFilter filter, string tableName, ChangeOperation operation)
    {
        var scope = new TriggerFilterScope(filter.Tables.Single(t => t.Name == tableName), operation);
        var parts = new List<string>();
        if (operation == ChangeOperation.Update && filter.Columns is { } columns)
        {
            parts.Add("(" + string.Join(" OR ", columns.Select(c => scope.Changed(new FilterColumn(c, 1)))) + ")");
        }

        if (filter.Condition is { } condition)
        {
            parts.Add(FilterSql.Compile(condition, scope));
        }

        return parts.Count == 0 ? null : "(" + string.Join(" AND ", parts) + ")";
    }
}
