using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace LiveCloud.Dns;

/// <summary>
/// The <see cref="ICnameVerifier"/> every provider shares, built on the DnsClient package. It asks for the
/// CNAME of the host, follows the chain link by link (or takes it whole when the server answers the whole
/// chain at once), up to <see cref="CnameVerifierOptions.MaxChainDepth"/> links, and stops at the first link
/// that equals the expected target.
/// </summary>
/// <remarks>
/// Verdicts: <see cref="CnameVerdict.Ok"/> when the chain reaches the expected target (the chain then ends
/// with it); <see cref="CnameVerdict.Missing"/> when the host exists but has no CNAME;
/// <see cref="CnameVerdict.Mismatch"/> when the chain ends without reaching the target (also when it ends at
/// a name that does not exist); <see cref="CnameVerdict.Unresolvable"/> for NXDOMAIN of the host itself,
/// SERVFAIL and other error codes, timeouts, network errors, CNAME loops and chains over the depth limit.
/// Answers are cached for their TTL when <see cref="CnameVerifierOptions.UseCache"/> is on.
/// </remarks>
public sealed class CnameVerifier : ICnameVerifier
{
    private static readonly Lazy<CnameVerifier> SharedVerifier = new(() => new CnameVerifier());

    private readonly LookupClient _lookup;
    private readonly int _maxChainDepth;
    private readonly int _maxConcurrency;
    private readonly string _serversText;
    private readonly TimeSpan _timeout;
    private readonly int _tries;

    /// <summary>One verifier with the default options (the system's name servers), for providers created without DI.</summary>
    public static CnameVerifier Shared => SharedVerifier.Value;

    /// <summary>Creates a verifier with the defaults: the system's name servers, 3 s timeout, 2 retries.</summary>
    public CnameVerifier()
        : this((CnameVerifierOptions?)null)
    {
    }

    /// <summary>Creates a verifier.</summary>
    /// <param name="options">The options; the defaults (system name servers, 3 s timeout, 2 retries) when <see langword="null"/>.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names each bad key.</exception>
    public CnameVerifier(CnameVerifierOptions? options)
    {
        options ??= new CnameVerifierOptions();
        IReadOnlyList<string> failures = options.Validate();
        if (failures.Count > 0)
        {
            throw new LiveCloudConfigurationException(string.Join(" ", failures));
        }

        IReadOnlyList<IPEndPoint> servers = options.GetNameServerEndPoints();
        LookupClientOptions lookupOptions = servers.Count > 0 ? new LookupClientOptions([.. servers]) : new LookupClientOptions();
        lookupOptions.Timeout = options.Timeout;
        lookupOptions.Retries = options.Retries;
        lookupOptions.UseCache = options.UseCache;
        lookupOptions.ThrowDnsErrors = false;
        // "No CNAME here" is an answer (Missing), not a reason to ask the next server.
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseTcpFallback = true;
        _lookup = new LookupClient(lookupOptions);

        _maxChainDepth = options.MaxChainDepth;
        _maxConcurrency = options.MaxConcurrency;
        _timeout = options.Timeout;
        _tries = options.Retries + 1;
        _serversText = string.Join(", ", _lookup.NameServers.Select(s => s.ToString()));
    }

    /// <summary>Creates a verifier from DI options (section <c>LiveCloud:Dns</c>).</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="LiveCloudConfigurationException">The options are invalid; the message names each bad key.</exception>
    public CnameVerifier(IOptions<CnameVerifierOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value)
    {
    }

