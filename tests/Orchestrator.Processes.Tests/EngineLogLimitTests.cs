using System.Text;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Processes.Tests;

/// <summary>
/// A container that writes far more than its log configuration allows: the engine keeps no more than that on its
/// disk, whichever driver, and the job still gets the last lines: from the attached output while it runs, and from
/// what the engine kept when a restarted silo adopts the container.
/// </summary>
public sealed class EngineLogLimitTests : RunnerTests
{
    private const int TailBytes = 64 * 1024;
    private const int Written = 30 * 1024 * 1024;
    private const string Line = "0123456789abcdef\n";
    private const long Limit = 2L * 1024 * 1024;

    /// <summary>30 MiB of short lines (the last one cut by head), then a last line: fifteen times the limit.</summary>
    private static readonly string Chatty = $"yes {Line[..^1]} | head -c {Written}; echo last line";

    [Theory]
    [InlineData(ContainerLogsDefinition.Local)]
    [InlineData(ContainerLogsDefinition.JsonFile)]
    public async Task A_container_writing_far_over_the_limit_leaves_the_engine_log_under_it_and_the_job_its_last_lines(string driver)
    {
        var request = Harness.Request(["sh", "-c", Chatty], removeContainers: false, logs: Limited(driver));

        var result = await Harness.RunAsync(request);

        Assert.Equal((ContainerRunOutcome.Exited, 0L), (result.Outcome, result.ExitCode!.Value));
        AssertLastLines(result);
        await AssertEngineLogWithinLimitAsync(result.ContainerId!);
    }

    [Theory]
    [InlineData(ContainerLogsDefinition.Local, false)]
    [InlineData(ContainerLogsDefinition.Local, true)]
    [InlineData(ContainerLogsDefinition.JsonFile, false)]
    [InlineData(ContainerLogsDefinition.JsonFile, true)]
    public async Task A_chatty_container_adopted_after_a_crash_returns_its_last_lines(string driver, bool exitedBeforeAdoption)
    {
        var request = Harness.Request(["sh", "-c", $"sleep 1; {Chatty}"], logs: Limited(driver));
        var id = await Harness.RunAndDetachAsync(request);
        if (exitedBeforeAdoption)
        {
            await Eventually.UntilAsync(async () => await Harness.StateOfAsync(id) == "exited", $"container {id} to exit");
        }

        var result = await Harness.ResumeAsync(request, Harness.NewRunner());

        Assert.Equal((ContainerRunOutcome.Exited, 0L, id), (result.Outcome, result.ExitCode!.Value, result.ContainerId));
        AssertLastLines(result);
        await AssertEngineLogWithinLimitAsync(id);
        await Harness.AssertKeptUntilRemovedAsync(request);
    }

    private static ContainerLogsDefinition Limited(string driver) => new() { Driver = driver, MaxSizeMegabytes = 1, MaxFiles = 2 };

    private static void AssertLastLines(ContainerRunResult result)
    {
        Assert.True(result.LogsTruncated);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StdoutTail));
        Assert.EndsWith($"{Line}{Line[..(Written % Line.Length)]}last line\n", result.StdoutTail, StringComparison.Ordinal);
        Assert.Equal("", result.StderrTail);
    }

    /// <summary>The engine's files for the container hold something and, once a rotated file is compressed, at most the limit.</summary>
    private async Task AssertEngineLogWithinLimitAsync(string id) =>
        await Eventually.WaitAsync(
            () => Harness.EngineLogBytesAsync(id),
            size => size is > 0 and <= Limit,
            $"the engine's log of container {id} to hold at most {Limit} bytes",
            TimeSpan.FromSeconds(20));
}
