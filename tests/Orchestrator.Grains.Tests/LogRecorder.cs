using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Grains.Tests;

/// <summary>A logger provider that keeps the category, level and event id of every line a silo logs.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, int EventId)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose()
    {
    }

    /// <summary>How many lines of <typeparamref name="T"/>'s category were logged at <paramref name="level"/>.</summary>
    public int Count<T>(LogLevel level) => Lines.Count(l => l.Category == typeof(T).FullName && l.Level == level);

    private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, int)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((category, logLevel, eventId.Id));
    }
}
