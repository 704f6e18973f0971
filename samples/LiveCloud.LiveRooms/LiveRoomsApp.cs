using System.Globalization;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using LiveCloud.AspNetCore;
using LiveCloud.LiveRooms.Api;
using LiveCloud.LiveRooms.Chat;
using LiveCloud.LiveRooms.Data;
using LiveCloud.LiveRooms.Hosting;
using LiveCloud.LiveRooms.Plugin;
using LiveCloud.LiveRooms.Rooms;
using LiveCloud.WeChat;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms;

/// <summary>Builds the live-rooms app (used by <c>Program</c> and by the tests, which host it on a real port).</summary>
public static partial class LiveRoomsApp
{
    /// <summary>The name of the connection string of the rooms database.</summary>
    public const string ConnectionStringName = "Rooms";

    /// <summary>Builds the app from <paramref name="options"/> (arguments, content root, environment).</summary>
    /// <param name="options">Arguments, content root and environment.</param>
    /// <param name="configure">Runs before the app's own services are added (tests add a log sink here).</param>
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        ConfigureServices(builder);
        WebApplication app = builder.Build();
        Configure(app);
        return app;
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        ConfigurationManager config = builder.Configuration;
        LiveRoomsOptions rooms = config.GetSection(LiveRoomsOptions.SectionName).Get<LiveRoomsOptions>() ?? new LiveRoomsOptions();
        IReadOnlyList<string> failures = rooms.Validate();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", failures));
        }

        string dataDirectory = Path.GetFullPath(rooms.DataDirectory is { Length: > 0 } d ? d : Path.Combine(builder.Environment.ContentRootPath, "data"));
        Directory.CreateDirectory(dataDirectory);
        ApplyLocalDefaults(builder, dataDirectory);
        ApplyMemberDefaults(builder, dataDirectory);

        builder.Services.Configure<LiveRoomsOptions>(config.GetSection(LiveRoomsOptions.SectionName));
        builder.Services.AddProblemDetails();
        // Callback query strings (the nginx hook token, the Qiniu callback token) never reach request logs; each
        // provider's callbacks may be limited to its source addresses (LiveCloud:Callbacks:AllowedSources:{Provider}).
        builder.Services.Configure<LiveCloudCallbackOptions>(config.GetSection(LiveCloudCallbackOptions.SectionName));
        builder.Services.AddLiveCloudCallbacks();
        builder.Services.AddHttpContextAccessor();
        IConfigurationSection chat = config.GetSection("Chat:Tencent");
        builder.Services.AddLiveCloud(config.GetSection(LiveCloudOptions.SectionName))
            .AddNginx()
            .AddTencent()
            .AddAliyun()
            .AddQiniu()
            // On only when LiveCloud:WeChat exists: rooms of kind "plugin" are then WeChat mini-program live rooms.
            .AddWeChatLive()
            .AddTencentIm(chat);
        if (chat.Exists())
        {
            builder.Services.AddSingleton<IRoomChat, TencentRoomChat>();
        }


        // LiveRooms:Store (SQLite by default, or PostgreSQL) with the chat log beside the rooms, the room cache, and LiveRooms:Backplane (none, or Redis).
        builder.Services.AddRoomStore(config, rooms, dataDirectory);
        builder.AddRoomChannel(dataDirectory);
        builder.Services.AddSingleton(new RoomEventHub(rooms.MaxWatchersPerRoom));
        builder.Services.AddSingleton<RecordingStarter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordingStarter>());
        builder.Services.AddSingleton<RoomNotifier>();
        builder.Services.AddSingleton<PluginRooms>();
        builder.Services.AddHostedService<PluginStatusWatcher>();
        builder.Services.AddSingleton<IStreamEventObserver, RoomStreamObserver>();
        builder.Services.TryAddSingleton<IRoomChat, EmbeddedRoomChat>();
        AddMultiCloudRooms(builder.Services);
        builder.Services.AddSingleton<RoomReconciler>();
        builder.Services.AddSingleton<LiveRoomsLifecycle>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveRoomsLifecycle>());

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RoomEndpoints.CreateRoomPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = rooms.CreateRoomPermitLimit, Window = rooms.CreateRoomWindow, QueueLimit = 0 }));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                HttpResponse response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                int seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : (int)Math.Ceiling(rooms.CreateRoomWindow.TotalSeconds);
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many rooms created.",
                    detail: $"At most {rooms.CreateRoomPermitLimit} rooms per {rooms.CreateRoomWindow.TotalSeconds:0} s from one address; try again in {seconds} s.").ExecuteAsync(context.HttpContext);
            };
        });
    }

    private static void Configure(WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Provider failures are the upstream's, not ours: 502 (or 503 when trying later may help), never 500.
            StatusCodeSelector = ex => ex switch
            {
                LiveCloudException { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
                LiveCloudException => StatusCodes.Status502BadGateway,
                BadHttpRequestException bad => bad.StatusCode,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();

        app.MapRoomEndpoints();
        app.MapRoomChannel();
        app.MapHealth();
        if (app.Services.GetRequiredService<IOptions<LiveRoomsOptions>>().Value.BenchmarkEndpoints)
        {
            app.MapBenchmarkEndpoints();
        }

        MapWeChatUrlChecks(app);
        app.MapLiveCloudCallbacks("/api/callbacks/{provider}");
        app.Lifetime.ApplicationStarted.Register(() => WarnAboutConfiguration(app.Services, app.Logger));
    }

    /// <summary>
    /// WeChat checks the message push URL when it is saved in the console with a signed <c>GET</c> whose <c>echostr</c>
    /// must come back as the body; <c>MapLiveCloudCallbacks</c> answers 204, so each WeChat provider (a section
    /// <c>LiveCloud:WeChat</c>, or one with <c>"Type": "WeChat"</c>) gets a GET route of its own, mapped before it
    /// (messages still arrive by POST there). The provider is looked up when WeChat calls, not at start-up.
    /// </summary>
    private static void MapWeChatUrlChecks(WebApplication app)
    {
        foreach (IConfigurationSection section in app.Configuration.GetSection(LiveCloudOptions.SectionName).GetChildren())
        {
            if (!string.Equals(section.Key, WeChatOptions.ProviderName, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(section["Type"], WeChatOptions.ProviderName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string name = section.Key;
            app.MapGet("/api/callbacks/" + Uri.EscapeDataString(name), (HttpRequest request, StreamProviders providers) =>
            {
                IStreamProvider provider = providers.Get(name);
                if (provider.GetService<WeChatCallbackVerifier>() is not { } verifier)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Message push is not configured.", detail: $"Set LiveCloud:{name}:MessageToken to take WeChat's message push.");
                }

                var check = new CallbackRequest { Method = "GET", Query = SentQuery(request).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal) };
                try
                {
                    return Results.Text(verifier.VerifyUrl(check, provider.Name));
                }
                catch (CallbackVerificationException)
                {
                    return Results.StatusCode(StatusCodes.Status403Forbidden);
                }
            });
        }
    }

    /// <summary>
    /// The query as WeChat sent it. <c>AddLiveCloudCallbacks</c> redacts the callback routes' query strings before
    /// anything sees the request (<c>Request.Query</c> holds <c>***</c>), and keeps the original only for
    /// <c>MapLiveCloudCallbacks</c>; the request target as received (Kestrel's <c>RawTarget</c>) still has it.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> SentQuery(HttpRequest request)
    {
        string? target = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        int query = target?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        return query >= 0 ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target![query..]) : request.Query;
    }

    /// <summary>
    /// Start-up warnings for settings that work but lose something: an Aliyun provider without
    /// <c>RecordingBaseUrl</c> announces recordings as object paths only, which the rooms API lists as they are.
    /// </summary>
    private static void WarnAboutConfiguration(IServiceProvider services, ILogger logger)
    {
        StreamProviders providers = services.GetRequiredService<StreamProviders>();
        foreach (string name in providers.Names)
        {
            if (providers.Get(name).GetService<Aliyun.AliyunOptions>() is { RecordingBaseUrl: null, CallbackKey.Length: > 0 })
            {
                LogNoRecordingBaseUrl(logger, name);
            }
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "LiveCloud:{Provider}:RecordingBaseUrl is not set: its recordings are listed by their storage path only (set it to the OSS bucket's or CDN's URL to get playable URLs)")]
    private static partial void LogNoRecordingBaseUrl(ILogger logger, string provider);

    /// <summary>
    /// Local defaults for the Nginx provider, each only where configuration leaves it unset: the work folder under the
    /// data folder, the hook URL from the app's own URL, and a development signing key generated once and kept in the data
    /// folder (readable by its owner only) — never a secret in the source. Applied whenever the Nginx provider is
    /// registered (it is the provider, or its section exists, as in the shipped appsettings.json), so switching
    /// <c>LiveCloud:Provider</c> to a cloud needs only that cloud's keys; the local nginx starts only when it is the provider.
    /// </summary>
    private static void ApplyLocalDefaults(WebApplicationBuilder builder, string dataDirectory)
    {
        ConfigurationManager config = builder.Configuration;
        string? provider = config["LiveCloud:Provider"];
        if (!string.Equals(provider, "Nginx", StringComparison.OrdinalIgnoreCase) && !config.GetSection("LiveCloud:Nginx").Exists())
        {
            return;
        }

        var defaults = new Dictionary<string, string?>();
        if (string.IsNullOrEmpty(config["LiveCloud:Nginx:WorkDirectory"]))
        {
            defaults["LiveCloud:Nginx:WorkDirectory"] = Path.Combine(dataDirectory, "nginx");
        }

        if (string.IsNullOrEmpty(config["LiveCloud:Nginx:HookBaseUrl"]) && AppUrl(config) is { } appUrl)
        {
            defaults["LiveCloud:Nginx:HookBaseUrl"] = appUrl + "/api/callbacks/nginx";
        }

        if (string.IsNullOrEmpty(config["LiveCloud:Nginx:SigningKey"]))
        {
            defaults["LiveCloud:Nginx:SigningKey"] = DevelopmentSigningKey(dataDirectory);
        }

        builder.Configuration.AddInMemoryCollection(defaults);
    }

    // The first http URL the app listens on, with a wildcard host made loopback (nginx runs on this machine).
    private static string? AppUrl(ConfigurationManager config)
    {
        string? urls = config["urls"] ?? config["ASPNETCORE_URLS"];
        foreach (string url in (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string normal = url.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
            if (Uri.TryCreate(normal, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttp && uri.Port > 0)
            {
                return uri.GetLeftPart(UriPartial.Authority);
            }
        }

        return null;
    }

    /// <summary>A key generated once into <paramref name="fileName"/> in the data folder (readable by its owner only), or the one there.</summary>
    internal static string DevelopmentSigningKey(string dataDirectory, string fileName = "nginx-signing-key")
    {
        string path = Path.Combine(dataDirectory, fileName);
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: >= 32 } existing)
        {
            return existing;
        }

        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, fileOptions))
        {
            writer.Write(key);
        }

        return key;
    }
}
