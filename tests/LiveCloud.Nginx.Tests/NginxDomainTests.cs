using LiveCloud.Dns;

namespace LiveCloud.Nginx.Tests;

/// <summary>The configured public host names, checked against a real DNS server (dnsmasq) through the shared verifier.</summary>
[Trait("Category", "RealParts")]
public sealed class NginxDomainTests : IAsyncLifetime
{
    private DnsmasqServer _dns = null!;

    public async Task InitializeAsync() => _dns = await DnsmasqServer.StartAsync(
    [
        "local=/test/",
        "host-record=edge.cdn.test,127.0.0.2",
        "cname=play.live.test,edge.cdn.test",
        "host-record=other.test,127.0.0.3",
        "cname=push.live.test,other.test",
    ]);

    public async Task DisposeAsync()
    {
        if (_dns is not null)
        {
            await _dns.DisposeAsync();
        }
    }

    private NginxStreamProvider Provider()
    {
        NginxOptions options = TestOptions.Create();
        options.Domains.Add(new NginxDomainOptions { Name = "play.live.test", Kind = DomainKind.Play, ExpectedCname = "edge.cdn.test" });
        options.Domains.Add(new NginxDomainOptions { Name = "push.live.test", Kind = DomainKind.Push, ExpectedCname = "edge.cdn.test" });
        options.Domains.Add(new NginxDomainOptions { Name = "bare.live.test", Kind = DomainKind.Play });
        var dnsOptions = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2) };
        dnsOptions.NameServers.Add(_dns.NameServer);
        var verifier = new CnameVerifier(dnsOptions);
        return TestOptions.Provider(options, dns: verifier);
    }

    [SkippableFact]
    public async Task Domain_pointing_at_the_expected_target_is_healthy()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("PLAY.live.test.");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        status.Cname.Chain.Should().Equal("edge.cdn.test");
        status.IsHealthy.Should().BeTrue();
    }

    [SkippableFact]
    public async Task Domain_pointing_elsewhere_is_a_mismatch_saying_where()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("push.live.test");
        status.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);
        status.Cname.Chain.Should().Contain("other.test");
        status.IsHealthy.Should().BeFalse();
    }

    [SkippableFact]
    public async Task Domain_without_an_expected_cname_is_not_looked_up()
    {
        DomainStatus status = await Provider().GetDomainStatusAsync("bare.live.test");
        status.Cname.Should().BeNull();
        status.Domain.Kind.Should().Be(DomainKind.Play);
    }

    [SkippableFact]
    public async Task Unconfigured_domain_is_not_found_naming_the_configured_ones()
    {
        Func<Task> call = () => Provider().GetDomainStatusAsync("nope.live.test");
        (await call.Should().ThrowAsync<LiveCloudNotFoundException>()).Which.Message.Should().Contain("play.live.test");
    }
}
