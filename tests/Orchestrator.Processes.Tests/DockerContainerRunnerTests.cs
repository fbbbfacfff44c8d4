using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Processes;
using Orchestrator.Testing;

namespace Orchestrator.Processes.Tests;

/// <summary>The container runner against the real Docker engine and a locally built busybox image.</summary>
public sealed class DockerContainerRunnerTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IContainerRunner _runner;
    private readonly string _prefix = "runner-" + Guid.NewGuid().ToString("N")[..8];
    private int _jobs;

    public DockerContainerRunnerTests()
    {
        _services = new ServiceCollection().AddLogging().AddContainerProcesses(o => o.LogTailBytes = 4096).BuildServiceProvider();
        _runner = _services.GetRequiredService<IContainerRunner>();
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Exit_code_zero_is_reported_with_stdout()
    {
        var result = await RunAsync(["sh", "-c", "echo hello; echo job=$ORCHESTRATOR_JOB_ID attempt=$ORCHESTRATOR_ATTEMPT"]);

        Assert.Equal((ContainerRunOutcome.Exited, 0L), (result.Outcome, result.ExitCode!.Value));
        Assert.Null(result.Error);
        Assert.StartsWith("hello\njob=" + _prefix, result.StdoutTail, StringComparison.Ordinal);
        Assert.EndsWith("attempt=1\n", result.StdoutTail, StringComparison.Ordinal);
        Assert.True(result.FinishedAt >= result.StartedAt);
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_reported_with_stderr()
    {
        var result = await RunAsync(["sh", "-c", "echo oops >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("oops\n", result.StderrTail);
        Assert.Equal("", result.StdoutTail);
    }

    [Fact]
    public async Task A_one_mebibyte_event_reaches_the_container_intact_as_a_file_only()
    {
        var json = "{\"payload\":\"" + Convert.ToHexString(RandomNumberGenerator.GetBytes(512 * 1024)) + "\"}";

        var result = await RunAsync(["sh", "-c", "sha256sum \"$ORCHESTRATOR_EVENT_FILE\"; echo \"env=${#ORCHESTRATOR_EVENT}\""], json);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        Assert.Equal($"{expected}  /orchestrator/event.json\nenv=0\n", result.StdoutTail);
    }

    [Fact]
    public async Task A_small_event_is_also_in_the_environment()
    {
        var result = await RunAsync(["sh", "-c", "printf %s \"$ORCHESTRATOR_EVENT\""], "{\"a\":\"b c\"}");

        Assert.Equal("{\"a\":\"b c\"}", result.StdoutTail);
    }

    [Fact]
    public async Task The_command_is_an_argument_vector_not_a_shell_string()
    {
        var result = await RunAsync(["echo", "$(id); rm -rf / `x` \"q\""]);

        Assert.Equal("$(id); rm -rf / `x` \"q\"\n", result.StdoutTail);
    }

    [Fact]
    public async Task Containers_are_removed_after_the_run_by_default()
    {
        var result = await RunAsync(["true"]);

        Assert.NotNull(result.ContainerId);
        Assert.Empty(await DockerAsync("ps", "-aq", "--filter", $"id={result.ContainerId}"));
    }

    [Fact]
    public async Task A_kept_container_carries_the_job_labels()
    {
        var result = await RunAsync(["true"], keep: true);

        var labels = await DockerAsync("inspect", "-f",
            "{{index .Config.Labels \"orchestrator.managed\"}} {{index .Config.Labels \"orchestrator.job-id\"}} {{index .Config.Labels \"orchestrator.attempt\"}} {{index .Config.Labels \"orchestrator.link-id\"}} {{index .Config.Labels \"orchestrator.process-id\"}}",
            result.ContainerId!);
        await DockerAsync("rm", "-f", result.ContainerId!);
        Assert.Equal($"true {_prefix}-{_jobs} 1 link proc", labels.Trim());
    }

    [Fact]
    public async Task A_missing_image_that_cannot_be_pulled_fails_the_run_with_the_reason()
    {
        var result = await RunAsync(["true"], image: "127.0.0.1:1/orchestrator/missing:1");

        Assert.Equal(ContainerRunOutcome.PullFailed, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Contains("pulling image '127.0.0.1:1/orchestrator/missing:1' failed", result.Error, StringComparison.Ordinal);
        Assert.Null(result.ContainerId);
    }

    [Fact]
    public async Task Large_output_keeps_a_bounded_tail_ending_with_the_last_line()
    {
        var result = await RunAsync(["sh", "-c", "seq 1 400000; echo last line"]);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.LogsTruncated);
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(result.StdoutTail));
        Assert.EndsWith("399999\n400000\nlast line\n", result.StdoutTail, StringComparison.Ordinal);
    }

    private async Task<ContainerRunResult> RunAsync(string[] command, string json = "{}", bool keep = false, string? image = null)
    {
        var process = new ContainerProcessDefinition
        {
            Id = "proc",
            Image = image ?? TestEnvironment.TestImage,
            Command = command,
            RemoveContainers = !keep,
        };
        var job = $"{_prefix}-{Interlocked.Increment(ref _jobs)}";
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await _runner.RunAsync(new ContainerRunRequest(job, 1, "link", "proc", process, json), timeout.Token);
    }

    private static async Task<string> DockerAsync(params string[] args)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", args) { RedirectStandardOutput = true })!;
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        return output.Trim();
    }
}