    /// <inheritdoc />
    public Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        HostName.Validate(host, nameof(host));
        HostName.Validate(expectedTarget, nameof(expectedTarget));
        cancellationToken.ThrowIfCancellationRequested();
        return CheckAsync(HostName.Normalize(host), HostName.Normalize(expectedTarget), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CnameCheck>> VerifyManyAsync(IEnumerable<(string Host, string Expected)> domains, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domains);
        (string Host, string Expected)[] items = [.. domains];
        var results = new CnameCheck[items.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _maxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Length), parallel, async (i, ct) =>
        {
            (string host, string expected) = items[i];
            try
            {
                HostName.Validate(host, "host");
                HostName.Validate(expected, "expectedTarget");
            }
            catch (ArgumentException ex)
            {
                results[i] = new CnameCheck(host ?? string.Empty, expected ?? string.Empty, CnameVerdict.Unresolvable, [], "Bad input: " + ex.Message);
                return;
            }

            results[i] = await CheckAsync(HostName.Normalize(host), HostName.Normalize(expected), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

    private async Task<CnameCheck> CheckAsync(string host, string expected, CancellationToken cancellationToken)
    {
        var chain = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { host };
        string current = host;
        while (true)
        {
            IDnsQueryResponse response;
            try
            {
                response = await _lookup.QueryAsync(current, QueryType.CNAME, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DnsResponseException or SocketException or OperationCanceledException or TimeoutException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Result(CnameVerdict.Unresolvable, Failure(ex, current));
            }

            // Owner → target of every CNAME in this answer: one link, or the whole chain at once.
            var links = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (CNameRecord record in response.Answers.CnameRecords())
            {
                links.TryAdd(HostName.Normalize(record.DomainName.Value), HostName.Normalize(record.CanonicalName.Value));
            }

            bool advanced = false;
            while (links.TryGetValue(current, out string? next))
            {
                advanced = true;
                if (!seen.Add(next))
                {
                    chain.Add(next);
                    return Result(CnameVerdict.Unresolvable, $"CNAME loop: {host} → {string.Join(" → ", chain)}.");
                }

                if (chain.Count >= _maxChainDepth)
                {
                    return Result(CnameVerdict.Unresolvable, string.Create(CultureInfo.InvariantCulture, $"CNAME chain of {host} is longer than {_maxChainDepth} links: {host} → {string.Join(" → ", chain)} → {next} → …"));
                }

                chain.Add(next);
                if (string.Equals(next, expected, StringComparison.Ordinal))
                {
                    return Result(CnameVerdict.Ok, null);
                }

                current = next;
            }

            DnsResponseCode code = (DnsResponseCode)response.Header.ResponseCode;
            if (code == DnsResponseCode.NotExistentDomain)
            {
                return chain.Count == 0
                    ? Result(CnameVerdict.Unresolvable, $"NXDOMAIN: {host} does not exist in DNS (server {response.NameServer}).")
                    : Result(CnameVerdict.Mismatch, $"{host} is a CNAME for {Describe(chain)}, not for {expected}; and {current} does not exist (NXDOMAIN).");
            }

            if (code != DnsResponseCode.NoError)
            {
                return Result(CnameVerdict.Unresolvable, $"{ResponseCodeName(code)} from {response.NameServer} for the CNAME of {current}{(chain.Count > 0 ? $" (reached through {host} → {string.Join(" → ", chain)})" : string.Empty)}.");
            }

            if (advanced)
            {
                // The chain may go on beyond what this answer held: ask for the CNAME of its last name.
                continue;
            }

            if (chain.Count == 0)
            {
                string addresses = await DescribeAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                return Result(CnameVerdict.Missing, $"{host} has no CNAME record{addresses}; add a CNAME record {host} → {expected}.");
            }

            return Result(CnameVerdict.Mismatch, $"{host} is a CNAME for {Describe(chain)}, not for {expected}; change the CNAME record to point at {expected}.");
        }

        CnameCheck Result(CnameVerdict verdict, string? reason) => new(host, expected, verdict, [.. chain], reason);
    }

    private static string Describe(List<string> chain) =>
        chain.Count == 1 ? chain[0] : $"{chain[0]} (chain: {string.Join(" → ", chain)})";

    // The host has no CNAME: say what it does resolve to, which shows the record to replace.
    private async Task<string> DescribeAddressesAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            IDnsQueryResponse response = await _lookup.QueryAsync(host, QueryType.A, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            string[] addresses = [.. response.Answers.ARecords().Select(a => a.Address.ToString())];
            return addresses.Length > 0 ? $" (it resolves directly to A {string.Join(", ", addresses)})" : " (the name exists, but has no A record)";
        }
        catch (Exception ex) when (ex is DnsResponseException or SocketException or OperationCanceledException or TimeoutException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return string.Empty;
        }
    }

    private string Failure(Exception ex, string name)
    {
        if (ex is DnsResponseException { Code: DnsResponseCode.ConnectionTimeout } or OperationCanceledException or TimeoutException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Timeout: no answer from {_serversText} for the CNAME of {name} within {_timeout.TotalSeconds:0.###} s ({_tries} tries).");
        }

        if (ex is DnsResponseException dns)
        {
            return $"DNS error asking {_serversText} for the CNAME of {name}: {ResponseCodeName(dns.Code)}: {dns.Message}";
        }

        return $"Network error asking {_serversText} for the CNAME of {name}: {ex.Message}";
    }

    private static string ResponseCodeName(DnsResponseCode code) => code switch
    {
        DnsResponseCode.ServerFailure => "SERVFAIL",
        DnsResponseCode.Refused => "REFUSED",
        DnsResponseCode.FormatError => "FORMERR",
        DnsResponseCode.NotImplemented => "NOTIMP",
        DnsResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsResponseCode.ConnectionTimeout => "timeout",
        _ => code.ToString(),
    };
}
