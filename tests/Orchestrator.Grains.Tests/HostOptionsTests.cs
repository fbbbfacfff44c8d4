using Microsoft.Extensions.Configuration;
using Orchestrator.Host.Configuration;

namespace Orchestrator.Grains.Tests;

/// <summary>The host's configuration: the rescue period, the reminder period it replaced, the pipelines file.</summary>
public sealed class HostOptionsTests
{
    [Fact]
    public void The_rescue_period_is_read()
    {
        var options = OrchestratorHostOptions.Read(Configuration(("Orchestrator:JobRescuePeriod", "00:00:07")));

        Assert.Equal(TimeSpan.FromSeconds(7), options.JobRescuePeriod);
    }

    [Fact]
    public void The_reminder_period_of_an_earlier_version_is_refused_with_the_key_that_replaced_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OrchestratorHostOptions.Read(Configuration(("Orchestrator:JobReminderPeriod", "00:00:05"))));

        Assert.Contains("Orchestrator:JobReminderPeriod is no longer read", e.Message, StringComparison.Ordinal);
        Assert.Contains("set Orchestrator:JobRescuePeriod instead", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rescue_period_under_a_second_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OrchestratorHostOptions.Read(Configuration(("Orchestrator:JobRescuePeriod", "00:00:00.5"))));

        Assert.Contains("Orchestrator:JobRescuePeriod is 00:00:00.5000000; use at least 00:00:01", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pipelines_file_is_optional_and_its_mode_is_read_by_name()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("Orchestrator:ConnectionString", (string?)"Host=127.0.0.1"), KeyValuePair.Create("Orchestrator:PipelinesFileMode", (string?)"Always")])
            .Build();

        var options = OrchestratorHostOptions.Read(configuration);

        Assert.Null(options.PipelinesFile);
        Assert.Equal(Orchestrator.Pipelines.Postgres.PipelinesFileMode.Always, options.PipelinesFileMode);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values
                .Append(("Orchestrator:ConnectionString", "Host=127.0.0.1"))
                .Append(("Orchestrator:PipelinesFile", "pipelines.json"))
                .Select(v => KeyValuePair.Create(v.Item1, (string?)v.Item2)))
            .Build();
}
