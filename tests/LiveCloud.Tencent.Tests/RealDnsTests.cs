using LiveCloud.Dns;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Tencent;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>Domain status end to end: the vendor's <c>TargetDomain</c> from the emulator, checked against a real DNS server (dnsmasq).</summary>
[Trait("Category", "RealParts")]
public sealed class RealDnsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private TencentApiEmulator _emulator = null!;
    private DnsmasqServer _dns = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RealParts.Dnsmasq);
        _emulator = await TencentApiEmulator.StartAsync(_clock);
        _emulator.AddDomain("play.example.com", 1, target: "play.example.com.tlivecdn.com");
        _emulator.AddDomain("push.example.com", 0, target: "push.example.com.tlivepush.com");
        _dns = await DnsmasqServer.StartAsync(
        [
            "local=/example.com/",
            "local=/tlivecdn.com/",
            "cname=play.example.com,play.example.com.tlivecdn.com",
            "host-record=play.example.com.tlivecdn.com,127.0.0.2",
            // push points at another CDN: the owner has not switched it yet.
            "cname=push.example.com,push.other-cdn.example.com",
            "host-record=push.other-cdn.example.com,127.0.0.3",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    private TencentStreamProvider Provider()
    {
        var dnsOptions = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2) };
        dnsOptions.NameServers.Add(_dns.NameServer);
        return TencentTestSetup.Provider(TencentTestSetup.Options(_emulator.Endpoint), _clock, new CnameVerifier(dnsOptions));
    }

    [SkippableFact]
    public async Task Cname_to_tencents_target_domain_is_ok()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("play.example.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.Cname.Chain.Should().Equal("play.example.com.tlivecdn.com");
        status.IsHealthy.Should().BeTrue();
    }

    [SkippableFact]
    public async Task Cname_to_another_cdn_is_a_mismatch_naming_it()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("push.example.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);
        status.Cname.Chain.Should().Contain("push.other-cdn.example.com");
        status.Cname.Expected.Should().Be("push.example.com.tlivepush.com");
    }
}
