using System.Text;
using LiveCloud;
using LiveCloud.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the LiveCloud callback endpoint.</summary>
public static partial class LiveCloudCallbackEndpoints
{
    /// <summary>The most a callback body may hold (vendor callbacks are small JSON or form bodies).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Maps <c>POST</c> and <c>GET</c> <paramref name="pattern"/> (it must hold a <c>{provider}</c> segment):
    /// the named provider verifies and parses the callback, every <see cref="IStreamEventObserver"/> sees the event,
    /// and the answer is 204 when accepted (verified events LiveCloud does not model included, as
    /// <see cref="StreamEventKind.Other"/>), 403 when verification fails or an observer refuses, 404 for an unknown
    /// provider or a stream an observer does not know, 400 for a verified callback that is malformed. Aliyun sends
    /// ingest callbacks as GET; the rest POST.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, <c>/api/callbacks/{provider}</c> by default.</param>
    public static IEndpointConventionBuilder MapLiveCloudCallbacks(this IEndpointRouteBuilder endpoints, string pattern = "/api/callbacks/{provider}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return endpoints.MapMethods(pattern, ["GET", "POST"], HandleAsync).DisableAntiforgery();
    }

    private static async Task<IResult> HandleAsync(string provider, HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("LiveCloud.Callbacks");
        StreamProviders providers = services.GetRequiredService<StreamProviders>();
        if (!providers.Contains(provider))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No provider named '{provider}' is configured.");
        }

        CallbackRequest request;
        try
        {
            request = await ReadAsync(context.Request, context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: ex.Message);
        }

        StreamEvent streamEvent;
        try
        {
            streamEvent = await providers.Get(provider).ParseCallbackAsync(request, context.RequestAborted);
        }
        catch (CallbackVerificationException ex)
        {
            // The reason goes to the log, not to the caller: it could help a forger.
            LogRefused(logger, provider, ex.Message);
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed callback.", detail: ex.Message);
        }

        if (streamEvent.Kind == StreamEventKind.Other)
        {
            LogUnmodelled(logger, provider, streamEvent.VendorEventType, streamEvent.Stream);
        }

        foreach (IStreamEventObserver observer in services.GetServices<IStreamEventObserver>())
        {
            switch (await observer.HandleAsync(streamEvent, context.RequestAborted))
            {
                case StreamEventDecision.Refuse:
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                case StreamEventDecision.UnknownStream:
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown stream.", detail: $"No stream '{streamEvent.Stream}' is known here.");
            }
        }

        return Results.NoContent();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Acknowledged a verified {Provider} callback LiveCloud does not model (vendor event type {VendorEventType}, stream {Stream})")]
    private static partial void LogUnmodelled(ILogger logger, string provider, string? vendorEventType, StreamId stream);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Refused a {Provider} callback: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason);

    /// <summary>Copies what a provider needs from the request, refusing bodies over <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<CallbackRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidDataException($"Callback body over {MaxBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"Callback body over {MaxBodyBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return new CallbackRequest
        {
            Method = request.Method,
            ContentType = request.ContentType,
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length),
        };
    }
}
