using Microsoft.Extensions.Configuration;
using Orchestrator.Host.Configuration;

namespace Orchestrator.Grains.Tests;

/// <summary>The host reads <c>Orchestrator:Retention</c>: 0 keeps a status for ever, and a bad value is named.</summary>
public sealed class RetentionConfigurationTests
{
    private static readonly Dictionary<string, string?> Required = new()
    {
        ["Orchestrator:ConnectionString"] = "Host=localhost",
        ["Orchestrator:PipelinesFile"] = "pipelines.json",
    };

    [Fact]
    public void Unset_ages_are_the_defaults_and_zero_keeps_a_status_for_ever()
    {
        var options = Read(new() { ["Orchestrator:Retention:FailedAge"] = "0", ["Orchestrator:Retention:Interval"] = "00:00:30" });

        Assert.Equal(
            (TimeSpan.FromDays(1), TimeSpan.Zero, TimeSpan.FromDays(7), TimeSpan.FromSeconds(30), 1000),
            (options.Retention.SucceededAge, options.Retention.FailedAge, options.Retention.DiscardedAge, options.Retention.Interval, options.Retention.BatchSize));
    }

    [Fact]
    public void A_bad_value_is_named_with_its_section()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new()
        {
            ["Orchestrator:Retention:DiscardedAge"] = "-1.00:00:00",
            ["Orchestrator:Retention:BatchSize"] = "0",
        }));

        Assert.Contains("Orchestrator:Retention:DiscardedAge is -1.00:00:00;", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orchestrator:Retention:BatchSize is 0;", error.Message, StringComparison.Ordinal);
    }

    private static OrchestratorHostOptions Read(Dictionary<string, string?> settings) =>
        OrchestratorHostOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(Required).AddInMemoryCollection(settings).Build());
}
