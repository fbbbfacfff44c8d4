using System.Diagnostics;
using System.Text;
using Orchestrator.Testing;
using Xunit.Abstractions;

namespace Orchestrator.Processes.Tests;

/// <summary>A container that writes far more than the tails keep.</summary>
public sealed class LargeOutputTests(ITestOutputHelper output) : RunnerTests
{
    private const int TailBytes = 64 * 1024;
    [Fact]
    public async Task Twenty_mebibytes_of_output_keep_bounded_tails_that_end_with_the_last_lines()
    {
        // seq 1 2700000 writes about 19.5 MiB.
        var request = Harness.Request(["sh", "-c", "seq 1 2700000; echo last line; seq 1 100000 >&2; echo last error >&2"]);

        var result = await Harness.RunAsync(request);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.LogsTruncated);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StdoutTail));
        Assert.EndsWith("2699999\n2700000\nlast line\n", result.StdoutTail, StringComparison.Ordinal);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StderrTail));
        Assert.EndsWith("99999\n100000\nlast error\n", result.StderrTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_mebibytes_of_output_keep_bounded_tails_in_bounded_memory_and_a_bounded_engine_log()
    {
        // The whole output buffered would take 200 MiB (twice that as text); the peak allows less than a third of it.
        const long Bound = 64L * 1024 * 1024;
        const long EngineLogBound = 30L * 1024 * 1024;
        const int Size = 200 * 1024 * 1024;
        const string Line = "0123456789abcdefghijklmnopqrstuvwxyz\n";
        var request = Harness.Request(["sh", "-c", $"yes {Line[..^1]} | head -c {Size}; echo; echo last line; yes e | head -c 1048576 >&2"], removeContainers: false);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakAsync(sampling.Token);
        var clock = Stopwatch.StartNew();

        var result = await Harness.RunAsync(request);
        await sampling.CancelAsync();
        var growth = await peak - baseline;

        output.WriteLine($"200 MiB run took {clock.ElapsedMilliseconds} ms; managed memory peaked {growth / 1024 / 1024} MiB above the baseline");
        Assert.Equal(ContainerRunOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.LogsTruncated);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StdoutTail));
        Assert.EndsWith($"{Line}{Line[..(Size % Line.Length)]}\nlast line\n", result.StdoutTail, StringComparison.Ordinal);
        Assert.Equal(TailBytes, Encoding.UTF8.GetByteCount(result.StderrTail));
        Assert.EndsWith("e\ne\n", result.StderrTail, StringComparison.Ordinal);
        Assert.True(growth < Bound, $"managed memory grew by {growth} bytes during the run");
        await Eventually.UntilAsync(async () => await Harness.EngineLogBytesAsync(result.ContainerId!) <= EngineLogBound, "the engine's log to hold at most the default 3 × 10 MiB");
    }

    /// <summary>The highest <see cref="GC.GetTotalMemory(bool)"/> seen until <paramref name="stop"/> fires.</summary>
    private static async Task<long> SamplePeakAsync(CancellationToken stop)
    {
        var peak = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            do
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }

        return peak;
    }
}
