namespace Orchestrator.Grains.Links;

/// <summary>A bounded, duplicate-free list of job ids in arrival order, over a link's persisted state.</summary>
public sealed class RecentJobs
{
    /// <summary>How many job ids a link remembers.</summary>
    public const int Capacity = 1000;

    private readonly List<string> _ids;
    private readonly HashSet<string> _known;

    /// <summary>Wraps <paramref name="ids"/> (oldest first), which this instance then changes in place.</summary>
    public RecentJobs(List<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _ids = ids;
        _known = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    /// <summary>Adds the ids not yet known; drops the oldest past <see cref="Capacity"/>. True when anything changed.</summary>
    public bool AddRange(IEnumerable<string> jobIds)
    {
        var changed = false;
        foreach (var id in jobIds)
        {
            if (_known.Add(id))
            {
                _ids.Add(id);
                changed = true;
            }
        }

        var excess = _ids.Count - Capacity;
        if (excess > 0)
        {
            foreach (var dropped in _ids.Take(excess))
            {
                _known.Remove(dropped);
            }

            _ids.RemoveRange(0, excess);
        }

        return changed;
    }

    /// <summary>The ids, newest first.</summary>
    public IEnumerable<string> NewestFirst()
    {
        for (var i = _ids.Count - 1; i >= 0; i--)
        {
            yield return _ids[i];
        }
    }
}
