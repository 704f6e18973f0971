using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveCloud.Nginx.Tests;

/// <summary>
/// Real nginx (with the RTMP module) on free loopback ports, whose hooks reach a tiny Kestrel endpoint that
/// hands them to the provider, as a host app would. When nginx, its RTMP module, ffmpeg or ffprobe is missing it starts
/// nothing and the tests skip (see <see cref="RealParts"/>); under CI it fails.
/// </summary>
public sealed class NginxServerFixture : IAsyncLifetime
{
    private WebApplication? _hooks;

    public NginxStreamProvider Provider { get; private set; } = null!;

    public NginxRtmpServer Server { get; private set; } = null!;

    public NginxOptions Options { get; private set; } = null!;

    /// <summary>Every event the provider accepted from a hook.</summary>
    public ConcurrentQueue<StreamEvent> Events { get; } = new();

    /// <summary>Every hook the provider refused, with the reason.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>What the fixture and its tests run.</summary>
    public static readonly string[] Tools = [RealParts.Nginx, RealParts.Ffmpeg, RealParts.Ffprobe];

    public async Task InitializeAsync()
    {
        if (!RealParts.CanStart(Tools))
        {
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _hooks = builder.Build();
        _hooks.MapMethods("/livecloud/nginx/hook", ["GET", "POST"], HandleHookAsync);
        await _hooks.StartAsync();
        string hookBase = _hooks.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        string work = Path.Combine(Path.GetTempPath(), "livecloud-nginx-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Options = TestOptions.Create(o =>
        {
            o.RtmpPort = TestOptions.FreePort();
            o.HttpPort = TestOptions.FreePort();
            o.WorkDirectory = work;
            o.HookBaseUrl = hookBase + "/livecloud/nginx/hook";
        });
        Provider = TestOptions.Provider(Options);
        Server = new NginxRtmpServer(Options);
        await Server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (_hooks is not null)
        {
            await _hooks.StopAsync();
            await _hooks.DisposeAsync();
        }

        if (Options is not null && Directory.Exists(Options.WorkDirectory))
        {
            Directory.Delete(Options.WorkDirectory, recursive: true);
        }
    }

    /// <summary>The events of one stream and kind seen so far.</summary>
    public IEnumerable<StreamEvent> EventsOf(StreamId stream, StreamEventKind kind) =>
        Events.Where(e => e.Stream == stream && e.Kind == kind);

    // What a host app's hook endpoint does: form body and query to the provider; 2xx allows, 403 refuses.
    private async Task HandleHookAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new CallbackRequest
        {
            Method = context.Request.Method,
            ContentType = context.Request.ContentType,
            Query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            Body = await reader.ReadToEndAsync(context.RequestAborted),
        };
        try
        {
            StreamEvent ev = await Provider.ParseCallbackAsync(request, context.RequestAborted);
            Events.Enqueue(ev);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (CallbackVerificationException ex)
        {
            Refusals.Enqueue(ex.Message);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }
}
