using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;

namespace Nap.DevHost;

/// <summary>Calls a function method the way the isolated worker would: a fresh instance from DI, parameters bound by type and name.</summary>
public sealed class FunctionInvoker(IServiceProvider services)
{
    public static readonly Type[] SupportedContextTypes = [typeof(CancellationToken), typeof(Microsoft.AspNetCore.Http.HttpRequest), typeof(TimerInfo)];

    /// <summary>Invokes and awaits; returns the method's result (unwrapped from Task&lt;T&gt;).</summary>
    public async Task<object?> InvokeAsync(FunctionEntry function, Func<ParameterInfo, (bool Bound, object? Value)> bind)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        try
        {
            var args = function.Method.GetParameters().Select(p =>
            {
                var (bound, value) = bind(p);
                return bound ? value : throw new InvalidOperationException($"Function {function.Name}: the dev host cannot bind parameter '{p.Name}' ({p.ParameterType.Name}).");
            }).ToArray();
            var result = function.Method.Invoke(instance, args);
            if (result is Task task)
            {
                await task.ConfigureAwait(false);
                var type = task.GetType();
                return type.IsGenericType && type.GetProperty("Result") is { } prop && prop.PropertyType.Name != "VoidTaskResult" ? prop.GetValue(task) : null;
            }
            return result;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
        finally
        {
            if (instance is IAsyncDisposable ad) await ad.DisposeAsync().ConfigureAwait(false);
            else if (instance is IDisposable d) d.Dispose();
        }
    }

    public static async Task WriteHttpResultAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor())).ConfigureAwait(false);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType()).ConfigureAwait(false);
                break;
        }
    }
}
