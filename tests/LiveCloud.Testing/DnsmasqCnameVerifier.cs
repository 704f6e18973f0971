using System.Collections.Concurrent;
using LiveCloud.Dns;

namespace LiveCloud.Testing;

/// <summary>
/// The library's <see cref="CnameVerifier"/> pointed at a real dnsmasq (<see cref="DnsmasqServer"/>) that is started
/// on the first check only, answering the CNAMEs a test served with <see cref="ServeCname"/>. A provider can be built
/// with it at no cost: as long as nothing checks a domain (the fast test set never does), no dnsmasq runs. When
/// dnsmasq is missing, the first check skips the test (fails under CI), see <see cref="RealParts"/>.
/// </summary>
public sealed class DnsmasqCnameVerifier : ICnameVerifier, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _recordsGate = new();
    private readonly Dictionary<string, string> _cnames = new(StringComparer.OrdinalIgnoreCase);
    private int _served;
    private int _started = -1;
    private DnsmasqServer? _server;
    private CnameVerifier? _verifier;

    /// <summary>Where dnsmasq listens once started; <see langword="null"/> before the first check.</summary>
    public string? NameServer => _server?.NameServer;

    /// <summary>Whether dnsmasq has been started.</summary>
    public bool IsStarted => _server is not null;

    /// <summary>Every check asked, in order (host and expected target as given).</summary>
    public ConcurrentQueue<(string Host, string Expected)> Checks { get; } = new();

    /// <summary>
    /// Serves <c>{host} CNAME {target}</c>, with an address for the target (dnsmasq answers a CNAME only to a name
    /// it knows) and both names local (answered from these records alone). Replaces an earlier CNAME of the host;
    /// a running dnsmasq is restarted with the new records at the next check.
    /// </summary>
    /// <param name="host">The domain.</param>
    /// <param name="target">What its CNAME points at.</param>
    public void ServeCname(string host, string target)
    {
        HostName.Validate(host, nameof(host));
        HostName.Validate(target, nameof(target));
        lock (_recordsGate)
        {
            _cnames[HostName.Normalize(host)] = HostName.Normalize(target);
            _served++;
        }
    }

    /// <summary>Starts dnsmasq with the records served so far (or restarts it when more were served since); skips the test when dnsmasq is missing.</summary>
    /// <param name="cancellationToken">Cancels the wait for the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken = default) => await VerifierAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Checks.Enqueue((host, expectedTarget));
        CnameVerifier verifier = await VerifierAsync(cancellationToken);
        return await verifier.VerifyAsync(host, expectedTarget, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CnameCheck>> VerifyManyAsync(IEnumerable<(string Host, string Expected)> domains, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domains);
        cancellationToken.ThrowIfCancellationRequested();
        (string Host, string Expected)[] items = [.. domains];
        foreach ((string Host, string Expected) item in items)
        {
            Checks.Enqueue(item);
        }

        CnameVerifier verifier = await VerifierAsync(cancellationToken);
        return await verifier.VerifyManyAsync(items, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<CnameVerifier> VerifierAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            (string[] lines, int served) = Records();
            if (_verifier is null || _started != served)
            {
                await StopAsync();
                _server = await DnsmasqServer.StartAsync(lines);
                var options = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1, UseCache = false };
                options.NameServers.Add(_server.NameServer);
                _verifier = new CnameVerifier(options);
                _started = served;
            }

            return _verifier;
        }
        finally
        {
            _gate.Release();
        }
    }

    private (string[] Lines, int Served) Records()
    {
        lock (_recordsGate)
        {
            var lines = new List<string>();
            var targets = new List<string>();
            foreach ((string host, string target) in _cnames)
            {
                lines.Add($"local=/{host}/");
                if (!targets.Contains(target, StringComparer.OrdinalIgnoreCase))
                {
                    targets.Add(target);
                    lines.Add($"local=/{target}/");
                    lines.Add($"host-record={target},127.0.0.{1 + targets.Count}");
                }

                lines.Add($"cname={host},{target}");
            }

            return ([.. lines], _served);
        }
    }

    private async Task StopAsync()
    {
        _verifier = null;
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
