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
    /// <remarks>
    /// A body that cannot be read (bad chunked framing, a connection cut short) is answered 400 and logged at Debug:
    /// it is the caller's mistake. When an observer refuses the event or does not know its stream, the provider's
    /// <see cref="ICallbackRefusalHandler"/> (if it has one) forgets what parsing kept. With
    /// <see cref="Microsoft.Extensions.DependencyInjection.LiveCloudCallbackServiceCollectionExtensions.AddLiveCloudCallbacks"/>
    /// registered, the route's query strings (hook tokens, shared callback tokens) are redacted before ASP.NET Core
    /// logs or traces the request (without it, a warning at start-up says they are not), and a provider listed in
    /// <see cref="LiveCloudCallbackOptions.AllowedSources"/> takes callbacks only from those addresses (403 otherwise).
    /// </remarks>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="pattern">The route, <c>/api/callbacks/{provider}</c> by default.</param>
    public static IEndpointConventionBuilder MapLiveCloudCallbacks(this IEndpointRouteBuilder endpoints, string pattern = "/api/callbacks/{provider}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (endpoints.ServiceProvider.GetService<CallbackQueryRedaction>() is { } redaction)
        {
            redaction.AddRoute(pattern);
        }
        else
        {
            LogNotRedacted(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory), pattern);
        }

        return endpoints.MapMethods(pattern, ["GET", "POST"], HandleAsync).DisableAntiforgery();
    }

    private const string LogCategory = "LiveCloud.Callbacks";

    private static async Task<IResult> HandleAsync(string provider, HttpContext context)
    {
        IServiceProvider services = context.RequestServices;
        ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        StreamProviders providers = services.GetRequiredService<StreamProviders>();
        if (!providers.Contains(provider))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No provider named '{provider}' is configured.");
        }

        if (services.GetService<CallbackSourceFilter>() is { } sources && !sources.Allows(provider, context.Connection.RemoteIpAddress))
        {
            LogRefused(logger, provider, $"it came from {context.Connection.RemoteIpAddress}, which is not in {LiveCloudCallbackOptions.SectionName}:AllowedSources:{providers.Get(provider).Name}");
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        CallbackRequest request;
        try
        {
            request = await ReadAsync(context, context.RequestAborted);
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            // Bad framing, a body cut short, a body over the server's limit: the caller's mistake, not ours.
            LogUnreadable(logger, provider, ex.Message);
            return Results.Problem(statusCode: ex.StatusCode, title: "The callback's body could not be read.");
        }
        catch (IOException ex)
        {
            // Kestrel reports some framing errors (a chunk size that overflows) and cut connections as plain IOExceptions.
            LogUnreadable(logger, provider, ex.Message);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The callback's body could not be read.");
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

        IStreamProvider parser = providers.Get(provider);
        foreach (IStreamEventObserver observer in services.GetServices<IStreamEventObserver>())
        {
            switch (await observer.HandleAsync(streamEvent, context.RequestAborted))
            {
                case StreamEventDecision.Refuse:
                    await ForgetAsync(parser, streamEvent, context.RequestAborted);
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                case StreamEventDecision.UnknownStream:
                    await ForgetAsync(parser, streamEvent, context.RequestAborted);
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown stream.", detail: $"No stream '{streamEvent.Stream}' is known here.");
            }
        }

        return Results.NoContent();
    }

    // Nothing is kept for a stream the application refused (Tencent's recording index, for one).
    private static ValueTask ForgetAsync(IStreamProvider provider, StreamEvent streamEvent, CancellationToken cancellationToken) =>
        provider.GetService<ICallbackRefusalHandler>() is { } handler ? handler.OnRefusedAsync(streamEvent, cancellationToken) : ValueTask.CompletedTask;

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "A {Provider} callback's body could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string provider, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The query strings of the LiveCloud callback route {Pattern} are not redacted: ASP.NET Core logs them at Information, and they can carry callback tokens. Call services.AddLiveCloudCallbacks() to redact them.")]
    private static partial void LogNotRedacted(ILogger logger, string pattern);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Acknowledged a verified {Provider} callback LiveCloud does not model (vendor event type {VendorEventType}, stream {Stream})")]
    private static partial void LogUnmodelled(ILogger logger, string provider, string? vendorEventType, StreamId stream);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Refused a {Provider} callback: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string reason);

    /// <summary>Copies what a provider needs from the request, refusing bodies over <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<CallbackRequest> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        HttpRequest request = context.Request;
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
            // The query as sent: with redaction on, the request itself shows only the redacted one.
            Query = CallbackQueryRedaction.OriginalQuery(context).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length),
        };
    }
}
