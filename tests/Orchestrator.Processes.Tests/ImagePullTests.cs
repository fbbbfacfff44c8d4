using Xunit.Abstractions;

namespace Orchestrator.Processes.Tests;

/// <summary>Images that are not present locally.</summary>
public sealed class ImagePullTests(ITestOutputHelper output) : RunnerTests
{
    [Fact]
    public async Task A_missing_image_that_cannot_be_pulled_fails_the_run_with_the_engines_reason()
    {
        const string image = "127.0.0.1:1/nope/missing:1";
        var request = Harness.Request(["true"], image: image);

        var result = await Harness.RunAsync(request);
        output.WriteLine(result.Error);

        Assert.Equal(ContainerRunOutcome.PullFailed, result.Outcome);
        Assert.StartsWith($"pulling image '{image}' failed: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", result.Error![$"pulling image '{image}' failed: ".Length..], StringComparison.Ordinal);
        Assert.Null(result.ExitCode);
        Assert.Null(result.ContainerId);
        Assert.Empty(await Harness.ContainersOfJobAsync(request.JobId));
    }

    [Theory]
    [InlineData("busybox", "latest")]
    [InlineData("library/busybox", "latest")]
    [InlineData("127.0.0.1:5000/team/tool", "latest")]
    [InlineData("busybox:1.36", null)]
    [InlineData("127.0.0.1:5000/team/tool:2", null)]
    [InlineData("busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000", null)]
    public void An_untagged_image_is_pulled_as_latest_never_as_every_tag(string image, string? tag)
    {
        var parameters = ImagePuller.PullParameters(image);

        Assert.Equal((image, tag), (parameters.FromImage, parameters.Tag));
    }
}
