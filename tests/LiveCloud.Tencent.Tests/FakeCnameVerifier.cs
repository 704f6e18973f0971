using System.Collections.Concurrent;
using LiveCloud.Dns;

namespace LiveCloud.Tencent.Tests;

/// <summary>An <see cref="ICnameVerifier"/> that answers from a table and records what it was asked (no real DNS in tests).</summary>
internal sealed class FakeCnameVerifier : ICnameVerifier
{
    public ConcurrentQueue<(string Host, string Expected)> Calls { get; } = new();

    public Dictionary<string, IReadOnlyList<string>> Chains { get; } = [];

    public Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Calls.Enqueue((host, expectedTarget));
        IReadOnlyList<string> chain = Chains.TryGetValue(host, out IReadOnlyList<string>? c) ? c : [];
        CnameCheck check = chain.Count == 0
            ? new CnameCheck(host, expectedTarget, CnameVerdict.Missing, chain, "no CNAME record")
            : chain.Contains(expectedTarget)
                ? new CnameCheck(host, expectedTarget, CnameVerdict.Ok, chain, null)
                : new CnameCheck(host, expectedTarget, CnameVerdict.Mismatch, chain, "the chain never reaches the expected target");
        return Task.FromResult(check);
    }

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
