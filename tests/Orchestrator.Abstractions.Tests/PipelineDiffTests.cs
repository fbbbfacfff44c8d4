using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

public sealed class PipelineDiffTests
{
    private static readonly PipelineDefinition Base = new()
    {
        Inputs = [new PostgresInputDefinition { Id = "orders", Tables = ["orders"] }],
        Processes = [new ContainerProcessDefinition { Id = "echo", Image = "busybox:1", Command = ["true"] }],
        Links = [new LinkDefinition { Id = "orders-echo", Input = "orders", Process = "echo" }],
    };

    [Fact]
    public void Equal_definitions_have_no_changes_even_as_different_instances()
    {
        var copy = PipelineFile.Parse(PipelineFile.Serialize(Base));

        Assert.Empty(PipelineDiff.Between(Base, copy));
    }

    [Fact]
    public void Every_added_changed_and_removed_element_is_listed_inputs_then_processes_then_links()
    {
        var next = Base with
        {
            Inputs = [Base.Inputs[0] with { Tables = ["orders", "refunds"] }, new PostgresInputDefinition { Id = "users" }],
            Processes = [new ContainerProcessDefinition { Id = "print", Image = "busybox:1", Command = ["true"] }],
            Links = [new LinkDefinition { Id = "users-print", Input = "users", Process = "print" }],
        };

        var changes = PipelineDiff.Between(Base, next);

        Assert.Equal(
            ["~ input orders", "+ input users", "+ process print", "- process echo", "+ link users-print", "- link orders-echo"],
            changes.Select(c => c.ToString()));
    }

    [Fact]
    public void A_changed_connection_string_is_a_change()
    {
        var next = Base with { Inputs = [Base.Inputs[0] with { ConnectionString = "Host=elsewhere" }] };

        Assert.Equal(new PipelineChange(PipelineChangeKind.Changed, PipelineElement.Input, "orders"), Assert.Single(PipelineDiff.Between(Base, next)));
    }

    [Fact]
    public void Put_replaces_in_place_or_appends_and_remove_drops_by_id()
    {
        var replaced = PipelineEdits.Put(Base, new LinkDefinition { Id = "orders-echo", Input = "orders", Process = "echo", Retry = RetryPolicyDefinition.Default });
        var added = PipelineEdits.Put(Base, new ContainerProcessDefinition { Id = "print", Image = "busybox:1", Command = ["true"] });

        Assert.NotNull(Assert.Single(replaced.Links).Retry);
        Assert.Equal(["echo", "print"], added.Processes.Select(p => p.Id));
        Assert.Empty(PipelineEdits.Remove(Base, PipelineElement.Link, "orders-echo")!.Links);
        Assert.Null(PipelineEdits.Remove(Base, PipelineElement.Input, "nope"));
    }

    [Fact]
    public void Removing_an_input_a_link_uses_leaves_a_definition_the_validator_refuses()
    {
        var next = PipelineEdits.Remove(Base, PipelineElement.Input, "orders")!;

        Assert.Equal(PipelineErrorCode.UnknownInput, Assert.Single(PipelineValidator.Validate(next)).Code);
    }

    [Fact]
    public void A_snapshot_leaves_connection_strings_out()
    {
        var secret = Base with { Inputs = [Base.Inputs[0] with { ConnectionString = "Host=db;Password=hunter2" }] };

        Assert.DoesNotContain("hunter2", PipelineFile.Serialize(PipelineSnapshot.Redact(secret)), StringComparison.Ordinal);
    }
}
