using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

/// <summary>A container process names its command, or asks for the image's own explicitly.</summary>
public sealed class PipelineCommandTests
{
    [Theory]
    [InlineData("\"command\": [], ", "processes[0].command")]
    [InlineData("", "processes[0].command")]
    [InlineData("\"command\": null, ", "processes[0].command")]
    [InlineData("\"command\": [\"\"], ", "processes[0].command[0]")]
    [InlineData("\"command\": [\" \", \"-c\"], ", "processes[0].command[0]")]
    [InlineData("\"command\": [\"echo\", null], ", "processes[0].command[1]")]
    [InlineData("\"command\": [\"true\"], \"useImageCommand\": true, ", "processes[0].command")]
    [InlineData("\"command\": [], \"useImageCommand\": true, ", "processes[0].command")]
    public void A_command_that_cannot_run_is_a_typed_error_with_its_path(string command, string path)
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(command)));

        var error = Assert.Single(e.Errors);
        Assert.Equal((PipelineErrorCode.InvalidCommand, path), (error.Code, error.Path));
        Assert.Contains("process 'p'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_command_says_how_to_run_the_image_default()
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File("\"command\": [], ")));

        Assert.Equal(
            "processes[0].command: process 'p' names no command; give its argument vector, or set useImageCommand to run the image's own (InvalidCommand)",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void The_image_default_command_is_an_explicit_choice()
    {
        var process = Assert.Single(PipelineFile.Parse(File("\"useImageCommand\": true, ")).Processes);

        Assert.True(process.UseImageCommand);
        Assert.Null(process.Command);
    }

    [Fact]
    public void Arguments_after_the_program_may_be_empty()
    {
        var process = Assert.Single(PipelineFile.Parse(File("\"command\": [\"grep\", \"-v\", \"\"], ")).Processes);

        Assert.Equal(["grep", "-v", ""], process.Command);
        Assert.False(process.UseImageCommand);
    }

    private static string File(string command) => $$"""
        {
          "processes": [ { "id": "p", "image": "x", {{command}}"maxConcurrency": 1 } ]
        }
        """;
}
