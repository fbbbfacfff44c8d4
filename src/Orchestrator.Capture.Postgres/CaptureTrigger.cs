using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Events;

namespace Orchestrator.Capture.Postgres;

/// <summary>
/// A capture trigger one input wants on one table: its name, events, arguments, the <c>WHEN</c> of its links' filters
/// (kept as the trigger's comment too, so an installed one is compared without parsing Postgres' deparsed form) and its DDL.
/// </summary>
internal sealed class CaptureTrigger
{
    // pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h); AFTER is the absence of BEFORE and INSTEAD.
    private const int RowBit = 1;
    private const int InsertBit = 4;
    private const int DeleteBit = 8;
    private const int UpdateBit = 16;

    public CaptureTrigger(string name, string inputId, string schema, CapturedTable table, IReadOnlyCollection<ChangeOperation> operations, int queueCount, string? when)
    {
        Name = name;
        When = when;
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

    /// <summary>The condition of the trigger's <c>WHEN</c>; null is none.</summary>
    public string? When { get; }

    /// <summary>True when <paramref name="installed"/> is on this trigger's table under its name.</summary>
    public bool IsAt(InstalledTrigger installed) =>
        string.Equals(Name, installed.Name, StringComparison.Ordinal)
        && string.Equals(Schema, installed.Schema, StringComparison.Ordinal) && string.Equals(Table, installed.Table, StringComparison.Ordinal);

    /// <summary>True when <paramref name="installed"/> already is this trigger, so nothing needs to change.</summary>
    public bool IsSatisfiedBy(InstalledTrigger installed) =>
        IsAt(installed) && installed.IsCapture && installed.Enabled && installed.Type == Type
        && installed.Arguments.SequenceEqual(Arguments, StringComparer.Ordinal) && string.Equals(installed.Comment, When, StringComparison.Ordinal);

    /// <summary>The statements creating or replacing the trigger (PostgreSQL 14+) and setting its comment to its condition.</summary>
    public string CreateSql()
    {
        var events = string.Join(" OR ", Operations.Order().Select(o => ChangeOperations.NameOf(o).ToUpperInvariant()));
        var arguments = new StringBuilder();
        foreach (var argument in Arguments)
        {
            arguments.Append(arguments.Length == 0 ? "" : ", ").Append(SqlNames.Literal(argument));
        }

        var when = When is null ? "" : $"WHEN ({When}) ";
        return $"CREATE OR REPLACE TRIGGER {SqlNames.Quote(Name)} AFTER {events} ON {SqlNames.Table(Schema, Table)} "
            + $"FOR EACH ROW {when}EXECUTE FUNCTION {SqlNames.Function}({arguments}); "
            + $"COMMENT ON TRIGGER {SqlNames.Quote(Name)} ON {SqlNames.Table(Schema, Table)} IS {(When is null ? "NULL" : SqlNames.Literal(When))}";
    }

    /// <summary>The statement removing the trigger named <paramref name="name"/> from a table.</summary>
    public static string DropSql(string name, string schema, string table) =>
        $"DROP TRIGGER IF EXISTS {SqlNames.Quote(name)} ON {SqlNames.Table(schema, table)}";
}
