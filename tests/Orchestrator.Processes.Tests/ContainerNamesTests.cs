using System.Text.RegularExpressions;

namespace Orchestrator.Processes.Tests;

public sealed partial class ContainerNamesTests
{
    [Theory]
    [InlineData("job:link-1:42")]
    [InlineData("ünïcödé / spaces and \"quotes\"")]
    [InlineData("-leading-dash")]
    [InlineData("")]
    public void A_name_is_valid_for_docker_whatever_the_job_id(string jobId)
    {
        var name = ContainerNames.For("default", jobId, 3);

        Assert.Matches(DockerName(), name);
        Assert.StartsWith("orchestrator-", name, StringComparison.Ordinal);
        Assert.Contains("-a3-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_is_the_same_for_the_same_attempt()
    {
        Assert.Equal(ContainerNames.For("default", "job:a:1", 2), ContainerNames.For("default", "job:a:1", 2));
    }

    [Fact]
    public void Attempts_of_a_job_have_distinct_names()
    {
        Assert.NotEqual(ContainerNames.For("default", "job:a:1", 1), ContainerNames.For("default", "job:a:1", 2));
    }

    [Fact]
    public void Job_ids_that_read_the_same_once_sanitized_have_distinct_names()
    {
        var slash = ContainerNames.For("default", "job/a", 1);
        var colon = ContainerNames.For("default", "job:a", 1);

        Assert.NotEqual(slash, colon);
        Assert.StartsWith("orchestrator-job-a-a1-", slash, StringComparison.Ordinal);
        Assert.StartsWith("orchestrator-job-a-a1-", colon, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_job_id_is_cut_short_and_still_told_apart_from_one_with_the_same_start()
    {
        var start = new string('x', 500);

        var first = ContainerNames.For("default", start + "1", 1);
        var second = ContainerNames.For("default", start + "2", 1);

        Assert.NotEqual(first, second);
        Assert.True(first.Length <= 100, $"{first.Length} characters");
        Assert.Matches(DockerName(), first);
    }

    [Fact]
    public void The_same_attempt_in_two_deployments_has_distinct_names()
    {
        Assert.NotEqual(ContainerNames.For("svc@db-a", "job:a:1", 1), ContainerNames.For("svc@db-b", "job:a:1", 1));
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex DockerName();
}
