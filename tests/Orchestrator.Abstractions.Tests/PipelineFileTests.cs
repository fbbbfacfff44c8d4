using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

public sealed class PipelineFileTests
{
    private const string Valid = """
        {
          "inputs": [ { "id": "orders", "schema": "public", "tables": ["orders"], "operations": ["create", "update"] } ],
          "processes": [ { "id": "echo", "image": "busybox:1", "command": ["sh", "-c", "cat \"$ORCHESTRATOR_EVENT_FILE\""], "maxConcurrency": 2 } ],
          "links": [ { "id": "orders-echo", "input": "orders", "process": "echo" } ]
        }
        """;

    [Fact]
    public void A_valid_file_is_read_with_its_values_and_defaults()
    {
        var definition = PipelineFile.Parse(Valid);

        var input = Assert.Single(definition.Inputs);
        Assert.Equal("orders", input.Id);
        Assert.Equal("postgres", input.Kind);
        Assert.Null(input.ConnectionString);
        Assert.Equal(["create", "update"], input.Operations);
        var process = Assert.Single(definition.Processes);
        Assert.Equal(["sh", "-c", "cat \"$ORCHESTRATOR_EVENT_FILE\""], process.Command);
        Assert.Equal(2, process.MaxConcurrency);
        Assert.True(process.RemoveContainers);
        Assert.Equal("echo", Assert.Single(definition.Links).Process);
    }

    [Fact]
    public void Missing_image_is_a_typed_error_naming_the_process()
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(Valid.Replace("\"image\": \"busybox:1\", ", "", StringComparison.Ordinal)));

        var error = Assert.Single(e.Errors);
        Assert.Equal(PipelineErrorCode.ContainerImageMissing, error.Code);
        Assert.Equal("processes[0].image", error.Path);
        Assert.Contains("'echo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_to_unknown_process_and_input_names_the_link_and_both_targets()
    {
        var json = Valid.Replace("\"input\": \"orders\", \"process\": \"echo\"", "\"input\": \"nope\", \"process\": \"ghost\"", StringComparison.Ordinal);

        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(json));

        Assert.Collection(
            e.Errors,
            input =>
            {
                Assert.Equal(PipelineErrorCode.UnknownInput, input.Code);
                Assert.Contains("'orders-echo'", input.Message, StringComparison.Ordinal);
                Assert.Contains("'nope'", input.Message, StringComparison.Ordinal);
            },
            process =>
            {
                Assert.Equal(PipelineErrorCode.UnknownProcess, process.Code);
                Assert.Contains("'orders-echo'", process.Message, StringComparison.Ordinal);
                Assert.Contains("'ghost'", process.Message, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void Every_problem_is_reported_with_its_path()
    {
        var json = """
            {
              "inputs": [ { "id": "a", "operations": ["truncate"] }, { "id": "a", "tables": [""] }, { "id": "b", "schema": "orleans" } ],
              "processes": [ { "id": "bad id!", "image": "x", "maxConcurrency": 0 } ],
              "links": []
            }
            """;

        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(json));

        Assert.Equal(
            [
                ("inputs[1].id", PipelineErrorCode.DuplicateId),
                ("processes[0].id", PipelineErrorCode.InvalidId),
                ("inputs[0].operations[0]", PipelineErrorCode.UnknownOperation),
                ("inputs[1].tables[0]", PipelineErrorCode.InvalidIdentifier),
                ("inputs[2].schema", PipelineErrorCode.InvalidIdentifier),
                ("processes[0].maxConcurrency", PipelineErrorCode.OutOfRange),
            ],
            e.Errors.Select(x => (x.Path, x.Code)));
    }

    [Fact]
    public void Unknown_keys_and_wrong_types_are_malformed()
    {
        var unknown = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse("""{ "inputs": [], "procesess": [] }"""));
        var wrongType = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse("""{ "processes": [ { "id": "p", "image": "x", "maxConcurrency": "four" } ] }"""));

        Assert.Equal(PipelineErrorCode.Malformed, Assert.Single(unknown.Errors).Code);
        Assert.Equal(PipelineErrorCode.Malformed, Assert.Single(wrongType.Errors).Code);
        Assert.Contains("maxConcurrency", wrongType.Errors[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Identifiers_longer_than_63_bytes_are_rejected()
    {
        Assert.Null(PipelineValidator.IdentifierProblem(new string('x', 63)));
        Assert.NotNull(PipelineValidator.IdentifierProblem(new string('x', 64)));
        Assert.NotNull(PipelineValidator.IdentifierProblem(new string('é', 32)));
        Assert.Null(PipelineValidator.IdentifierProblem("Odd \"name\"; drop"));
    }
}
