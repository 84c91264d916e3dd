using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Ocpp.Rpc.Hardening.Tests.Support;

/// <summary>
/// Collects every sign of a crash in this process while a test runs: AppDomain unhandled exceptions, unobserved
/// task exceptions, exceptions that escaped an ASP.NET Core request (the hosting layer's
/// <c>Microsoft.AspNetCore.Hosting.UnhandledException</c> diagnostic event, raised for any exception out of the
/// server's request delegate), and Error/Critical logs from the library (use <see cref="LoggerFactory"/>).
/// The hardening tests run one at a time (xunit.runner.json), so process-wide signals belong to the running test.
/// </summary>
internal sealed class ProcessWatch : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly List<IDisposable> _subscriptions = [];
    private readonly IDisposable _all;

    public ProcessWatch()
    {
        AppDomain.CurrentDomain.UnhandledException += OnUnhandled;
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Error).AddProvider(new ErrorLogProvider(_problems)));
        _all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    /// <summary>Pass to <see cref="OcppConnectionOptions.LoggerFactory"/>: library errors count as problems.</summary>
    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>Collects garbage (to surface unobserved task exceptions) and asserts nothing went wrong.</summary>
    public void AssertClean()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _problems.Should().BeEmpty("nothing may crash, fail unobserved or escape a request");
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandled;
        TaskScheduler.UnobservedTaskException -= OnUnobserved;
        _all.Dispose();
        lock (_subscriptions)
        {
            foreach (IDisposable subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }

        LoggerFactory.Dispose();
    }

    void IObserver<DiagnosticListener>.OnNext(DiagnosticListener value)
    {
        if (value.Name == "Microsoft.AspNetCore")
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(value.Subscribe(this, name => name.EndsWith("UnhandledException", StringComparison.Ordinal)));
            }
        }
    }

    void IObserver<KeyValuePair<string, object?>>.OnNext(KeyValuePair<string, object?> value)
    {
        // The payload is an anonymous object { httpContext, exception }.
        object? exception = value.Value?.GetType().GetProperty("exception")?.GetValue(value.Value);
        _problems.Enqueue($"{value.Key}: {exception}");
    }

    void IObserver<DiagnosticListener>.OnCompleted()
    {
    }

    void IObserver<DiagnosticListener>.OnError(Exception error)
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnCompleted()
    {
    }

    void IObserver<KeyValuePair<string, object?>>.OnError(Exception error)
    {
    }

    private void OnUnhandled(object? sender, UnhandledExceptionEventArgs e) => _problems.Enqueue("Unhandled: " + e.ExceptionObject);

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => _problems.Enqueue("Unobserved: " + e.Exception);

    private sealed class ErrorLogProvider(ConcurrentQueue<string> problems) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ErrorLogger(categoryName, problems);

        public void Dispose()
        {
        }
    }

    private sealed class ErrorLogger(string category, ConcurrentQueue<string> problems) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
            {
                problems.Enqueue($"{logLevel} {category} {eventId.Name}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
