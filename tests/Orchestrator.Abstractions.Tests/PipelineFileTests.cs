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
              "processes": [ { "id": "bad id!", "image": "x", "command": ["true"], "maxConcurrency": 0 } ],
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

    [Fact]
    public void Every_shape_problem_is_listed_at_once_with_its_path()
    {
        var json = """
            {
              "inputs": [ { "id": 7, "tables": "orders", "colour": "red" } ],
              "processes": [ { "id": "p", "id": "q", "image": "x", "maxConcurrency": "four", "removeContainers": "yes",
                               "environment": { "A": 1 }, "retry": { "maxAttempts": 2.5 } } ],
              "links": [ { "input": "i", "process": "p" } ]
            }
            """;

        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(json));

        Assert.All(e.Errors, error => Assert.Equal(PipelineErrorCode.Malformed, error.Code));
        Assert.Equal(
            [
                "inputs[0].id", "inputs[0].tables", "inputs[0].colour", "processes[0].id", "processes[0].maxConcurrency",
                "processes[0].removeContainers", "processes[0].environment.A", "processes[0].retry.maxAttempts", "links[0].id",
            ],
            e.Errors.Select(x => x.Path));
        Assert.Contains("unknown key 'colour'", e.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("appears more than once", e.Errors[3].Message, StringComparison.Ordinal);
        Assert.Equal("expected an integer, found a string \"four\"", e.Errors[4].Message);
        Assert.Contains("required key 'id' is missing", e.Errors[^1].Message, StringComparison.Ordinal);
        Assert.Contains("processes[0].maxConcurrency: expected an integer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_policies_exit_codes_and_timeouts_are_read_and_checked()
    {
        var json = """
            {
              "inputs": [ { "id": "i" } ],
              "processes": [ { "id": "p", "image": "x", "command": ["true"], "timeoutSeconds": 30, "stopGraceSeconds": 5,
                               "exitCodes": { "0": "success", "75": "retry", "2": "discard" },
                               "retry": { "maxAttempts": 5, "initialDelaySeconds": 1, "maxDelaySeconds": 60, "retryOn": ["timeout"] } } ],
              "links": [ { "id": "l", "input": "i", "process": "p", "retry": { "maxAttempts": 1 } } ]
            }
            """;

        var definition = PipelineFile.Parse(json);

        var process = Assert.Single(definition.Processes);
        Assert.Equal((30d, 5d), (process.TimeoutSeconds!.Value, process.StopGraceSeconds));
        Assert.Equal("retry", process.ExitCodes["75"]);
        Assert.Equal((5, 1d, 60d, 2d), (process.Retry.MaxAttempts, process.Retry.InitialDelaySeconds, process.Retry.MaxDelaySeconds, process.Retry.Multiplier));
        Assert.Equal(["timeout"], process.Retry.RetryOn);
        var catalog = new PipelineCatalog(definition);
        Assert.Equal(1, catalog.RetryPolicyOf("l", process).MaxAttempts);
    }

    [Fact]
    public void Out_of_range_retry_values_unknown_actions_and_kinds_are_each_reported()
    {
        var json = """
            {
              "processes": [ { "id": "p", "image": "x", "command": ["true"], "timeoutSeconds": 0, "stopGraceSeconds": -1,
                               "exitCodes": { "x1": "success", "3": "explode" },
                               "retry": { "maxAttempts": 0, "initialDelaySeconds": 10, "maxDelaySeconds": 5, "multiplier": 0.5, "jitter": 2,
                                          "retryOn": ["oom"] } } ],
              "links": [ ]
            }
            """;

        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(json));

        Assert.Equal(
            [
                "processes[0].timeoutSeconds", "processes[0].stopGraceSeconds", "processes[0].retry.maxAttempts",
                "processes[0].retry.maxDelaySeconds", "processes[0].retry.multiplier", "processes[0].retry.jitter",
                "processes[0].retry.retryOn[0]", "processes[0].exitCodes.x1", "processes[0].exitCodes.3",
            ],
            e.Errors.Select(x => x.Path));
    }
}
