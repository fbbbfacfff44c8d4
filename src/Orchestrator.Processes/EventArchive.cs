using System.Formats.Tar;
using System.Text;

namespace Orchestrator.Processes;

/// <summary>
/// The tar stream that puts the event document into a container before it starts: every directory on the path,
/// then the file, readable by any user the image runs as.
/// </summary>
internal static class EventArchive
{
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode FileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>True for an absolute path to a file: no empty, "." or ".." segment, no trailing slash.</summary>
    public static bool IsValidPath(string? path) =>
        path is ['/', _, ..]
        && !path.Contains('\0', StringComparison.Ordinal)
        && path[1..].Split('/').All(segment => segment is not ("" or "." or ".."));

    /// <summary>The archive, to extract at "/", holding <paramref name="json"/> at <paramref name="path"/>.</summary>
    public static async Task<MemoryStream> CreateAsync(string path, string json, CancellationToken cancellationToken)
    {
        if (!IsValidPath(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute file path.", nameof(path));
        }

        ArgumentNullException.ThrowIfNull(json);
        var segments = path[1..].Split('/');
        var archive = new MemoryStream();
        await using (var tar = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            for (var depth = 1; depth < segments.Length; depth++)
            {
                var directory = new PaxTarEntry(TarEntryType.Directory, string.Join('/', segments[..depth]) + "/") { Mode = DirectoryMode };
                await tar.WriteEntryAsync(directory, cancellationToken);
            }

            using var content = new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false);
            var file = new PaxTarEntry(TarEntryType.RegularFile, path[1..]) { Mode = FileMode, DataStream = content };
            await tar.WriteEntryAsync(file, cancellationToken);
        }

        archive.Position = 0;
        return archive;
    }
}
