using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orchestrator.Processes.Tests;

public sealed class ContainerEngineOptionsTests
{
    [Fact]
    public void A_configured_endpoint_wins_over_the_environment()
    {
        var options = new ContainerEngineOptions { Endpoint = new Uri("tcp://engine.example:2375") };

        Assert.Equal(new Uri("tcp://engine.example:2375"), options.ResolveEndpoint());
    }

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new ContainerEngineOptions();

        Assert.Equal((32 * 1024, 64 * 1024, "/orchestrator/event.json"), (options.EventEnvironmentLimitBytes, options.LogTailBytes, options.EventFilePath));
        Assert.Null(options.Endpoint);
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_the_property()
    {
        using var services = new ServiceCollection()
            .AddContainerProcesses(o => (o.LogTailBytes, o.EventFilePath) = (0, "relative/event.json"))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ContainerEngineOptions>>().Value);

        Assert.Contains("ContainerEngineOptions.LogTailBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerEngineOptions.EventFilePath", error.Message, StringComparison.Ordinal);
    }
}
