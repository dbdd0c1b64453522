using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Nap.DevHost;

/// <summary>Runs timer functions on their six-field UTC cron schedules (NCrontab, as the Functions host), with %Setting% expansion.</summary>
public sealed class TimerScheduler(
    IReadOnlyList<FunctionEntry> functions,
    FunctionInvoker invoker,
    ServedFunctions served,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = functions.Where(f => f.Kind == TriggerKind.Timer).ToList();
        var runs = new List<Task>();
        foreach (var f in timers)
        {
            var expression = FunctionCatalog.Expand(f.Schedule ?? throw new InvalidOperationException($"{f.Name} has no schedule."), k => configuration[k.Replace("__", ":", StringComparison.Ordinal)]);
            var schedule = CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });
            served.Add(f);
            runs.Add(RunAsync(f, schedule, stoppingToken));
        }
        return Task.WhenAll(runs);
    }

    private async Task RunAsync(FunctionEntry f, CrontabSchedule schedule, CancellationToken stoppingToken)
    {
        var last = time.GetUtcNow().UtcDateTime;
        if (f.RunOnStartup) await InvokeAsync(f, last, last, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime);
            var wait = next - time.GetUtcNow().UtcDateTime;
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await InvokeAsync(f, last, next, stoppingToken);
            last = next;
        }
    }

    private async Task InvokeAsync(FunctionEntry f, DateTime last, DateTime next, CancellationToken stoppingToken)
    {
        var info = new TimerInfo { IsPastDue = false, ScheduleStatus = new ScheduleStatus { Last = last, Next = next, LastUpdated = time.GetUtcNow().UtcDateTime } };
        try
        {
            await invoker.InvokeAsync(f, p =>
                p.ParameterType == typeof(TimerInfo) ? (true, info)
                : p.ParameterType == typeof(CancellationToken) ? (true, stoppingToken)
                : (false, null));
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Any failure, a storage timeout's cancellation included, ends this run only: the next occurrence runs as usual.
            logger.LogError("Timer function {Function} failed with {ExceptionType}", f.Name, ex.GetType().FullName);
        }
    }
}
