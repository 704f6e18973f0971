using System.Collections.Concurrent;
using LiveCloud.Dns;

namespace LiveCloud.Testing.Fakes;

/// <summary>
/// An <see cref="ICnameVerifier"/> that answers from a table of CNAME chains (no real DNS) and records what it
/// was asked. A host with no chain is <see cref="CnameVerdict.Missing"/>; a chain that reaches the expected
/// target (anywhere along it, case-insensitively) is <see cref="CnameVerdict.Ok"/>; any other chain is
/// <see cref="CnameVerdict.Mismatch"/>.
/// </summary>
public sealed class FakeCnameVerifier : ICnameVerifier
{
    /// <summary>Host → the CNAME chain DNS would answer (case-insensitive host names).</summary>
    public Dictionary<string, string[]> Chains { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every check asked, in order.</summary>
    public ConcurrentQueue<(string Host, string Expected)> Calls { get; } = new();

    /// <inheritdoc />
    public Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Enqueue((host, expectedTarget));
        string[] chain = Chains.GetValueOrDefault(host, []);
        CnameCheck check = chain.Length == 0
            ? new CnameCheck(host, expectedTarget, CnameVerdict.Missing, chain, "no CNAME record")
            : chain.Contains(expectedTarget, StringComparer.OrdinalIgnoreCase)
                ? new CnameCheck(host, expectedTarget, CnameVerdict.Ok, chain, null)
                : new CnameCheck(host, expectedTarget, CnameVerdict.Mismatch, chain, "the chain never reaches the expected target");
        return Task.FromResult(check);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CnameCheck>> VerifyManyAsync(IEnumerable<(string Host, string Expected)> domains, CancellationToken cancellationToken = default)
    {
        var results = new List<CnameCheck>();
        foreach ((string host, string expected) in domains)
        {
            results.Add(await VerifyAsync(host, expected, cancellationToken));
        }

        return results;
    }
}
