using Orchestrator.Abstractions.Grains;
using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Testing;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// An input whose database is named by a secret from the host's configuration: its changes make jobs, and the
/// connection string is in neither the stored graph nor the API; a change naming a secret the silo lacks is refused.
/// </summary>
public sealed class SecretConnectionTests
{
    private static readonly PipelineApplyOptions ByTest = new() { By = "test" };

    [Fact]
    public async Task An_input_reads_the_database_its_secret_names_and_the_connection_string_is_never_stored()
    {
        await using var warehouse = await PostgresDatabase.CreateAsync("secret_warehouse");
        await warehouse.ExecuteAsync("CREATE TABLE items (id int PRIMARY KEY)");
        await using var pipeline = await PipelineCluster.StartAsync(
            nameof(SecretConnectionTests),
            "",
            image => $$"""
                {
                  "inputs": [ { "id": "w", "tables": ["items"], "connectionStringSecret": "warehouse" } ],
                  "processes": [ { "id": "ok", "image": "{{image}}", "command": ["true"] } ],
                  "links": [ { "id": "w-ok", "input": "w", "process": "ok" } ]
                }
                """,
            host: o => o.Secrets["warehouse"] = warehouse.ConnectionString);

        await warehouse.ExecuteAsync("INSERT INTO items VALUES (1), (2)");

        var jobs = await pipeline.FinishedJobsAsync("w-ok", 2);
        Assert.All(jobs, j => Assert.Equal("items", j.Event!.Table));
        var stored = await pipeline.Database.DataSource.ListAsync("SELECT definition::text FROM orchestrator.pipeline_versions");
        Assert.All(stored, d => Assert.Contains("\"connectionStringSecret\": \"warehouse\"", d, StringComparison.Ordinal));
        Assert.All(stored, d => Assert.DoesNotContain(warehouse.Name, d, StringComparison.Ordinal));

        var graph = pipeline.Client.GetGrain<IPipelineGrain>(0);
        var before = await graph.GetAsync();
        var refused = await graph.PutInputAsync(new PostgresInputDefinition { Id = "elsewhere", Tables = ["items"], ConnectionStringSecret = "nowhere" }, ByTest);

        Assert.Equal(PipelineApplyOutcome.Invalid, refused.Outcome);
        var error = Assert.Single(refused.Errors);
        Assert.Equal((PipelineErrorCode.UnknownSecret, "inputs[1].connectionStringSecret"), (error.Code, error.Path));
        Assert.Contains("Orchestrator__Secrets__nowhere", error.Message, StringComparison.Ordinal);
        Assert.Equal(before.Version, (await graph.GetAsync()).Version);
    }
}
