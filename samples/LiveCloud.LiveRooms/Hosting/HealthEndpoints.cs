using LiveCloud.Nginx;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveCloud.LiveRooms.Hosting;

/// <summary>The answer of <c>GET /health</c>.</summary>
/// <param name="Status"><c>healthy</c> or <c>unhealthy</c>.</param>
/// <param name="Provider">The default provider's name.</param>
/// <param name="Nginx">The local nginx-rtmp server, when the app runs one (the first, when it runs several).</param>
/// <param name="LastReconciledAt">When rooms were last checked against what the provider reports online.</param>
/// <param name="NginxServers">Every local nginx-rtmp server by provider name (several in multi-cloud mode over nginx members).</param>
public sealed record HealthDto(string Status, string Provider, NginxHealthDto? Nginx, DateTimeOffset? LastReconciledAt, IReadOnlyDictionary<string, NginxHealthDto> NginxServers);

/// <summary>The local nginx-rtmp server's health (see <see cref="NginxServerHealth"/>).</summary>
/// <param name="State"><c>Starting</c>, <c>Healthy</c>, <c>Restarting</c>, <c>Failed</c> or <c>Stopped</c>.</param>
/// <param name="Since">When it entered that state.</param>
/// <param name="ProcessId">The nginx master's process id.</param>
/// <param name="WorkerProcessId">Its worker's process id.</param>
/// <param name="Restarts">Master restarts since the app started.</param>
/// <param name="WorkerRestarts">Worker respawns since the app started.</param>
/// <param name="LastRestartAt">When the last restart or respawn was seen.</param>
/// <param name="LastExitCode">The exit code of the last master that died.</param>
/// <param name="LastError">What last went wrong.</param>
public sealed record NginxHealthDto(string State, DateTimeOffset Since, int? ProcessId, int? WorkerProcessId, int Restarts, int WorkerRestarts, DateTimeOffset? LastRestartAt, int? LastExitCode, string? LastError);

/// <summary>
/// <c>GET /health</c>: 200 when the app can serve rooms, 503 while its nginx is not running. With several local nginx
/// servers (the members of a multi-cloud provider) the app serves while any of them runs: the composite moves hosts and
/// viewers to the healthy one, so one member down is reported but is not a 503.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Maps <c>GET /health</c>.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app) => app.MapGet("/health", Health);

    private static JsonHttpResult<HealthDto> Health(LiveRoomsLifecycle lifecycle, StreamProviders providers, RoomReconciler reconciler)
    {
        var servers = lifecycle.Servers.ToDictionary(s => s.Name, s => Dto(s.Server.Health), StringComparer.Ordinal);
        bool healthy = lifecycle.Servers.Count == 0 || lifecycle.Servers.Any(s => s.Server.Health.IsHealthy);
        NginxServerHealth? nginx = lifecycle.Nginx?.Health;
        var body = new HealthDto(
            healthy ? "healthy" : "unhealthy",
            providers.Default.Name,
            nginx is null ? null : Dto(nginx),
            reconciler.LastReconciledAt,
            servers);
        return TypedResults.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static NginxHealthDto Dto(NginxServerHealth nginx) =>
        new(nginx.State.ToString(), nginx.Since, nginx.ProcessId, nginx.WorkerProcessId, nginx.Restarts, nginx.WorkerRestarts, nginx.LastRestartAt, nginx.LastExitCode, nginx.LastError);
}
