using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>One log event as a sink would write it: the formatted line and each structured value's text.</summary>
internal sealed record CapturedLog(LogLevel Level, EventId EventId, string Category, string Message, IReadOnlyList<string> Values);

/// <summary>A logger factory that keeps every event at or above <paramref name="minimum"/>, for assertions on logs.</summary>
internal sealed class LogCapture(LogLevel minimum = LogLevel.Trace) : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _events = new();
    private readonly LogLevel _minimum = minimum;

    public IReadOnlyCollection<CapturedLog> Events => _events;

    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(_minimum).AddProvider(this));

    public IEnumerable<CapturedLog> Named(string eventName) => _events.Where(e => e.EventId.Name == eventName);

    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, this);

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured sinks (JSON console, OpenTelemetry) write each value's ToString(): capture those too.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => p.Value?.ToString() ?? string.Empty).ToList()
                : [];
            owner._events.Enqueue(new CapturedLog(logLevel, eventId, category, formatter(state, exception), values));
        }
    }
}
