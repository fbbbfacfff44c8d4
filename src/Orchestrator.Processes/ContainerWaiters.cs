namespace Orchestrator.Processes;

/// <summary>
/// Counts the runs of this process that wait on each container, so that when two calls follow the same attempt
/// only the last one to finish removes the container: the other would otherwise find it gone and report it as
/// vanished.
/// </summary>
internal sealed class ContainerWaiters
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Registers one more waiter on <paramref name="containerId"/>; dispose the lease when done.</summary>
    public Lease Enter(string containerId)
    {
        lock (_counts)
        {
            _counts[containerId] = _counts.GetValueOrDefault(containerId) + 1;
        }

        return new Lease(this, containerId);
    }

    private bool Leave(string containerId)
    {
        lock (_counts)
        {
            var remaining = _counts[containerId] - 1;
            if (remaining == 0)
            {
                _counts.Remove(containerId);
            }
            else
            {
                _counts[containerId] = remaining;
            }

            return remaining == 0;
        }
    }

    /// <summary>One waiter on one container.</summary>
    public sealed class Lease(ContainerWaiters owner, string containerId) : IDisposable
    {
        private int _released;

        /// <summary>Stops waiting; true when no other waiter of this process remains. Later calls return false.</summary>
        public bool Release() => Interlocked.Exchange(ref _released, 1) == 0 && owner.Leave(containerId);

        /// <inheritdoc />
        public void Dispose() => Release();
    }
}
