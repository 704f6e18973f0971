using System.Collections.Concurrent;
using System.Globalization;
using LiveCloud.LiveRooms.Data;
using LiveCloud.Testing.Emulators.Aliyun;
using LiveCloud.Testing.Emulators.Nginx;
using LiveCloud.Testing.Emulators.Tencent;
using LiveCloud.Testing.Emulators.TencentIm;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveCloud.LiveRooms.Tests.Hostile;

/// <summary>
/// The live-rooms app on Kestrel at 127.0.0.1:free-port with all four providers configured (test keys, no nginx
/// started, no recordings asked for), so every provider's callbacks go through the real ASP.NET pipeline, the
/// library's endpoint and the sample's observer without any real program: these tests run in <c>--fast</c> too.
/// Every log entry the app writes is kept in <see cref="Logs"/>.
/// </summary>
public sealed class CloudRoomsHost : IAsyncDisposable
{
    public const string NginxSigningKey = "cloudrooms-test-nginx-signing-key-0123456789";
    public const string TencentCallbackKey = "tencent-callback-key-for-tests";
    public const string AliyunCallbackKey = "aliyun-callback-key-for-tests";
    public const string AliyunPushDomain = "push.aliyun.example.com";
    public const string QiniuCallbackToken = "qiniu-callback-token-for-tests";
    public const string StreamApp = "live";

    private readonly WebApplication _app;
    private readonly TencentImEmulator? _im;

