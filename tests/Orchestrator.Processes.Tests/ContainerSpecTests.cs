using Orchestrator.Abstractions.Pipelines;

namespace Orchestrator.Processes.Tests;

public sealed class ContainerSpecTests
{
    private static readonly ContainerEngineOptions Options = new() { EventEnvironmentLimitBytes = 8 };

    [Fact]
    public void An_event_at_the_limit_is_in_the_environment()
    {
        var env = ContainerSpec.Create(Request("{\"a\":12}", []), Options).Env;

        Assert.Contains("ORCHESTRATOR_EVENT={\"a\":12}", env);
        Assert.Contains("ORCHESTRATOR_EVENT_FILE=/orchestrator/event.json", env);
    }

    [Fact]
    public void An_event_one_byte_over_the_limit_is_only_in_the_file()
    {
        var env = ContainerSpec.Create(Request("{\"a\":123}", []), Options).Env;

        Assert.DoesNotContain(env, variable => variable.StartsWith("ORCHESTRATOR_EVENT=", StringComparison.Ordinal));
        Assert.Contains("ORCHESTRATOR_EVENT_FILE=/orchestrator/event.json", env);
    }

    [Fact]
    public void The_limit_counts_utf8_bytes_not_characters()
    {
        var env = ContainerSpec.Create(Request("\"éééé\"", []), Options).Env;

        Assert.DoesNotContain(env, variable => variable.StartsWith("ORCHESTRATOR_EVENT=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_command_is_kept_as_given_and_only_use_image_command_leaves_the_image_default()
    {
        var imageDefault = Request("{}", []) with { Process = new ContainerProcessDefinition { Id = "p", Image = "i", UseImageCommand = true } };

        Assert.Equal(["echo", "a b", "$(x)"], ContainerSpec.Create(Request("{}", ["echo", "a b", "$(x)"]), Options).Cmd);
        Assert.Null(ContainerSpec.Create(imageDefault, Options).Cmd);
    }

    [Fact]
    public void Every_container_carries_the_bounded_default_log_configuration()
    {
        var logs = ContainerSpec.Create(Request("{}", ["true"]), Options).HostConfig!.LogConfig!;

        Assert.Equal("local", logs.Type);
        Assert.Equal(new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }, logs.Config);
    }

    [Fact]
    public void A_process_log_configuration_is_passed_to_the_engine()
    {
        var request = Request("{}", ["true"]);
        request = request with { Process = request.Process with { Logs = new() { Driver = "json-file", MaxSizeMegabytes = 250, MaxFiles = 7 } } };

        var logs = ContainerSpec.Create(request, Options).HostConfig!.LogConfig!;

        Assert.Equal("json-file", logs.Type);
        Assert.Equal(new Dictionary<string, string> { ["max-size"] = "250m", ["max-file"] = "7" }, logs.Config);
    }

    [Fact]
    public void A_process_cannot_set_orchestrator_variables()
    {
        var request = Request("{}", []) with
        {
            Process = new ContainerProcessDefinition
            {
                Id = "p",
                Image = "i",
                Environment = new Dictionary<string, string> { ["ORCHESTRATOR_EVENT"] = "forged", ["OTHER"] = "x=y" },
            },
        };

        var env = ContainerSpec.Create(request, Options).Env;

        Assert.Contains("OTHER=x=y", env);
        Assert.Equal(["ORCHESTRATOR_EVENT={}"], env.Where(variable => variable.StartsWith("ORCHESTRATOR_EVENT=", StringComparison.Ordinal)));
    }

    private static ContainerRunRequest Request(string json, string[] command) =>
        new("job", 2, "link", "p", new ContainerProcessDefinition { Id = "p", Image = "i", Command = command }, json);
}
