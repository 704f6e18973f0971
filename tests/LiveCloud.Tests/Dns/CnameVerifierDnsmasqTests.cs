using System.Net;
using LiveCloud.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Dns.Tests;

/// <summary>The CNAME verifier against a real DNS server (dnsmasq), shared by the collection.</summary>
[Collection(DnsmasqTests.Name)]
[Trait("Category", "RealParts")]
public sealed class CnameVerifierDnsmasqTests
{
    private readonly DnsmasqFixture _dnsmasq;

    public CnameVerifierDnsmasqTests(DnsmasqFixture dnsmasq)
    {
        RealParts.Require(DnsmasqFixture.Tools);
        _dnsmasq = dnsmasq;
    }

    private CnameVerifier Verifier() => CnameVerifierTests.Verifier(_dnsmasq.NameServer);

    [SkippableFact]
    public async Task Direct_cname_to_the_expected_target_is_Ok()
    {
        CnameCheck check = await Verifier().VerifyAsync("direct.test", "target.test");

        check.Should().BeEquivalentTo(new CnameCheck("direct.test", "target.test", CnameVerdict.Ok, ["target.test"], null));
    }

    [SkippableFact]
    public async Task Target_deeper_in_the_chain_is_Ok_and_the_chain_is_reported()
    {
        CnameCheck check = await Verifier().VerifyAsync("alias.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Chain.Should().Equal("mid.test", "target.test");
    }

    [SkippableFact]
    public async Task A_match_in_the_middle_of_the_chain_counts()
    {
        CnameCheck check = await Verifier().VerifyAsync("alias.test", "mid.test");

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Chain.Should().Equal("mid.test");
    }

    [SkippableTheory]
    [InlineData("ALIAS.Test.", "Target.TEST.")]
    [InlineData("alias.test", "TARGET.test.")]
    [InlineData("Alias.Test.", "target.test")]
    public async Task Comparison_ignores_case_and_trailing_dot(string host, string expected)
    {
        CnameCheck check = await Verifier().VerifyAsync(host, expected);

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Host.Should().Be("alias.test");
        check.Expected.Should().Be("target.test");
    }

    [SkippableFact]
    public async Task Cname_to_something_else_is_Mismatch_naming_what_it_points_to()
    {
        CnameCheck check = await Verifier().VerifyAsync("wrong.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Mismatch);
        check.Chain.Should().Equal("elsewhere.test");
        check.Reason.Should().Contain("elsewhere.test").And.Contain("target.test");
    }

    [SkippableFact]
    public async Task Host_with_an_address_but_no_cname_is_Missing()
    {
        CnameCheck check = await Verifier().VerifyAsync("plain.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Missing);
        check.Chain.Should().BeEmpty();
        check.Reason.Should().Contain("no CNAME").And.Contain("127.0.0.4");
    }

    [SkippableFact]
    public async Task Name_that_does_not_exist_is_Unresolvable_with_NXDOMAIN()
    {
        CnameCheck check = await Verifier().VerifyAsync("nothing-here.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Chain.Should().BeEmpty();
        check.Reason.Should().Contain("NXDOMAIN");
    }

    [SkippableFact]
    public async Task Batch_of_200_returns_every_result_in_order_with_the_bad_ones_marked()
    {
        var items = Enumerable.Range(0, DnsmasqFixture.BatchSize)
            .Select(i => (Host: DnsmasqFixture.BatchName(i), Expected: "target.test"))
            .ToList();
        items[150] = ("http://b150.test/live", "target.test"); // bad input: only this item fails

        IReadOnlyList<CnameCheck> results = await Verifier().VerifyManyAsync(items);

        results.Should().HaveCount(200);
        for (int i = 0; i < results.Count; i++)
        {
            CnameCheck check = results[i];
            if (i == 150)
            {
                check.Verdict.Should().Be(CnameVerdict.Unresolvable);
                check.Reason.Should().Contain("http://b150.test/live");
            }
            else if (DnsmasqFixture.BatchMismatches.Contains(i))
            {
                check.Host.Should().Be(DnsmasqFixture.BatchName(i));
                check.Verdict.Should().Be(CnameVerdict.Mismatch);
                check.Chain.Should().Equal("elsewhere.test");
            }
            else if (DnsmasqFixture.BatchMissingNames.Contains(i))
            {
                check.Verdict.Should().Be(CnameVerdict.Unresolvable);
                check.Reason.Should().Contain("NXDOMAIN");
            }
            else
            {
                check.Host.Should().Be(DnsmasqFixture.BatchName(i));
                check.Verdict.Should().Be(CnameVerdict.Ok, $"{check.Host}: {check.Reason}");
            }
        }
    }

    [SkippableFact]
    public async Task AddLiveCloud_registers_a_singleton_verifier_bound_from_LiveCloud_Dns()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Dns:NameServers:0"] = _dnsmasq.NameServer,
            ["LiveCloud:Dns:Timeout"] = "00:00:02",
            ["LiveCloud:Dns:MaxConcurrency"] = "8",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddLiveCloud(config.GetSection("LiveCloud")).Services.BuildServiceProvider();

        ICnameVerifier verifier = services.GetRequiredService<ICnameVerifier>();

        services.GetRequiredService<ICnameVerifier>().Should().BeSameAs(verifier);
        services.GetRequiredService<IOptions<CnameVerifierOptions>>().Value.MaxConcurrency.Should().Be(8);
        (await verifier.VerifyAsync("direct.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);
    }

    [SkippableFact]
    public async Task Provider_helper_checks_the_expected_cname_and_skips_when_none_is_expected()
    {
        var provider = new DomainProvider(Verifier());

        DomainStatus ok = await provider.Check(new LiveDomain("alias.test", DomainKind.Play, true, "online", "target.test"));
        DomainStatus wrong = await provider.Check(new LiveDomain("wrong.test", DomainKind.Play, true, "online", "target.test"));
        DomainStatus none = await provider.Check(new LiveDomain("wrong.test", DomainKind.Push, true, "online", null));
        DomainStatus garbage = await provider.Check(new LiveDomain("alias.test", DomainKind.Play, true, "online", "not a host"));

        ok.Cname!.Verdict.Should().Be(CnameVerdict.Ok);
        ok.IsHealthy.Should().BeTrue();
        wrong.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch);
        wrong.IsHealthy.Should().BeFalse();
        none.Cname.Should().BeNull();
        garbage.Cname!.Verdict.Should().Be(CnameVerdict.Unresolvable);
        garbage.Cname.Reason.Should().Contain("not a host").And.Contain("Test");
    }

    private sealed class DomainProvider(ICnameVerifier verifier) : StreamProviderBase("Test", null, verifier)
    {
        public override ProviderCapabilities Capabilities { get; } = new(ProviderFeatures.Domains, [], []);

        public Task<DomainStatus> Check(LiveDomain domain) => CheckDomainStatusAsync(domain, CancellationToken.None);
    }
}
