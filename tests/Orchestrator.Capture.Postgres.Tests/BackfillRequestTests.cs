using Orchestrator.Abstractions.Backfills;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Capture.Postgres.Tests;

/// <summary>A backfill request is checked against the pipelines and the table before anything is created.</summary>
public sealed class BackfillRequestTests
{
    private const string Setup =
        """
        CREATE TABLE items (id integer PRIMARY KEY, status text, amount numeric);
        CREATE TABLE loose (v text);
        CREATE TABLE other (id integer PRIMARY KEY);
        """;

    private static PipelineDefinition Definition()
    {
        var definition = Pipelines.Definition(new PostgresInputDefinition { Id = "in", Tables = ["items", "loose"] }, "a", "b");
        return definition with
        {
            Inputs = [.. definition.Inputs, new PostgresInputDefinition { Id = "in2", Tables = ["other"] }],
            Links = [.. definition.Links, new LinkDefinition { Id = "c", Input = "in2", Process = "p" }],
        };
    }

    [Theory]
    [InlineData("nope", "items", null, null, BackfillErrorCode.UnknownInput, null)]
    [InlineData("in", "missing", null, null, BackfillErrorCode.UnknownTable, null)]
    [InlineData("in", "other", null, null, BackfillErrorCode.UnknownTable, null)]
    [InlineData("in", "items", null, "a,zz", BackfillErrorCode.UnknownLink, null)]
    [InlineData("in", "items", null, "c", BackfillErrorCode.UnknownLink, null)]
    [InlineData("in", "loose", null, null, BackfillErrorCode.NoPrimaryKey, null)]
    [InlineData("in", null, null, null, BackfillErrorCode.NoPrimaryKey, null)]
    [InlineData("in", "items", "status = 'open' and", null, BackfillErrorCode.InvalidFilter, 20)]
    [InlineData("in", "items", "status = 'open' or colour = 'red'", null, BackfillErrorCode.InvalidFilter, 20)]
    [InlineData("in", "items", "amount >= 'lots'", null, BackfillErrorCode.FilterRejected, null)]
    public async Task A_bad_request_is_refused_with_a_typed_error_and_nothing_is_created(
        string input, string? table, string? where, string? links, BackfillErrorCode code, int? position)
    {
        await using var h = await BackfillHarness.StartAsync("BackfillRefused" + code, Setup, Definition());

        var e = await Assert.ThrowsAsync<BackfillRefusedException>(() => h.Service.StartAsync(
            new BackfillRequest { Input = input, Table = table, Where = where, Links = links?.Split(',') }, CancellationToken.None));

        Assert.Equal((code, position), (e.Code, e.Position));
        Assert.Equal(0, await h.CountAsync("SELECT count(*) FROM orchestrator.backfills"));
    }

    [Fact]
    public async Task A_literal_that_looks_like_sql_is_compared_as_a_value()
    {
        await using var h = await BackfillHarness.StartAsync(nameof(A_literal_that_looks_like_sql_is_compared_as_a_value), Setup, Definition());
        await h.Database.ExecuteAsync("INSERT INTO items VALUES (1, 'open', 1), (2, 'x'' or ''1''=''1', 2)");

        await h.StartAsync(new BackfillRequest { Input = "in", Table = "items", Where = "status = 'open'' or 1=1 --' or status = 'x'' or ''1''=''1'" });
        await h.RunToEndAsync();

        Assert.Equal(["2"], await h.Database.DataSource.ListAsync("SELECT new_row ->> 'id' FROM orchestrator.event_log WHERE operation = 'read'"));
        Assert.Equal(2, await h.CountAsync("SELECT count(*) FROM items"));
    }
}
