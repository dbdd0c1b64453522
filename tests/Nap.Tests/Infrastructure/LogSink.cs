using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Nap.Tests.Infrastructure;

/// <summary>Keeps every log line (Trace and up), with exceptions and scopes, so tests can prove what never reaches a log.</summary>
public sealed class LogSink : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    public string All => string.Join('\n', Lines);

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => sink._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category} {formatter(state, exception)} {exception}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values) line += " " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}"));
            sink._scopes.ForEachScope((scope, acc) => acc.Add(scope?.ToString() ?? ""), new List<string>());
            sink.Lines.Enqueue(line);
        }
    }
}
