using System.Text;
using Orchestrator.Processes;

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
    }

    [Fact]
    public void A_character_cut_at_the_start_is_dropped_not_garbled()
    {
        var tail = new LogTail(5);
        tail.Write(Encoding.UTF8.GetBytes("xé€ok"));

        Assert.Equal("€ok", tail.ToString());
    }
}
