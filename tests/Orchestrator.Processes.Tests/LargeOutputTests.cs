using System.Text;

namespace Orchestrator.Processes.Tests;

/// <summary>A container that writes far more than the tails keep.</summary>
public sealed class LargeOutputTests : IAsyncDisposable
{
    private const int TailBytes = 64 * 1024;
    private readonly RunnerHarness _harness = new();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Twenty_mebibytes_of_output_keep_bounded_tails_that_end_with_the_last_lines()
    {
        // seq 1 2700000 writes about 19.5 MiB.
        var request = _harness.Request(["sh", "-c", "seq 1 2700000; echo last line; seq 1 100000 >&2; echo last error >&2"]);

        var result = await _harness.RunAsync(request);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.LogsTruncated);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StdoutTail));
        Assert.EndsWith("2699999\n2700000\nlast line\n", result.StdoutTail, StringComparison.Ordinal);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StderrTail));
        Assert.EndsWith("99999\n100000\nlast error\n", result.StderrTail, StringComparison.Ordinal);
    }
}
