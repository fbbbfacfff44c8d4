using System.Text;

namespace Orchestrator.Processes;

/// <summary>Keeps the last <c>capacity</c> bytes written to it, whatever the total; memory stays bounded.</summary>
public sealed class LogTail
{
    private readonly byte[] _ring;
    private int _next;
    private int _count;
    private long _total;

    /// <summary>Creates a tail of <paramref name="capacity"/> bytes.</summary>
    public LogTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new byte[capacity];
    }

    /// <summary>True when more was written than the tail keeps.</summary>
    public bool Truncated => _total > _ring.Length;

    /// <summary>Appends bytes, dropping the oldest past the capacity.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (data.Length >= _ring.Length)
        {
            data[^_ring.Length..].CopyTo(_ring);
            _next = 0;
            _count = _ring.Length;
            return;
        }

        var first = Math.Min(data.Length, _ring.Length - _next);
        data[..first].CopyTo(_ring.AsSpan(_next));
        data[first..].CopyTo(_ring);
        _next = (_next + data.Length) % _ring.Length;
        _count = Math.Min(_ring.Length, _count + data.Length);
    }

    /// <summary>The kept bytes as UTF-8 text; a character cut at the start of the tail is dropped.</summary>
    public override string ToString()
    {
        byte[] bytes = _count < _ring.Length ? _ring[.._count] : [.. _ring[_next..], .. _ring[.._next]];
        var skip = 0;
        while (Truncated && skip < bytes.Length && skip < 3 && (bytes[skip] & 0xC0) == 0x80)
        {
            skip++;
        }

        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
