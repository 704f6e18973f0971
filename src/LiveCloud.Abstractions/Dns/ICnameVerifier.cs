namespace LiveCloud.Dns;

/// <summary>
/// Checks that a custom push or play domain really points, through DNS, at the CNAME target its vendor
/// assigned. One implementation (<c>LiveCloud.Dns.CnameVerifier</c> in the LiveCloud package) serves every provider.
/// </summary>
public interface ICnameVerifier
{
    /// <summary>
    /// Follows the CNAME chain of <paramref name="host"/> and compares it with <paramref name="expectedTarget"/>
    /// (case- and trailing-dot-insensitive; a match anywhere in the chain counts).
    /// </summary>
    /// <param name="host">The domain to check, e.g. <c>play.example.com</c>.</param>
    /// <param name="expectedTarget">The CNAME target the vendor assigned, e.g. <c>play.example.com.livecdn.example</c>.</param>
    /// <param name="cancellationToken">Cancels the check; cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>
    /// The check. DNS failures (NXDOMAIN, SERVFAIL, timeouts, loops) are results with
    /// <see cref="CnameVerdict.Unresolvable"/> and a reason, never exceptions.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="host"/> or <paramref name="expectedTarget"/> is empty or not a DNS host name (a URL,
    /// a label over 63 characters, a name over 253); thrown before any network call.
    /// </exception>
    Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks many domains concurrently (at most the implementation's limit at a time; <c>CnameVerifierOptions.MaxConcurrency</c>).
    /// One bad domain never fails the batch: a DNS failure and also bad input for one item (an empty or
    /// illegal host or target) become that item's <see cref="CnameVerdict.Unresolvable"/> result, with the
    /// reason.
    /// </summary>
    /// <param name="domains">The hosts and the CNAME target each is expected to point at.</param>
    /// <param name="cancellationToken">Cancels the whole batch; cancellation throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>One result per item, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domains"/> is <see langword="null"/>.</exception>
    Task<IReadOnlyList<CnameCheck>> VerifyManyAsync(IEnumerable<(string Host, string Expected)> domains, CancellationToken cancellationToken = default);
}