    private CloudRoomsHost(WebApplication app, int port, string dataDirectory, LogSink logs, TencentImEmulator? im)
    {
        _app = app;
        _im = im;
        Port = port;
        DataDirectory = dataDirectory;
        Logs = logs;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public LogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The IM emulator, when chat is on.</summary>
    public TencentImEmulator? Im => _im;

    /// <summary>The hook token nginx.conf adds to every hook URL (computed with the emulator's own code).</summary>
    public static string NginxHookToken => NginxRtmpEmulator.HookToken(NginxSigningKey);

    /// <summary>The arguments that configure all four providers, <paramref name="defaultProvider"/> the default.</summary>
    public static List<string> ProviderArgs(string defaultProvider) =>
    [
        $"--LiveCloud:Provider={defaultProvider}",
        $"--LiveCloud:Nginx:SigningKey={NginxSigningKey}",
        $"--LiveCloud:Nginx:RtmpPort={RoomsApp.FreePort()}",
        $"--LiveCloud:Nginx:HttpPort={RoomsApp.FreePort()}",
        $"--LiveCloud:Tencent:SecretId={TencentApiEmulator.SecretId}",
        $"--LiveCloud:Tencent:SecretKey={TencentApiEmulator.SecretKey}",
        $"--LiveCloud:Tencent:PushDomain={TencentApiEmulator.PushDomain}",
        "--LiveCloud:Tencent:PushKey=tencent-push-key",
        $"--LiveCloud:Tencent:PlayDomain={TencentApiEmulator.PlayDomain}",
        "--LiveCloud:Tencent:PlayKey=tencent-play-key",
        $"--LiveCloud:Tencent:CallbackKey={TencentCallbackKey}",
        "--LiveCloud:Aliyun:AccessKeyId=aliyun-access-key-id",
        "--LiveCloud:Aliyun:AccessKeySecret=aliyun-access-key-secret",
        $"--LiveCloud:Aliyun:PushDomain={AliyunPushDomain}",
        "--LiveCloud:Aliyun:PushKey=aliyun-push-key",
        "--LiveCloud:Aliyun:PlayDomain=play.aliyun.example.com",
        "--LiveCloud:Aliyun:PlayKey=aliyun-play-key",
        $"--LiveCloud:Aliyun:CallbackKey={AliyunCallbackKey}",
        "--LiveCloud:Qiniu:AccessKey=qiniu-access-key",
        "--LiveCloud:Qiniu:SecretKey=qiniu-secret-key",
        $"--LiveCloud:Qiniu:Hub={StreamApp}",
        "--LiveCloud:Qiniu:PushDomain=push.qiniu.example.com",
        "--LiveCloud:Qiniu:PushKey=qiniu-push-key",
        $"--LiveCloud:Qiniu:CallbackToken={QiniuCallbackToken}",
    ];

    /// <summary>Starts the app; <paramref name="chat"/> turns room chat on against a loopback IM emulator.</summary>
    public static async Task<CloudRoomsHost> StartAsync(string defaultProvider = "Nginx", bool chat = false, IEnumerable<string>? extraArgs = null, LogLevel appLogLevel = LogLevel.Warning, Action<WebApplicationBuilder>? configure = null, bool allProviders = true, bool startNginx = false)
    {
        TencentImEmulator? im = chat ? await TencentImEmulator.StartAsync(TimeProvider.System) : null;
        string data = RoomsApp.NewDataDirectory();
        var logs = new LogSink();
        for (int attempt = 1; ; attempt++)
        {
            // A free port can be taken by another test process before Kestrel binds it: then try another.
            int port = RoomsApp.FreePort();
            List<string> args =
            [
                $"--urls=http://127.0.0.1:{port}",
                $"--LiveRooms:DataDirectory={data}",
                "--LiveRooms:CreateRoomPermitLimit=1000000",
                $"--LiveRooms:StartNginx={startNginx}",
                "--LiveRooms:RecordShows=false",
                "--LiveRooms:ReconnectWindow=00:00:00", // the reconnect window's own tests set one
                $"--Logging:LogLevel:Default={appLogLevel}",
                .. allProviders ? ProviderArgs(defaultProvider) : [],
            ];
            if (im is not null)
            {
                args.AddRange(
                [
                    $"--Chat:Tencent:SdkAppId={TencentImEmulator.SdkAppId.ToString(CultureInfo.InvariantCulture)}",
                    $"--Chat:Tencent:SecretKey={TencentImEmulator.SecretKey}",
                    $"--Chat:Tencent:AdminIdentifier={TencentImEmulator.Admin}",
                    $"--Chat:Tencent:Endpoint={im.Endpoint}",
                ]);
            }

            args.AddRange(extraArgs ?? []);
            WebApplication app = LiveRoomsApp.Build(
                new WebApplicationOptions { Args = [.. args], ContentRootPath = Paths.Sample, EnvironmentName = Environments.Production },
                builder =>
                {
                    builder.Logging.AddProvider(logs);
                    configure?.Invoke(builder);
                });
            try
            {
                using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await app.StartAsync(start.Token);
                return new CloudRoomsHost(app, port, data, logs, im);
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>Adds a room owned by <paramref name="provider"/> straight into the store (rooms of the API belong to the default provider).</summary>
    public async Task<Room> AddRoomAsync(string provider, string streamName, bool ended = false)
    {
        RoomStore store = Services.GetRequiredService<RoomStore>();
        string id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        Room room = await store.CreateAsync(id, "room " + streamName, provider, new StreamId(StreamApp, streamName), RoomStore.HashToken("host-" + id), CancellationToken.None);
        if (ended)
        {
            (Room? endedRoom, _) = await store.EndAsync(id, CancellationToken.None);
            return endedRoom!;
        }

        return room;
    }

    public async Task<string> StateAsync(string roomId) =>
        (await Services.GetRequiredService<RoomStore>().FindAsync(roomId, CancellationToken.None))!.State;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
        if (_im is not null)
        {
            await _im.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>One log entry the app wrote.</summary>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    /// <summary>Its place in the order of writing (1 for the first).</summary>
    public long Sequence { get; init; }

    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}{(Exception is null ? string.Empty : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}

/// <summary>Keeps what the app logs (the most recent 20,000 entries), for assertions on levels and content.</summary>
public sealed class LogSink : ILoggerProvider
{
    private const int Keep = 20_000;
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private int _errors;
    private long _written;

    /// <summary>Entries at <see cref="LogLevel.Error"/> or above written so far.</summary>
    public int ErrorCount => Volatile.Read(ref _errors);

    /// <summary>Entries written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries written after the <paramref name="written"/>-th one (of those still kept).</summary>
    public IReadOnlyList<LogEntry> Since(long written) => [.. _entries.Where(e => e.Sequence > written)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry with { Sequence = Interlocked.Increment(ref _written) });
        if (entry.Level >= LogLevel.Error)
        {
            Interlocked.Increment(ref _errors);
        }

        while (_entries.Count > Keep && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Add(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception));
    }
}
