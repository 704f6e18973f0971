namespace LiveCloud;

/// <summary>Whether a domain takes pushes or serves players.</summary>
public enum DomainKind
{
    /// <summary>An ingest (push) domain.</summary>
    Push,

    /// <summary>A playback domain.</summary>
    Play,
}

/// <summary>A custom push or play domain as the vendor knows it.</summary>
/// <param name="Name">The host name, e.g. <c>play.example.com</c>.</param>
/// <param name="Kind">Push or play.</param>
/// <param name="IsEnabled">Whether the vendor serves it now.</param>
/// <param name="VendorStatus">The vendor's own status word (e.g. Aliyun <c>online</c>, Tencent <c>1</c>).</param>
/// <param name="ExpectedCname">The CNAME target the vendor assigned; <see langword="null"/> when it names none.</param>
public sealed record LiveDomain(string Name, DomainKind Kind, bool IsEnabled, string VendorStatus, string? ExpectedCname);

/// <summary>The verdict of comparing what DNS answers for a domain with the CNAME the vendor expects.</summary>
public enum CnameVerdict
{
    /// <summary>The CNAME chain reaches the expected target.</summary>
    Ok,

    /// <summary>The host resolves but has no CNAME record.</summary>
    Missing,

    /// <summary>The host has a CNAME, but its chain never reaches the expected target.</summary>
    Mismatch,

    /// <summary>DNS gave no usable answer: NXDOMAIN, SERVFAIL, a timeout or a CNAME loop.</summary>
    Unresolvable,
}

/// <summary>What DNS really answers for a host, against what the vendor expects.</summary>
/// <param name="Host">The host checked.</param>
/// <param name="Expected">The CNAME target the vendor expects.</param>
/// <param name="Verdict">Ok / Missing / Mismatch / Unresolvable.</param>
/// <param name="Chain">The CNAME chain DNS answered, in order (empty when there is none).</param>
/// <param name="Reason">Why the verdict is not <see cref="CnameVerdict.Ok"/>, in words; <see langword="null"/> when it is.</param>
public sealed record CnameCheck(string Host, string Expected, CnameVerdict Verdict, IReadOnlyList<string> Chain, string? Reason);

/// <summary>A domain's vendor status together with its DNS check.</summary>
/// <param name="Domain">The domain as the vendor reports it.</param>
/// <param name="Cname">The DNS check; <see langword="null"/> when the vendor names no expected CNAME.</param>
public sealed record DomainStatus(LiveDomain Domain, CnameCheck? Cname)
{
    /// <summary>Whether viewers can be served: enabled at the vendor and, where a CNAME is expected, DNS points there.</summary>
    public bool IsHealthy => Domain.IsEnabled && (Cname is null || Cname.Verdict == CnameVerdict.Ok);
}
