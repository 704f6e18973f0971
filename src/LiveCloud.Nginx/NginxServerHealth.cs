namespace LiveCloud.Nginx;

/// <summary>Where a supervised <see cref="NginxRtmpServer"/> stands.</summary>
public enum NginxServerState
{
    /// <summary>Not started, or stopped by its host.</summary>
    Stopped,

    /// <summary><see cref="NginxRtmpServer.StartAsync"/> is starting nginx.</summary>
    Starting,

    /// <summary>nginx runs and its RTMP and HTTP ports answer.</summary>
    Healthy,

    /// <summary>nginx died; the server is starting it again after a back-off (<see cref="NginxServerHealth.LastError"/> says why).</summary>
    Restarting,

    /// <summary>nginx could not be started and the server does not try again by itself (<see cref="NginxServerHealth.LastError"/> says why).</summary>
    Failed,
}

/// <summary>What a supervised nginx restarted.</summary>
public enum NginxRestartKind
{
    /// <summary>The master process died and the server started nginx again: every stream and recording it had is gone.</summary>
    Master,

    /// <summary>
    /// A worker process died and the master started another: the streams the worker served are gone, and nginx-rtmp sends
    /// no <c>publish_done</c> or <c>record_done</c> for them.
    /// </summary>
    Worker,
}

/// <summary>A snapshot of a <see cref="NginxRtmpServer"/>'s health (<see cref="NginxRtmpServer.Health"/>).</summary>
/// <param name="State">Where the server stands.</param>
/// <param name="Since">When it entered <paramref name="State"/>.</param>
/// <param name="ProcessId">The nginx master's process id while it runs.</param>
/// <param name="WorkerProcessId">The worker's process id, where the system shows it (Linux).</param>
/// <param name="Restarts">How many times the master was restarted since <see cref="NginxRtmpServer.StartAsync"/>.</param>
/// <param name="WorkerRestarts">How many worker respawns were seen since <see cref="NginxRtmpServer.StartAsync"/>.</param>
/// <param name="LastRestartAt">When the last master restart or worker respawn was seen.</param>
/// <param name="LastExitCode">The exit code of the last master that died (128 + N when killed by signal N).</param>
/// <param name="LastError">What last went wrong, in a sentence (never nginx's configuration or secrets).</param>
public sealed record NginxServerHealth(
    NginxServerState State,
    DateTimeOffset Since,
    int? ProcessId,
    int? WorkerProcessId,
    int Restarts,
    int WorkerRestarts,
    DateTimeOffset? LastRestartAt,
    int? LastExitCode,
    string? LastError)
{
    /// <summary>Whether <see cref="State"/> is <see cref="NginxServerState.Healthy"/>.</summary>
    public bool IsHealthy => State == NginxServerState.Healthy;
}

/// <summary>What <see cref="NginxRtmpServer.Restarted"/> reports: reconcile stream state with <c>/stat</c> now.</summary>
/// <param name="kind">What was restarted.</param>
/// <param name="previousProcessId">The process that died.</param>
/// <param name="processId">The process that replaced it.</param>
/// <param name="exitCode">The dead master's exit code; <see langword="null"/> for a worker (its master reaps it).</param>
/// <param name="at">When the server saw the restart complete.</param>
public sealed class NginxRestartedEventArgs(NginxRestartKind kind, int previousProcessId, int processId, int? exitCode, DateTimeOffset at) : EventArgs
{
    /// <summary>What was restarted.</summary>
    public NginxRestartKind Kind { get; } = kind;

    /// <summary>The process that died.</summary>
    public int PreviousProcessId { get; } = previousProcessId;

    /// <summary>The process that replaced it.</summary>
    public int ProcessId { get; } = processId;

    /// <summary>The dead master's exit code (128 + N when killed by signal N); <see langword="null"/> for a worker.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>
    /// When the server saw the restart complete. Every stream published before this that <c>/stat</c> does not list
    /// is gone: no <c>publish_done</c> will come for it.
    /// </summary>
    public DateTimeOffset At { get; } = at;
}
