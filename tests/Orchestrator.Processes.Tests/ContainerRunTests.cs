using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Xunit.Abstractions;

namespace Orchestrator.Processes.Tests;

/// <summary>What a run passes into a container and what it brings back, against the real engine.</summary>
public sealed class ContainerRunTests(ITestOutputHelper output) : RunnerTests
{
    [Fact]
    public async Task Exit_code_zero_is_reported_with_stdout()
    {
        var request = Harness.Request(["sh", "-c", "echo hello; echo job=$ORCHESTRATOR_JOB_ID attempt=$ORCHESTRATOR_ATTEMPT link=$ORCHESTRATOR_LINK_ID process=$ORCHESTRATOR_PROCESS_ID"]);

        var clock = Stopwatch.StartNew();
        var result = await Harness.RunAsync(request);
        output.WriteLine($"one run of {request.Process.Image} took {clock.ElapsedMilliseconds} ms");

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal($"hello\njob={request.JobId} attempt=1 link={request.LinkId} process={request.ProcessId}\n", result.StdoutTail);
        Assert.Equal("", result.StderrTail);
        Assert.False(result.LogsTruncated);
        Assert.Equal(request.Process.Image, result.Image);
        Assert.NotNull(result.ContainerId);
        Assert.True(result.FinishedAt >= result.StartedAt);
    }

    [Fact]
    public async Task A_non_zero_exit_code_is_reported_with_stderr()
    {
        var result = await Harness.RunAsync(Harness.Request(["sh", "-c", "echo out; echo oops >&2; exit 3"]));

        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal("out\n", result.StdoutTail);
        Assert.Equal("oops\n", result.StderrTail);
    }

    [Fact]
    public async Task A_one_mebibyte_event_reaches_the_container_intact_as_a_file_and_not_in_the_environment()
    {
        var json = OneMebibyteEvent();
        var request = Harness.Request(["sh", "-c", "sha256sum \"$ORCHESTRATOR_EVENT_FILE\"; echo \"env=${ORCHESTRATOR_EVENT+set}\""], json);

        var result = await Harness.RunAsync(request);

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{expected}  /orchestrator/event.json\nenv=\n", result.StdoutTail);
    }

    [Fact]
    public async Task A_small_event_is_in_the_environment_and_in_the_file()
    {
        const string json = "{\"a\":\"b c\",\"quote\":\"it's \\\"here\\\"\",\"accent\":\"é\"}";
        var request = Harness.Request(["sh", "-c", "printf '%s\\n' \"$ORCHESTRATOR_EVENT\"; cat \"$ORCHESTRATOR_EVENT_FILE\""], json);

        var result = await Harness.RunAsync(request);

        Assert.Equal(json + "\n" + json, result.StdoutTail);
    }

    [Fact]
    public async Task The_command_is_an_argument_vector_not_a_shell_string()
    {
        const string hostile = "$(id); rm -rf / `x` \"q\" && echo pwned | cat > /tmp/x";

        var result = await Harness.RunAsync(Harness.Request(["echo", hostile]));

        Assert.Equal(hostile + "\n", result.StdoutTail);
    }

    [Fact]
    public async Task The_process_environment_is_passed_but_cannot_override_orchestrator_variables()
    {
        var environment = new Dictionary<string, string>
        {
            ["GREETING"] = "hello world; $(id)",
            [ContainerEnvironment.JobId] = "forged",
            [ContainerEnvironment.EventFile] = "/etc/passwd",
        };
        var request = Harness.Request(["sh", "-c", "printf '%s|%s|%s' \"$GREETING\" \"$ORCHESTRATOR_JOB_ID\" \"$ORCHESTRATOR_EVENT_FILE\""], environment: environment);

        var result = await Harness.RunAsync(request);

        Assert.Equal($"hello world; $(id)|{request.JobId}|/orchestrator/event.json", result.StdoutTail);
    }

    [Fact]
    public async Task The_working_directory_is_applied()
    {
        var request = Harness.Request(["pwd"]);
        request = request with { Process = request.Process with { WorkingDirectory = "/tmp" } };

        var result = await Harness.RunAsync(request);

        Assert.Equal("/tmp\n", result.StdoutTail);
    }

    /// <summary>Exactly 1 MiB of JSON: one string of random letters and digits, then some two-byte characters.</summary>
    private static string OneMebibyteEvent()
    {
        const string prefix = "{\"payload\":\"";
        const string suffix = "\"}";
        var accents = new string('é', 100);
        var random = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", (1024 * 1024) - prefix.Length - suffix.Length - (2 * accents.Length));
        var json = prefix + random + accents + suffix;
        Assert.Equal(1024 * 1024, Encoding.UTF8.GetByteCount(json));
        return json;
    }
}
