using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace LiveCloud.Testing;

/// <summary>A scripted fault played on one request: true when it answered (or dropped) the request itself,
/// false to let the emulator carry on as normal.</summary>
public delegate Task<bool> Fault(HttpContext context);

/// <summary>The faults an emulator plays on its next requests, one per request, in order. Thread-safe.</summary>
public sealed class FaultScript
{
    private readonly ConcurrentQueue<Fault> _faults = new();

    /// <summary>Queues <paramref name="faults"/> for the next requests.</summary>
    public void Then(params Fault[] faults)
    {
        foreach (Fault fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    /// <summary>Plays the next fault, if any, on <paramref name="context"/>: true when it handled the request.</summary>
    public Task<bool> TryApplyAsync(HttpContext context) => _faults.TryDequeue(out Fault? fault) ? fault(context) : Task.FromResult(false);
}

/// <summary>The faults every emulator shares; vendor-shaped errors are small factories on each emulator.</summary>
public static class Faults
{
    /// <summary>The connection is dropped without an answer.</summary>
    public static Fault Drop { get; } = context =>
    {
        context.Abort();
        return Task.FromResult(true);
    };

    /// <summary>An HTTP status with a non-JSON body (a gateway's HTML page, <c>&lt;html&gt;status&lt;/html&gt;</c> by default).</summary>
    public static Fault Status(int status, string? body = null) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(body ?? $"<html>{status}</html>");
        return true;
    };

    /// <summary>An HTTP status with <paramref name="body"/> serialized as JSON.</summary>
    public static Fault Json(int status, object body) => async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(body);
        return true;
    };

    /// <summary>Waits (or until the client gives up, which ends the request), then plays <paramref name="then"/>,
    /// or lets the request carry on as normal when there is none.</summary>
    public static Fault Slow(TimeSpan delay, Fault? then = null) => async context =>
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return true;
        }

        return then is not null && await then(context);
    };
}
