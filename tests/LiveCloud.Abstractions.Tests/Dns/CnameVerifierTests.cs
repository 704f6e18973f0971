using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Dns.Tests;

[Collection(DnsmasqTests.Name)]
public sealed class CnameVerifierTests(DnsmasqFixture dnsmasq)
{
    private CnameVerifier Verifier(Action<CnameVerifierOptions>? configure = null, string? server = null)
    {
        var options = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };
        options.NameServers.Add(server ?? dnsmasq.NameServer);
        configure?.Invoke(options);
        return new CnameVerifier(options);
    }

    [Fact]
    public async Task Direct_cname_to_the_expected_target_is_Ok()
    {
        CnameCheck check = await Verifier().VerifyAsync("direct.test", "target.test");

        check.Should().BeEquivalentTo(new CnameCheck("direct.test", "target.test", CnameVerdict.Ok, ["target.test"], null));
    }

    [Fact]
    public async Task Target_deeper_in_the_chain_is_Ok_and_the_chain_is_reported()
    {
        CnameCheck check = await Verifier().VerifyAsync("alias.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Chain.Should().Equal("mid.test", "target.test");
    }

    [Fact]
    public async Task A_match_in_the_middle_of_the_chain_counts()
    {
        CnameCheck check = await Verifier().VerifyAsync("alias.test", "mid.test");

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Chain.Should().Equal("mid.test");
    }

    [Theory]
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

    [Fact]
    public async Task Cname_to_something_else_is_Mismatch_naming_what_it_points_to()
    {
        CnameCheck check = await Verifier().VerifyAsync("wrong.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Mismatch);
        check.Chain.Should().Equal("elsewhere.test");
        check.Reason.Should().Contain("elsewhere.test").And.Contain("target.test");
    }

    [Fact]
    public async Task Host_with_an_address_but_no_cname_is_Missing()
    {
        CnameCheck check = await Verifier().VerifyAsync("plain.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Missing);
        check.Chain.Should().BeEmpty();
        check.Reason.Should().Contain("no CNAME").And.Contain("127.0.0.4");
    }

    [Fact]
    public async Task Name_that_does_not_exist_is_Unresolvable_with_NXDOMAIN()
    {
        CnameCheck check = await Verifier().VerifyAsync("nothing-here.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Chain.Should().BeEmpty();
        check.Reason.Should().Contain("NXDOMAIN");
    }

    [Fact]
    public async Task Servfail_is_Unresolvable_and_says_SERVFAIL()
    {
        using var server = new TinyDnsServer();
        server.Cnames["broken.test"] = "mid.test";
        server.ServerFailures["mid.test"] = true;

        CnameCheck check = await Verifier(server: server.EndPoint.ToString()).VerifyAsync("broken.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Chain.Should().Equal("mid.test");
        check.Reason.Should().Contain("SERVFAIL").And.Contain("mid.test");
    }

    [Fact]
    public async Task Cname_to_a_name_that_does_not_exist_is_Mismatch_unless_that_name_is_the_expected_one()
    {
        using var server = new TinyDnsServer();
        server.Cnames["dangling.test"] = "gone.test";
        CnameVerifier verifier = Verifier(server: server.EndPoint.ToString());

        CnameCheck wrong = await verifier.VerifyAsync("dangling.test", "target.test");
        CnameCheck right = await verifier.VerifyAsync("dangling.test", "gone.test");

        wrong.Verdict.Should().Be(CnameVerdict.Mismatch);
        wrong.Chain.Should().Equal("gone.test");
        wrong.Reason.Should().Contain("gone.test does not exist (NXDOMAIN)");
        right.Verdict.Should().Be(CnameVerdict.Ok, right.Reason);
    }

    // dnsmasq refuses to load a looping --cname configuration ("CNAME loop involving ..."), so the loop
    // comes from TinyDnsServer, a real UDP DNS responder; both answer styles are covered.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cname_loop_is_Unresolvable_and_named(bool wholeChain)
    {
        using var server = new TinyDnsServer { WholeChain = wholeChain };
        server.Cnames["loop1.test"] = "loop2.test";
        server.Cnames["loop2.test"] = "loop3.test";
        server.Cnames["loop3.test"] = "loop1.test";

        CnameCheck check = await Verifier(server: server.EndPoint.ToString()).VerifyAsync("loop1.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().StartWith("CNAME loop").And.Contain("loop1.test → loop2.test → loop3.test → loop1.test");
    }

    [Fact]
    public async Task Whole_chain_in_one_answer_is_followed_without_asking_per_link()
    {
        using var server = new TinyDnsServer { WholeChain = true };
        server.Cnames["a.test"] = "b.test";
        server.Cnames["b.test"] = "c.test";
        server.Cnames["c.test"] = "cdn.test";
        server.Addresses["cdn.test"] = IPAddress.Parse("127.0.0.9");

        CnameCheck check = await Verifier(o => o.UseCache = false, server.EndPoint.ToString()).VerifyAsync("a.test", "cdn.test");

        check.Verdict.Should().Be(CnameVerdict.Ok, check.Reason);
        check.Chain.Should().Equal("b.test", "c.test", "cdn.test");
        server.Queries.Should().Be(1);
    }

    [Fact]
    public async Task Chain_longer_than_MaxChainDepth_is_Unresolvable()
    {
        using var server = new TinyDnsServer();
        for (int i = 0; i < 15; i++)
        {
            server.Cnames[$"n{i}.test"] = $"n{i + 1}.test";
        }

        CnameCheck check = await Verifier(o => o.MaxChainDepth = 10, server.EndPoint.ToString()).VerifyAsync("n0.test", "n15.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().Contain("longer than 10");
        check.Chain.Should().HaveCount(10);
    }

    [Fact]
    public async Task Server_that_never_answers_is_Unresolvable_with_a_timeout_reason_without_hanging()
    {
        using var server = new TinyDnsServer { Silent = true };
        CnameVerifier verifier = Verifier(o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.Retries = 1; }, server.EndPoint.ToString());

        var watch = Stopwatch.StartNew();
        CnameCheck check = await verifier.VerifyAsync("direct.test", "target.test");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().StartWith("Timeout").And.Contain(server.EndPoint.ToString());
        server.Queries.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Port_where_nothing_listens_is_Unresolvable_without_hanging()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        CnameVerifier verifier = Verifier(o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.Retries = 1; }, $"127.0.0.1:{port}");

        var watch = Stopwatch.StartNew();
        CnameCheck check = await verifier.VerifyAsync("direct.test", "target.test");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().StartWith("Timeout").And.Contain($"127.0.0.1:{port}");
    }

    [Fact]
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

    [Fact]
    public async Task Batch_never_runs_more_than_MaxConcurrency_checks_at_once()
    {
        using var server = new TinyDnsServer { ReplyDelay = TimeSpan.FromMilliseconds(100) };
        for (int i = 0; i < 24; i++)
        {
            server.Cnames[$"c{i}.test"] = "target.test";
        }

        CnameVerifier verifier = Verifier(o => { o.MaxConcurrency = 4; o.UseCache = false; }, server.EndPoint.ToString());
        IReadOnlyList<CnameCheck> results = await verifier.VerifyManyAsync(Enumerable.Range(0, 24).Select(i => ($"c{i}.test", "target.test")));

        results.Should().OnlyContain(r => r.Verdict == CnameVerdict.Ok);
        server.MaxInFlight.Should().BeInRange(2, 4);
    }

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        { "", "target.test", "host", "empty" },
        { "   ", "target.test", "host", "empty" },
        { "https://play.example.com/live", "target.test", "host", "https://play.example.com/live" },
        { "play.example.com:1935", "target.test", "host", "play.example.com:1935" },
        { new string('a', 64) + ".example.com", "target.test", "host", new string('a', 64) },
        { string.Join('.', Enumerable.Repeat(new string('a', 60), 5)), "target.test", "host", "253" },
        { "play.example.com", "", "expectedTarget", "empty" },
        { "play.example.com", "rtmp://cdn.example.com", "expectedTarget", "rtmp://cdn.example.com" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_throws_ArgumentException_naming_parameter_and_value_before_any_query(string host, string expected, string parameter, string mentioned)
    {
        using var server = new TinyDnsServer();
        CnameVerifier verifier = Verifier(server: server.EndPoint.ToString());

        Func<Task> act = () => verifier.VerifyAsync(host, expected);

        (await act.Should().ThrowAsync<ArgumentException>())
            .Where(e => e.ParamName == parameter && e.Message.Contains(mentioned, StringComparison.Ordinal));
        server.Queries.Should().Be(0);
    }

    [Fact]
    public async Task Cancelled_token_throws_before_asking()
    {
        using var server = new TinyDnsServer();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        Func<Task> act = () => Verifier(server: server.EndPoint.ToString()).VerifyAsync("direct.test", "target.test", cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        server.Queries.Should().Be(0);
    }

    [Fact]
    public async Task Cancellation_during_a_slow_query_throws_rather_than_returning_a_verdict()
    {
        using var server = new TinyDnsServer { ReplyDelay = TimeSpan.FromSeconds(20) };
        server.Cnames["slow.test"] = "target.test";
        CnameVerifier verifier = Verifier(o => o.Timeout = TimeSpan.FromSeconds(30), server.EndPoint.ToString());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        Func<Task> single = () => verifier.VerifyAsync("slow.test", "target.test", cts.Token);
        await single.Should().ThrowAsync<OperationCanceledException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));

        using var cts2 = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Func<Task> batch = () => verifier.VerifyManyAsync([("slow.test", "target.test"), ("slow.test", "target.test")], cts2.Token);
        await batch.Should().ThrowAsync<OperationCanceledException>();
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public async Task Answers_are_cached_for_their_TTL_only_when_the_cache_is_on(bool useCache, int expectedQueries)
    {
        using var server = new TinyDnsServer { Ttl = 300 };
        server.Cnames["cached.test"] = "target.test";
        CnameVerifier verifier = Verifier(o => o.UseCache = useCache, server.EndPoint.ToString());

        (await verifier.VerifyAsync("cached.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);
        (await verifier.VerifyAsync("cached.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);

        server.Queries.Should().Be(expectedQueries);
    }

    [Fact]
    public async Task AddLiveCloud_registers_a_singleton_verifier_bound_from_LiveCloud_Dns()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Dns:NameServers:0"] = dnsmasq.NameServer,
            ["LiveCloud:Dns:Timeout"] = "00:00:02",
            ["LiveCloud:Dns:MaxConcurrency"] = "8",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddLiveCloud(config.GetSection("LiveCloud")).Services.BuildServiceProvider();

        ICnameVerifier verifier = services.GetRequiredService<ICnameVerifier>();

        services.GetRequiredService<ICnameVerifier>().Should().BeSameAs(verifier);
        services.GetRequiredService<IOptions<CnameVerifierOptions>>().Value.MaxConcurrency.Should().Be(8);
        (await verifier.VerifyAsync("direct.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);
    }

    [Fact]
    public void Bad_Dns_configuration_fails_naming_the_key()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Dns:NameServers:0"] = "not-an-ip",
            ["LiveCloud:Dns:MaxConcurrency"] = "0",
        }).Build();
        using ServiceProvider services = new ServiceCollection().AddLiveCloud(config.GetSection("LiveCloud")).Services.BuildServiceProvider();

        Action act = () => services.GetRequiredService<IOptions<CnameVerifierOptions>>().Value.ToString();

        act.Should().Throw<OptionsValidationException>()
            .Where(e => e.Message.Contains("LiveCloud:Dns:NameServers:0 is 'not-an-ip'", StringComparison.Ordinal)
                && e.Message.Contains("LiveCloud:Dns:MaxConcurrency", StringComparison.Ordinal));
    }

    [Fact]
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
