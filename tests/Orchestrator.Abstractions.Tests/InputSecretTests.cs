using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

/// <summary>An input's database named by a secret: the name is checked when the file is read, the value on a silo.</summary>
public sealed class InputSecretTests
{
    [Fact]
    public void A_connection_string_secret_is_read_and_needs_no_connection_string()
    {
        var definition = PipelineFile.Parse(File("""{ "id": "w", "tables": ["items"], "connectionStringSecret": "warehouse" }"""));

        var input = Assert.Single(definition.Inputs);
        Assert.Equal("warehouse", input.ConnectionStringSecret);
        Assert.Null(input.ConnectionString);
    }

    [Fact]
    public void A_secret_beside_a_connection_string_and_a_secret_name_that_is_not_an_id_are_refused_with_their_paths()
    {
        var both = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(
            """{ "id": "w", "connectionString": "Host=db", "connectionStringSecret": "warehouse" }""")));
        var badName = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(
            """{ "id": "w", "connectionStringSecret": "a b" }""")));

        var error = Assert.Single(both.Errors);
        Assert.Equal(("inputs[0].connectionStringSecret", PipelineErrorCode.Malformed), (error.Path, error.Code));
        Assert.Contains("keep only the secret", error.Message, StringComparison.Ordinal);
        Assert.Equal("inputs[0].connectionStringSecret", Assert.Single(badName.Errors).Path);
    }

    private static string File(string input) => $$"""
        {
          "inputs": [ {{input}} ],
          "processes": [ { "id": "ok", "image": "busybox:1", "command": ["true"] } ],
          "links": [ { "id": "w-ok", "input": "w", "process": "ok" } ]
        }
        """;
}
