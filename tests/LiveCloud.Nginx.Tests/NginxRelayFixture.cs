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
/// Two real nginx-rtmp servers on free loopback ports, each with its own signing key and its hooks verified by its own
/// provider (one small Kestrel endpoint, as a host app would): <see cref="Local"/>, whose provider runs the relays, and
/// <see cref="Outside"/>, standing in for the platform a push relay goes to and the source a pull relay reads. The
/// local provider allows private relay targets (everything here is on loopback) and retries quickly.
/// </summary>
public sealed class NginxRelayFixture : IAsyncLifetime
{
    private WebApplication? _hooks;

    public Side Local { get; private set; } = null!;

    public Side Outside { get; private set; } = null!;

    /// <summary>Every RelayStatusChanged event the local provider raised.</summary>
    public ConcurrentQueue<StreamEvent> RelayEvents { get; } = new();

    public async Task InitializeAsync()
    {
        if (!RealParts.CanStart(NginxServerFixture.Tools))
        {
            return;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _hooks = builder.Build();
        _hooks.MapMethods("/hook/{side}", ["GET", "POST"], (string side, HttpContext context) => HandleHookAsync(side == "local" ? Local : Outside, context));
        await _hooks.StartAsync();
        string hookBase = _hooks.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        Local = await Side.StartAsync(hookBase + "/hook/local", "relay-local-signing-key-0123456789", o =>
        {
            o.AllowPrivateRelayTargets = true;
            o.RestartDelay = TimeSpan.FromMilliseconds(500);
            o.MaxRestartDelay = TimeSpan.FromSeconds(2);
            o.RelayStallTimeout = TimeSpan.FromSeconds(60); // two loaded cores: never a false stall
        });
        Local.Provider.RelayStatusChanged += (_, e) => RelayEvents.Enqueue(e);
        Outside = await Side.StartAsync(hookBase + "/hook/outside", "relay-outside-signing-key-987654321", null);
    }

    public async Task DisposeAsync()
    {
        foreach (Side? side in new[] { Local, Outside })
        {
            if (side is not null)
            {
                await side.DisposeAsync();
            }
        }

        if (_hooks is not null)
        {
            await _hooks.StopAsync();
            await _hooks.DisposeAsync();
        }
    }

    /// <summary>The relay events of one relay, in order.</summary>
    public IReadOnlyList<StreamEvent> EventsOf(string relayId) => [.. RelayEvents.Where(e => e.RelayId == relayId)];

    private static async Task HandleHookAsync(Side side, HttpContext context)
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
            side.Events.Enqueue(await side.Provider.ParseCallbackAsync(request, context.RequestAborted));
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (CallbackVerificationException)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }
    }

    /// <summary>One nginx and its provider.</summary>
    public sealed class Side : IAsyncDisposable
    {
        private Side(NginxOptions options)
        {
            Options = options;
            Provider = TestOptions.Provider(options);
            Server = new NginxRtmpServer(options);
        }

        public NginxOptions Options { get; }

        public NginxStreamProvider Provider { get; }

        public NginxRtmpServer Server { get; }

        /// <summary>Every event its hooks delivered and its provider verified.</summary>
        public ConcurrentQueue<StreamEvent> Events { get; } = new();

        public static async Task<Side> StartAsync(string hookUrl, string key, Action<NginxOptions>? configure)
        {
            string work = Path.Combine(Path.GetTempPath(), "livecloud-relay-tests-" + Guid.NewGuid().ToString("N")[..8]);
            NginxOptions options = TestOptions.Create(o =>
            {
                o.SigningKey = key;
                o.RtmpPort = TestOptions.FreePort();
                o.HttpPort = TestOptions.FreePort();
                o.WorkDirectory = work;
                o.HookBaseUrl = hookUrl;
                configure?.Invoke(o);
            });
            var side = new Side(options);
            await side.Server.StartAsync();
            return side;
        }

        /// <summary>Whether <paramref name="stream"/> is being pushed to this server now.</summary>
        public async Task<bool> IsLiveAsync(StreamId stream) => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Active;

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync(); // stops its relays first
            await Server.DisposeAsync();
            if (Directory.Exists(Options.WorkDirectory))
            {
                Directory.Delete(Options.WorkDirectory, recursive: true);
            }
        }
    }
}
