using LiveCloud.Dns;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

/// <summary>Domain status end to end: the vendor's <c>Cname</c> from the emulator, checked against a real DNS server (dnsmasq).</summary>
[Trait("Category", "RealParts")]
public sealed class RealDnsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
    private AliyunLiveEmulator _emu = null!;
    private DnsmasqServer _dns = null!;

    public async Task InitializeAsync()
    {
        RealParts.Require(RealParts.Dnsmasq);
        _emu = await AliyunTestSetup.StartEmulatorAsync(_clock);
        _dns = await DnsmasqServer.StartAsync(
        [
            "local=/example.com/",
            "local=/alikunlun.com/",
            // play: CNAME to Aliyun's target, which the CDN chains on.
            "cname=play.example.com,play.example.com.w.alikunlun.com",
            "cname=play.example.com.w.alikunlun.com,edge.alikunlun.com",
            "host-record=edge.alikunlun.com,127.0.0.2",
            // push: still an A record at the old host, no CNAME yet.
            "host-record=push.example.com,127.0.0.3",
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }

        if (_emu is not null)
        {
            await _emu.DisposeAsync();
        }
    }

    private AliyunStreamProvider Provider()
    {
        AliyunOptions options = AliyunTestSetup.Options(_emu.BaseAddress);
        var dnsOptions = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2) };
        dnsOptions.NameServers.Add(_dns.NameServer);
        return new AliyunStreamProvider(options, AliyunTestSetup.Pipeline(options), _clock, null, new CnameVerifier(dnsOptions));
    }

    [SkippableFact]
    public async Task Cname_chain_through_the_cdn_reaches_aliyuns_target()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("play.example.com");
        status.Domain.ExpectedCname.Should().Be("play.example.com.w.alikunlun.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.IsHealthy.Should().BeTrue();
    }

    [SkippableFact]
    public async Task A_record_without_a_cname_is_missing()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("push.example.com");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Missing);
        status.Cname.Reason.Should().Contain("127.0.0.3");
        status.IsHealthy.Should().BeFalse();
    }
}
