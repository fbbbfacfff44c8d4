using Orchestrator.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error);
