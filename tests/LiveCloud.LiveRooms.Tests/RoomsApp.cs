using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace LiveCloud.LiveRooms.Tests;

/// <summary>
/// The live-rooms app on Kestrel at 127.0.0.1:free-port with the Nginx provider on free ports (nginx needs a real
/// TCP port to call its hooks on, so no in-memory test server). When nginx, its RTMP module, ffmpeg or ffprobe is missing,
/// starting it skips the test (fails under CI): see <see cref="RealParts"/>.
/// </summary>
public sealed class RoomsApp : IAsyncDisposable
{
    public const string SigningKey = "liverooms-test-signing-key-0123456789";

    private readonly WebApplication _app;

    private RoomsApp(WebApplication app, string dataDirectory, int httpPort, int rtmpPort, int nginxHttpPort)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        RtmpPort = rtmpPort;
        NginxHttpPort = nginxHttpPort;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public string DataDirectory { get; }

    public int RtmpPort { get; }

    public int NginxHttpPort { get; }

    public HttpClient Client { get; }

    /// <summary>The app's services (the multi-cloud tests reach the provider's ledger and the nginx servers).</summary>
    public IServiceProvider Services => _app.Services;

    public string RecordingsDirectory => Path.Combine(DataDirectory, "nginx", "recordings");

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "liverooms-tests-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>What the app and the tests' pushes and probes run.</summary>
    public static readonly string[] Tools = [RealParts.Nginx, RealParts.Ffmpeg, RealParts.Ffprobe];

    public static async Task<RoomsApp> StartAsync(string? dataDirectory = null, int createRoomPermits = 1000, params string[] extraArgs)
    {
        RealParts.Require(Tools);

        dataDirectory ??= NewDataDirectory();
        int http = FreePort(), rtmp = FreePort(), nginxHttp = FreePort();
        string[] args =
        [
            $"--urls=http://127.0.0.1:{http}",
            $"--LiveRooms:DataDirectory={dataDirectory}",
            $"--LiveRooms:CreateRoomPermitLimit={createRoomPermits}",
            "--LiveCloud:Provider=Nginx",
            $"--LiveCloud:Nginx:RtmpPort={rtmp}",
            $"--LiveCloud:Nginx:HttpPort={nginxHttp}",
            $"--LiveCloud:Nginx:SigningKey={SigningKey}",
            "--Logging:LogLevel:Default=Warning",
            // Most tests check what an unpublish does at once; the reconnect window's tests set their own.
            "--LiveRooms:ReconnectWindow=00:00:00",
            .. extraArgs,
        ];
        WebApplication app = LiveRoomsApp.Build(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Paths.Sample,
            EnvironmentName = Environments.Production,
        });
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app.StartAsync(start.Token);
        return new RoomsApp(app, dataDirectory, http, rtmp, nginxHttp);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    public void DeleteData()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }

    // ---- API helpers ----

    public async Task<CreatedRoom> CreateRoomAsync(string title)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/api/rooms", new { title });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CreatedRoom>(Json))!;
    }

    public async Task<RoomView> GetRoomAsync(string id, string? client = null)
    {
        string query = client is null ? string.Empty : "?client=" + client;
        return (await Client.GetFromJsonAsync<RoomView>($"/api/rooms/{id}{query}", Json))!;
    }

    public async Task<string> StateAsync(string id) => (await GetRoomAsync(id)).State;

    public async Task<IReadOnlyList<RecordingView>> RecordingsAsync(string id) =>
        (await Client.GetFromJsonAsync<RecordingList>($"/api/rooms/{id}/recordings", Json))!.Items;

    public Task WaitForStateAsync(string id, string state, int seconds = 30) =>
        Poll.UntilAsync(async () => await StateAsync(id) == state, $"room {id} to be {state}", seconds);

    public async Task<HttpResponseMessage> PostHostAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }

    // ---- nginx-rtmp hooks as nginx sends them (the tests know the signing key) ----

    public static string HookToken => Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), "livecloud-nginx-hook"u8));

    public static string Sign(string purpose, string stream, long expires) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.UTF8.GetBytes($"{purpose}:/live/{stream}?e={expires}")));

    public string PushUrl(string stream, long expires, string? signature = null) =>
        $"rtmp://127.0.0.1:{RtmpPort}/live/{stream}?e={expires}&sig={signature ?? Sign("publish", stream, expires)}";

    public Task<HttpResponseMessage> HookAsync(string call, string stream, string clientId, string? hookToken = null, IDictionary<string, string>? extra = null, string provider = "nginx")
    {
        long e = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("call", call), new("app", "live"), new("name", stream), new("clientid", clientId), new("addr", "127.0.0.1"),
            new("e", e.ToString(CultureInfo.InvariantCulture)), new("sig", Sign("publish", stream, e)),
        };
        if (extra is not null)
        {
            fields.AddRange(extra);
        }

        return Client.PostAsync($"/api/callbacks/{provider}?lc_hook={Uri.EscapeDataString(hookToken ?? HookToken)}", new FormUrlEncodedContent(fields));
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record PushView(string Url, string? Server, string? StreamKey, DateTimeOffset ExpiresAt);

public sealed record CreatedRoom(string Id, string Title, string StreamName, string HostToken, PushView Push);

public sealed record PlayView(string Protocol, string Url);

public sealed record RoomView(string Id, string Title, string State, IReadOnlyList<PlayView> Play, DateTimeOffset? ExpiresAt);

public sealed record RecordingView(string PlaybackUrl, DateTimeOffset StartTime, double DurationSeconds, long? SizeBytes, string Format);

public sealed record RecordingList(IReadOnlyList<RecordingView> Items);

public sealed record RoomSummary(string Id, string Title, string State, DateTimeOffset CreatedAt);

public sealed record RoomPage(IReadOnlyList<RoomSummary> Items, int Page, int PageSize, int Total);

internal static class Paths
{
    public static string Repository { get; } = FindRepository();

    public static string Sample => Path.Combine(Repository, "samples", "LiveCloud.LiveRooms");

    private static string FindRepository()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LiveCloud.sln not found above " + AppContext.BaseDirectory);
    }
}
