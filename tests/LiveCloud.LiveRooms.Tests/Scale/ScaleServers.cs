using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;

namespace LiveCloud.LiveRooms.Tests.Scale;

/// <summary>
/// A real PostgreSQL server (Debian's <c>postgresql</c>: initdb and pg_ctl from /usr/lib/postgresql/*/bin) in a temporary
/// data folder on a free loopback port, trusting local connections; run as the <c>postgres</c> user when the tests run
/// as root (PostgreSQL refuses root). Stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _pgCtl;
    private readonly bool _asPostgres;

    private PostgresServer(string folder, string pgCtl, bool asPostgres, int port)
    {
        _folder = folder;
        _pgCtl = pgCtl;
        _asPostgres = asPostgres;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The superuser's connection string to a database.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=40;Timeout=30";

    /// <summary>Where initdb and pg_ctl are, or <see langword="null"/> when PostgreSQL is not installed.</summary>
    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;

    public static async Task<PostgresServer> StartAsync()
    {
        string bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL is not installed; run scripts/prereqs.sh");
        bool asPostgres = Environment.IsPrivilegedProcess;
        string folder = Path.Combine(Path.GetTempPath(), "liverooms-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        if (asPostgres && !OperatingSystem.IsWindows())
        {
            // The postgres user creates (and owns) the data folder inside this one.
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }

        string data = Path.Combine(folder, "data");
        int port = RoomsApp.FreePort();
        var server = new PostgresServer(folder, Path.Combine(bin, "pg_ctl"), asPostgres, port);
        await server.RunAsync(Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C");
        await server.RunAsync(server._pgCtl, "-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "-o",
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(_pgCtl, "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(_asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_asPostgres)
        {
            foreach (string a in (string[])["-u", "postgres", "--", program])
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
        {
            string log = File.Exists(Path.Combine(_folder, "log")) ? await File.ReadAllTextAsync(Path.Combine(_folder, "log")) : string.Empty;
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited {process.ExitCode}: {await errors} {await output} {log}");
        }
    }
}

/// <summary>A real redis-server on a free loopback port, saving nothing, in a temporary folder; killed on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;
    private int _disposed;

    private RedisServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    // A generous connect timeout: the machine running the tests may be busy (the default is 5 s).
    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=20000";

    /// <summary>Starts a server on <paramref name="port"/> (a free one when <see langword="null"/>: a restart passes the old one).</summary>
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        string program = ToolProcess.Find("redis-server") ?? throw new InvalidOperationException("redis-server is not installed; run scripts/prereqs.sh");
        string folder = Path.Combine(Path.GetTempPath(), "liverooms-redis-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        port ??= RoomsApp.FreePort();
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in (string[])["--port", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder])
        {
            start.ArgumentList.Add(a);
        }

        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, folder, port.Value);
        await Poll.UntilAsync(() => !process.HasExited && Accepts(port.Value), $"redis-server on port {port}", 30);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // stopped already (a test that stops Redis on purpose disposes it again in its finally)
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>
/// One PostgreSQL and one Redis shared by the scale-out tests; nothing when they are not installed (each test then skips
/// with the reason, or fails under CI, where scripts/prereqs.sh installs them).
/// </summary>
public sealed class ScaleFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>Why the servers cannot run here, or <see langword="null"/>.</summary>
    public static string? MissingReason =>
        (PostgresServer.BinDirectory, ToolProcess.Find("redis-server")) switch
        {
            (null, null) => "postgresql and redis-server are not installed; run scripts/prereqs.sh",
            (null, _) => "postgresql is not installed; run scripts/prereqs.sh",
            (_, null) => "redis-server is not installed; run scripts/prereqs.sh",
            _ => null,
        };

    /// <summary>For each test: skips (or under CI fails) when the servers are not installed.</summary>
    public static void Require() => RealParts.Require(MissingReason, RealParts.UnderCi);

    public async Task InitializeAsync()
    {
        if (MissingReason is { } reason)
        {
            if (RealParts.UnderCi)
            {
                RealParts.Require(reason, underCi: true); // fails the collection loudly
            }

            return; // every test skips with the reason

        }

        Postgres = await PostgresServer.StartAsync();
        Redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ScaleGroup : ICollectionFixture<ScaleFixture>
{
    public const string Name = "postgres and redis";
}
