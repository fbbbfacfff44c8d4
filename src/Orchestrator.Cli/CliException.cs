namespace Orchestrator.Cli;

/// <summary>A usage problem the CLI reports in one line, without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
