using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>The capture trigger one input wants on one table: its events, its arguments and its DDL.</summary>
internal sealed class CaptureTrigger
{
    // pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h); AFTER is the absence of BEFORE and INSTEAD.
    private const int RowBit = 1;
    private const int InsertBit = 4;
    private const int DeleteBit = 8;
    private const int UpdateBit = 16;

    public CaptureTrigger(string inputId, string schema, CapturedTable table, IReadOnlyCollection<ChangeOperation> operations, int queueCount)
    {
        Name = SqlNames.TriggerName(inputId);
        Schema = schema;
        Table = table.Name;
        Operations = operations;
        Arguments = [inputId, queueCount.ToString(CultureInfo.InvariantCulture), .. table.KeyColumns];
        Type = RowBit | operations.Sum(o => o switch
        {
            ChangeOperation.Insert => InsertBit,
            ChangeOperation.Update => UpdateBit,
            _ => DeleteBit,
        });
    }

    public string Name { get; }

    public string Schema { get; }

    public string Table { get; }

    public IReadOnlyCollection<ChangeOperation> Operations { get; }

    public IReadOnlyList<string> Arguments { get; }

    public int Type { get; }

    /// <summary>True when <paramref name="installed"/> already is this trigger, so nothing needs to change.</summary>
    public bool IsSatisfiedBy(InstalledTrigger installed) =>
        installed.IsCapture && installed.Enabled && installed.Type == Type && installed.Arguments.SequenceEqual(Arguments, StringComparer.Ordinal);

    /// <summary>The statement creating or replacing the trigger (PostgreSQL 14+).</summary>
    public string CreateSql()
    {
        var events = string.Join(" OR ", Operations.Order().Select(o => ChangeOperations.NameOf(o).ToUpperInvariant()));
        var arguments = new StringBuilder();
        foreach (var argument in Arguments)
        {
            arguments.Append(arguments.Length == 0 ? "" : ", ").Append(SqlNames.Literal(argument));
        }

        return $"CREATE OR REPLACE TRIGGER {SqlNames.Quote(Name)} AFTER {events} ON {SqlNames.Table(Schema, Table)} "
            + $"FOR EACH ROW EXECUTE FUNCTION {SqlNames.Function}({arguments})";
    }

    /// <summary>The statement removing the trigger named <paramref name="name"/> from a table.</summary>
    public static string DropSql(string name, string schema, string table) =>
        $"DROP TRIGGER IF EXISTS {SqlNames.Quote(name)} ON {SqlNames.Table(schema, table)}";
}
