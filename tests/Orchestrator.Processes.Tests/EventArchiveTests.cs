using System.Formats.Tar;
using System.Text;

namespace Orchestrator.Processes.Tests;

public sealed class EventArchiveTests
{
    [Fact]
    public async Task The_archive_holds_every_directory_of_the_path_then_the_file()
    {
        using var archive = await EventArchive.CreateAsync("/a/b/event.json", "{\"é\":1}", CancellationToken.None);

        var entries = new List<(string Name, TarEntryType Type, UnixFileMode Mode, string Content)>();
        using var reader = new TarReader(archive);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            var content = entry.DataStream is { } data ? await new StreamReader(data, Encoding.UTF8).ReadToEndAsync() : "";
            entries.Add((entry.Name, entry.EntryType, entry.Mode, content));
        }

        Assert.Equal(
            [
                ("a/", TarEntryType.Directory, (UnixFileMode)0b111_101_101, ""),
                ("a/b/", TarEntryType.Directory, (UnixFileMode)0b111_101_101, ""),
                ("a/b/event.json", TarEntryType.RegularFile, (UnixFileMode)0b110_100_100, "{\"é\":1}"),
            ],
            entries);
    }

    [Theory]
    [InlineData("/orchestrator/event.json", true)]
    [InlineData("/event.json", true)]
    [InlineData("orchestrator/event.json", false)]
    [InlineData("/orchestrator/", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    [InlineData("/a//b", false)]
    [InlineData("/a/../b", false)]
    [InlineData("/a/./b", false)]
    public void Only_absolute_file_paths_are_accepted(string path, bool valid)
    {
        Assert.Equal(valid, EventArchive.IsValidPath(path));
    }
}
