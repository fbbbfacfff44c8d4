using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Abstractions.Tests;

/// <summary>A container process's engine-side log configuration: a bounded default, and checked ranges.</summary>
public sealed class PipelineLogsTests
{
    [Fact]
    public void A_process_without_logs_gets_the_bounded_local_default()
    {
        var logs = Assert.Single(PipelineFile.Parse(File("")).Processes).Logs;

        Assert.Equal((ContainerLogsDefinition.Local, 10, 3), (logs.Driver, logs.MaxSizeMegabytes, logs.MaxFiles));
        Assert.Same(ContainerLogsDefinition.Default, logs);
    }

    [Fact]
    public void A_process_names_its_driver_file_size_and_file_count()
    {
        var logs = Assert.Single(PipelineFile.Parse(File("""{ "driver": "json-file", "maxSizeMegabytes": 1, "maxFiles": 2 }""")).Processes).Logs;

        Assert.Equal((ContainerLogsDefinition.JsonFile, 1, 2), (logs.Driver, logs.MaxSizeMegabytes, logs.MaxFiles));
    }

    [Fact]
    public void Keys_left_out_of_logs_keep_their_defaults()
    {
        var logs = Assert.Single(PipelineFile.Parse(File("""{ "maxFiles": 5 }""")).Processes).Logs;

        Assert.Equal((ContainerLogsDefinition.Local, 10, 5), (logs.Driver, logs.MaxSizeMegabytes, logs.MaxFiles));
    }

    [Fact]
    public void An_unknown_driver_and_out_of_range_sizes_are_each_reported_with_their_path()
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File("""{ "driver": "syslog", "maxSizeMegabytes": 0, "maxFiles": 1 }""")));

        Assert.Equal(
            [
                ("processes[0].logs.driver", PipelineErrorCode.UnknownLogDriver),
                ("processes[0].logs.maxSizeMegabytes", PipelineErrorCode.OutOfRange),
                ("processes[0].logs.maxFiles", PipelineErrorCode.OutOfRange),
            ],
            e.Errors.Select(x => (x.Path, x.Code)));
        Assert.Contains("use json-file or local", e.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "maxSizeMegabytes": 1025 }""", "processes[0].logs.maxSizeMegabytes")]
    [InlineData("""{ "maxFiles": 101 }""", "processes[0].logs.maxFiles")]
    public void Sizes_above_the_limits_are_out_of_range(string logs, string path)
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(logs)));

        Assert.Equal((PipelineErrorCode.OutOfRange, path), (Assert.Single(e.Errors).Code, e.Errors[0].Path));
    }

    [Theory]
    [InlineData("null", "processes[0].logs")]
    [InlineData("""{ "maxFiles": "three" }""", "processes[0].logs.maxFiles")]
    [InlineData("""{ "maxsize": 3 }""", "processes[0].logs.maxsize")]
    public void Wrong_types_unknown_keys_and_null_are_malformed(string logs, string path)
    {
        var e = Assert.Throws<InvalidPipelineException>(() => PipelineFile.Parse(File(logs)));

        Assert.Equal((PipelineErrorCode.Malformed, path), (Assert.Single(e.Errors).Code, e.Errors[0].Path));
    }

    private static string File(string logs) => $$"""
        {
          "processes": [ { "id": "p", "image": "x", "command": ["true"]{{(logs.Length == 0 ? "" : $", \"logs\": {logs}")}} } ]
        }
        """;
}
