using LiveCloud.Dns;

namespace LiveCloud.Aliyun.Tests;

/// <summary>Answers CNAME checks from a table of chains, recording what it was asked.</summary>
public sealed class FakeCnameVerifier : ICnameVerifier
{
    public Dictionary<string, string[]> Chains { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<(string Host, string Expected)> Asked { get; } = [];

    public Task<CnameCheck> VerifyAsync(string host, string expectedTarget, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Asked.Add((host, expectedTarget));
        string[] chain = Chains.GetValueOrDefault(host, []);
        CnameVerdict verdict = chain.Length == 0 ? CnameVerdict.Missing
            : chain.Contains(expectedTarget, StringComparer.OrdinalIgnoreCase) ? CnameVerdict.Ok
            : CnameVerdict.Mismatch;
        return Task.FromResult(new CnameCheck(host, expectedTarget, verdict, chain, verdict == CnameVerdict.Ok ? null : verdict.ToString()));
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
