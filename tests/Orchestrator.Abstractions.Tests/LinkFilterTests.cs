using Orchestrator.Abstractions.Events;
using Orchestrator.Abstractions.Filters;
using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

/// <summary>The link filter language: its new forms parse, its checks name paths, and the silo's evaluation keeps SQL's three-valued logic.</summary>
public sealed class LinkFilterTests
{
    private static readonly FilterTable Orders = new("orders", new Dictionary<string, FilterColumnType>
    {
        ["id"] = FilterColumnType.Numeric,
        ["status"] = FilterColumnType.Text,
        ["amount"] = FilterColumnType.Numeric,
        ["at"] = FilterColumnType.TimestampTz,
        ["tags"] = FilterColumnType.Other,
    });

    private static LinkEventFilter Compile(LinkFilterDefinition filter)
    {
        var errors = new List<PipelineError>();
        var compiled = LinkFilterCompiler.Compile(new LinkDefinition { Id = "l", Input = "in", Process = "p", Filter = filter }, "links[0]", [Orders], errors);
        Assert.Empty(errors);
        return compiled!;
    }

    private static CapturedEvent Change(ChangeOperation operation, string? old, string? @new) =>
        new(1, "in", "public", "orders", operation, old, @new, 1, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Qualified_columns_changed_and_double_equals_parse()
    {
        Assert.Equal(
            new FilterAnd(
                new FilterComparison(new FilterColumn("status", 1, FilterRow.New), FilterOperator.Equal, new FilterLiteral(FilterLiteralKind.Text, "paid", 15)),
                new FilterChanged(new FilterColumn("amount", 34), 26)),
            FilterParser.Parse("new.status == 'paid' and changed(amount)"));
        Assert.Equal(new FilterNullTest(new FilterColumn("old", 1), false), FilterParser.Parse("old is null"));
        Assert.Equal(new FilterNullTest(new FilterColumn("S", 1, FilterRow.Old), true), FilterParser.Parse("OLD.\"S\" is not null"));
    }

    [Theory]
    [InlineData("changed(old.status)", 9, "changed() takes a bare column")]
    [InlineData("new. = 1", 6, "expected a column")]
    [InlineData("status === 'x'", 10, "expected a literal")]
    public void Misused_forms_are_refused_at_their_position(string text, int position, string problem)
    {
        var e = Assert.Throws<InvalidFilterException>(() => FilterParser.Parse(text));

        Assert.Equal(position, e.Position);
        Assert.StartsWith(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_condition_does_not_pass_and_not_of_unknown_is_unknown()
    {
        var row = """{"id": 1, "status": null, "amount": 5}""";

        Assert.False(Compile(new() { When = "status = 'x'" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.False(Compile(new() { When = "not status = 'x'" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.True(Compile(new() { When = "status = 'x' or amount = 5.00" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.False(Compile(new() { When = "status = 'x' and amount = 5" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.True(Compile(new() { When = "not (status = 'x' and amount = 6)" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.False(Compile(new() { When = "status not in ('a')" }).Passes(Change(ChangeOperation.Insert, null, row)));
    }

    [Fact]
    public void A_bare_column_reads_the_old_row_of_a_delete_and_a_missing_row_reads_as_nulls()
    {
        var row = """{"id": 1, "status": "gone", "amount": 5}""";

        Assert.True(Compile(new() { When = "status = 'gone'" }).Passes(Change(ChangeOperation.Delete, row, null)));
        Assert.True(Compile(new() { When = "new.status is null and old.status is not null" }).Passes(Change(ChangeOperation.Delete, row, null)));
        Assert.True(Compile(new() { When = "changed(status)" }).Passes(Change(ChangeOperation.Insert, null, row)));
        Assert.True(Compile(new() { When = "old.id is null" }).Passes(Change(ChangeOperation.Read, null, row)));
    }

    [Fact]
    public void Columns_test_only_updates_and_compare_values_not_their_spelling()
    {
        var filter = Compile(new() { Columns = ["amount", "tags"] });

        Assert.False(filter.Passes(Change(ChangeOperation.Update, """{"amount": 5.0, "tags": [1]}""", """{"amount": 5.00, "tags": [1]}""")));
        Assert.True(filter.Passes(Change(ChangeOperation.Update, """{"amount": 5, "tags": [1]}""", """{"amount": 5, "tags": [2]}""")));
        Assert.True(filter.Passes(Change(ChangeOperation.Update, """{"amount": null}""", """{"amount": 0}""")));
        Assert.True(filter.Passes(Change(ChangeOperation.Insert, null, """{"amount": 1}""")));
    }

    [Fact]
    public void Timestamps_with_a_zone_compare_as_instants_and_text_by_code_point()
    {
        var change = Change(ChangeOperation.Insert, null, """{"status": "Zebra", "at": "2026-01-01T15:30:00+05:30"}""");

        Assert.True(Compile(new() { When = "at = '2026-01-01T10:00:00Z'" }).Passes(change));
        Assert.True(Compile(new() { When = "status < 'a'" }).Passes(change));
    }

    [Fact]
    public void Tables_and_operations_outside_the_filter_do_not_pass_and_a_read_is_filtered_as_an_insert()
    {
        var filter = Compile(new() { Tables = ["orders"], Operations = ["insert"] });

        Assert.True(filter.Passes(Change(ChangeOperation.Read, null, "{}")));
        Assert.False(filter.Passes(Change(ChangeOperation.Update, "{}", "{}")));
        Assert.False(filter.Passes(Change(ChangeOperation.Insert, null, "{}") with { Table = "other" }));
    }

    [Fact]
    public void The_validator_reports_every_filter_problem_with_its_path()
    {
        var errors = PipelineValidator.Validate(new PipelineDefinition
        {
            Inputs = [new PostgresInputDefinition { Id = "in", Tables = ["orders"], Operations = ["insert", "update"] }],
            Processes = [new ContainerProcessDefinition { Id = "p", Image = "i", Command = ["true"] }],
            Links = [new LinkDefinition { Id = "l", Input = "in", Process = "p", Filter = new() { Tables = ["nope"], Operations = ["delete", "bogus"], Columns = [], When = "a = = 1" } }],
        });

        Assert.Equal(
            [
                (PipelineErrorCode.UnknownTable, "links[0].filter.tables[0]"),
                (PipelineErrorCode.InvalidFilter, "links[0].filter.columns"),
                (PipelineErrorCode.UnknownOperation, "links[0].filter.operations[0]"),
                (PipelineErrorCode.UnknownOperation, "links[0].filter.operations[1]"),
                (PipelineErrorCode.InvalidFilter, "links[0].filter.when"),
            ],
            errors.Select(e => (e.Code, e.Path)));
        Assert.EndsWith("(at character 5)", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pipelines_file_reads_a_link_filter()
    {
        var definition = PipelineFile.Parse("""
            { "inputs": [ { "id": "in" } ], "processes": [ { "id": "p", "image": "i", "command": ["true"] } ],
              "links": [ { "id": "l", "input": "in", "process": "p",
                           "filter": { "tables": ["orders"], "operations": ["update"], "columns": ["status"], "when": "new.status = 'paid'" } } ] }
            """);

        Assert.Equal("new.status = 'paid'", definition.Links[0].Filter!.When);
        Assert.Equal(["status"], definition.Links[0].Filter!.Columns!);
    }
}
