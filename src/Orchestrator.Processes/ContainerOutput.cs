using System.Buffers;
using Docker.DotNet;

namespace Orchestrator.Processes;

/// <summary>
/// The end of a container's stdout and stderr, read from its attached output stream while it runs. Attaching
/// (as <c>docker run</c> does) gets the bytes as they are written; reading the logs back after exit makes the
/// engine decode its whole log file, which takes tens of seconds for 20 MiB on a small machine.
/// </summary>
internal sealed class ContainerOutput
{
    private const int BufferSize = 81920;

    private ContainerOutput(int tailBytes)
    {
        Stdout = new LogTail(tailBytes);
        Stderr = new LogTail(tailBytes);
    }

    /// <summary>The end of stdout.</summary>
    public LogTail Stdout { get; }

    /// <summary>The end of stderr.</summary>
    public LogTail Stderr { get; }

    /// <summary>Why the stream ended before the container closed it; null when it was read to its end.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>True when the tails hold everything the container wrote.</summary>
    public bool Complete => Failure is null && !Stdout.Truncated && !Stderr.Truncated;

    /// <summary>
    /// Reads <paramref name="stream"/> to its end, keeping the last <paramref name="tailBytes"/> bytes of each
    /// stream; memory stays bounded whatever the output size. A broken stream ends the read with
    /// <see cref="Failure"/> set; only cancellation throws.
    /// </summary>
    public static async Task<ContainerOutput> ReadAsync(MultiplexedStream stream, int tailBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var output = new ContainerOutput(tailBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken) is { EOF: false } read)
            {
                var tail = read.Target == MultiplexedStream.TargetStream.StandardError ? output.Stderr : output.Stdout;
                tail.Write(buffer.AsSpan(0, read.Count));
            }
        }
        catch (Exception e) when (e is ObjectDisposedException || DockerEngine.IsUnreachable(e, cancellationToken))
        {
            output.Failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return output;
    }
}
