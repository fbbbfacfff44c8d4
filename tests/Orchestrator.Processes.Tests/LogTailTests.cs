using System.Text;

namespace Orchestrator.Processes.Tests;

public sealed class LogTailTests
{
    [Fact]
    public void Keeps_everything_below_capacity()
    {
        var tail = new LogTail(16);
        tail.Write("hello "u8);
        tail.Write("world"u8);

        Assert.Equal("hello world", tail.ToString());
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Exactly_the_capacity_is_not_truncated()
    {
        var tail = new LogTail(4);
        tail.Write("ab"u8);
        tail.Write("cd"u8);

        Assert.Equal("abcd", tail.ToString());
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void An_empty_tail_is_an_empty_string()
    {
        Assert.Equal("", new LogTail(8).ToString());
    }

    [Fact]
    public void Keeps_only_the_last_bytes_across_many_writes()
    {
        var tail = new LogTail(10);
        for (var i = 0; i < 100; i++)
        {
            tail.Write(Encoding.ASCII.GetBytes($"{i:000},"));
        }

        Assert.Equal("7,098,099,", tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void A_write_larger_than_capacity_keeps_its_end()
    {
        var tail = new LogTail(4);
        tail.Write("ab"u8);
        tail.Write("0123456789"u8);

        Assert.Equal("6789", tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void A_character_cut_at_the_start_is_dropped_not_garbled()
    {
        var tail = new LogTail(5);
        tail.Write(Encoding.UTF8.GetBytes("xé€ok"));

        Assert.Equal("€ok", tail.ToString());
    }

    [Fact]
    public void A_character_split_across_writes_is_decoded_whole()
    {
        var euro = Encoding.UTF8.GetBytes("€");
        var tail = new LogTail(16);
        tail.Write(euro.AsSpan(0, 1));
        tail.Write(euro.AsSpan(1));

        Assert.Equal("€", tail.ToString());
    }

    [Fact]
    public void Hundreds_of_mebibytes_pass_through_without_allocating()
    {
        const int Writes = 256 * 128;
        var tail = new LogTail(64 * 1024);
        var chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 8192).Select(i => $"{i % 10}")));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Writes; i++)
        {
            tail.Write(chunk);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        tail.Write("the end\n"u8);

        // The runtime may allocate a few bytes on this thread while it re-compiles the hot loop (tiered
        // compilation); one byte per write would already be 32 KiB, so the bound still catches a per-write cost.
        Assert.InRange(allocated, 0, 1024);
        Assert.True(tail.Truncated);
        Assert.EndsWith("8901the end\n", tail.ToString(), StringComparison.Ordinal);
        Assert.Equal(64 * 1024, tail.ToString().Length);
    }
}
