using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.AspNetCore.Tests.Policies;

// Records every enabled log event (category, level, event name, formatted message) from a minimum level on.
internal sealed class CapturingLoggerProvider(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string? EventName, string Message)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

    public void Dispose()
    {
    }

    public IEnumerable<string> Lines(string category) => Events.Where(e => e.Category == category).Select(e => e.Message);

    private sealed class Capturing(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Events.Enqueue((category, logLevel, eventId.Name, formatter(state, exception)));
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}
