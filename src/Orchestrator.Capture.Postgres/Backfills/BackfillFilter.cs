using Npgsql;
using NpgsqlTypes;
using Orchestrator.Abstractions.Filters;

namespace Orchestrator.Capture.Postgres.Backfills;

/// <summary>A filter compiled onto a command: its literals become the command's next parameters, typed <c>unknown</c>.</summary>
internal static class BackfillFilter
{
    /// <summary>The condition over rows aliased <c>t</c>; adds the literals to <paramref name="command"/>.</summary>
    public static string Compile(FilterExpression filter, IReadOnlyCollection<string> columns, NpgsqlCommand command) =>
        FilterSql.Compile(filter, columns, "t", text =>
        {
            command.Parameters.Add(new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Unknown });
            return "$" + command.Parameters.Count;
        });
}
