using System.Threading.Channels;
using LiveCloud.Nginx;
using Microsoft.Extensions.Options;

namespace LiveCloud.LiveRooms.Hosting;

/// <summary>
/// Starts the local nginx-rtmp server with the app when the provider is Nginx (and stops it with the app; the server
/// restarts nginx when it dies), then keeps rooms in line with what the provider reports (<see cref="RoomReconciler"/>):
/// at start, after every nginx restart or worker respawn, and every <see cref="LiveRoomsOptions.ReconcileInterval"/>.
/// </summary>
public sealed partial class LiveRoomsLifecycle(
    IServiceProvider services,
    StreamProviders providers,
    RoomReconciler reconciler,
    TimeProvider time,
    IOptions<LiveRoomsOptions> options,
    ILogger<LiveRoomsLifecycle> logger) : IHostedService, IDisposable
{
    // A hook answered just before a restart was seen may not show in /stat yet: such rooms wait for the next pass.
    private static readonly TimeSpan HookRace = TimeSpan.FromSeconds(1);

    // When nginx restarts were seen, for the reconciliation loop.
    private readonly Channel<DateTimeOffset> _restarts = Channel.CreateUnbounded<DateTimeOffset>(new UnboundedChannelOptions { SingleReader = true });
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    /// <summary>The local nginx-rtmp server the app runs (the first, in multi-cloud mode), or <see langword="null"/> when it runs none.</summary>
    public NginxRtmpServer? Nginx => Servers.Count > 0 ? Servers[0].Server : null;

    /// <summary>
    /// Every local nginx-rtmp server the app runs, by provider name: the provider's, or in multi-cloud mode each nginx
    /// member's (<c>LiveCloud:NginxA</c>, <c>LiveCloud:NginxB</c>…).
    /// </summary>
    public IReadOnlyList<(string Name, NginxRtmpServer Server)> Servers { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.StartNginx)
        {
            IStreamProvider selected = providers.Default;
            IEnumerable<IStreamProvider> local = selected.GetService<MultiCloud.MultiCloudStreamProvider>() is { } composite ? composite.Members : [selected];
            var servers = new List<(string, NginxRtmpServer)>();
            foreach (IStreamProvider provider in local.Where(p => p.GetService<NginxStreamProvider>() is not null))
            {
                NginxRtmpServer nginx = string.Equals(provider.Name, NginxOptions.ProviderName, StringComparison.OrdinalIgnoreCase)
                    ? services.GetRequiredService<NginxRtmpServer>()
                    : services.GetRequiredKeyedService<NginxRtmpServer>(provider.Name);
                nginx.Restarted += OnRestarted;
                servers.Add((provider.Name, nginx));
            }

            Servers = servers;
            await Task.WhenAll(servers.Select(s => s.Item2.StartAsync(cancellationToken)));
        }

        // Whatever was live before this start and is not online now ended while the app was away.
        await ReconcileAsync(time.GetUtcNow(), TimeSpan.Zero, cancellationToken);
        _stopping = new CancellationTokenSource();
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null)
        {
            await _stopping.CancelAsync();
            await _loop!;
        }

        foreach ((_, NginxRtmpServer nginx) in Servers)
        {
            nginx.Restarted -= OnRestarted;
            await nginx.StopAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping?.Dispose();

    private void OnRestarted(object? sender, NginxRestartedEventArgs e)
    {
        LogRestarted(logger, e.Kind, e.PreviousProcessId, e.ProcessId);
        _restarts.Writer.TryWrite(e.At - HookRace);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        TimeSpan interval = options.Value.ReconcileInterval > TimeSpan.Zero ? options.Value.ReconcileInterval : Timeout.InfiniteTimeSpan;
        try
        {
            while (true)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    await Task.WhenAny(_restarts.Reader.WaitToReadAsync(wait.Token).AsTask(), Task.Delay(interval, time, wait.Token));
                    await wait.CancelAsync();
                }

                cancellationToken.ThrowIfCancellationRequested();
                DateTimeOffset liveBefore = time.GetUtcNow() - RoomReconciler.PublishGrace;
                while (_restarts.Reader.TryRead(out DateTimeOffset restartedAt))
                {
                    liveBefore = restartedAt > liveBefore ? restartedAt : liveBefore;
                }

                await ReconcileAsync(liveBefore, RoomReconciler.Settle, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private async Task ReconcileAsync(DateTimeOffset liveBefore, TimeSpan settle, CancellationToken cancellationToken)
    {
        try
        {
            await reconciler.ReconcileAsync(liveBefore, settle, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next pass tries again; the app keeps serving.
            LogReconcileFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "nginx {Kind} restarted (pid {PreviousPid} → {Pid}); reconciling rooms with /stat")]
    private static partial void LogRestarted(ILogger logger, NginxRestartKind kind, int previousPid, int pid);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error, Message = "Reconciling rooms with the provider failed")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception);
}
