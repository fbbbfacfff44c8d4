using Orchestrator.Abstractions.Pipelines;
using Orchestrator.Host;
using Orchestrator.Host.Configuration;
using Orchestrator.Host.Http;
using Orchestrator.Host.Security;
using Orleans.Dashboard;

// appsettings.json ships next to the binary; read it from there whatever the working directory is.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
OrchestratorHostOptions options;
PipelineCatalog catalog;
try
{
    options = OrchestratorHostOptions.Read(builder.Configuration);
    builder.Services.AddOrchestratorAccess(options.Access, builder.Configuration);
    using var startupLogging = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
    catalog = await HostBootstrap.PrepareAsync(options, startupLogging, CancellationToken.None);
}
catch (InvalidPipelineException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

builder.AddOrchestratorSilo(options, catalog);
builder.Services.AddOrchestratorApi();
var app = builder.Build();
app.UseOrchestratorAccess();
app.MapOrleansDashboard("/dashboard");
app.MapOrchestratorApi();
app.MapBackfillApi();
app.MapPipelineApi();
await app.RunAsync();
return 0;
