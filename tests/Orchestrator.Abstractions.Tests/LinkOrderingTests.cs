using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

/// <summary>A link's <c>ordering</c> and <c>coalesce</c> as a pipelines file states them.</summary>
public sealed class LinkOrderingTests
{
    private static string File(string link) => $$"""
        {
          "inputs": [ { "id": "orders" } ],
          "processes": [ { "id": "echo", "image": "busybox:1", "command": ["true"] } ],
          "links": [ { "id": "a", "input": "orders", "process": "echo" }, {{link}} ]
        }
        """;

    [Fact]
    public void Links_are_parallel_unless_they_ask_for_per_row_order_and_may_then_coalesce()
    {
        var links = PipelineFile.Parse(File("""{ "id": "b", "input": "orders", "process": "echo", "ordering": "per-row", "coalesce": true }""")).Links;

        Assert.Equal((LinkOrdering.Parallel, false, false), (links[0].Ordering, links[0].OrdersRows, links[0].Coalesce));
        Assert.Equal((LinkOrdering.PerRow, true, true), (links[1].Ordering, links[1].OrdersRows, links[1].Coalesce));
    }

    [Theory]
    [InlineData("""{ "id": "b", "input": "orders", "process": "echo", "ordering": "per-table" }""", "links[1].ordering", "'per-table'")]
    [InlineData("""{ "id": "b", "input": "orders", "process": "echo", "coalesce": true }""", "links[1].coalesce", "needs ordering 'per-row'")]
    [InlineData("""{ "id": "b", "input": "orders", "process": "echo", "ordering": "parallel", "coalesce": true }""", "links[1].coalesce", "(it has 'parallel')")]
    public void An_unknown_ordering_or_coalescing_without_per_row_order_is_a_typed_error_with_its_path(string link, string path, string message)
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(link)));

        var error = Assert.Single(e.Errors);
        Assert.Equal((PipelineErrorCode.InvalidOrdering, path), (error.Code, error.Path));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
