using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveCloud.Dns.Tests;

/// <summary>The CNAME verifier against <see cref="TinyDnsServer"/>, an in-process DNS responder that can fail in every way (no dnsmasq needed).</summary>
public sealed class CnameVerifierTests
{
    internal static CnameVerifier Verifier(string server, Action<CnameVerifierOptions>? configure = null)
    {
        var options = new CnameVerifierOptions { Timeout = TimeSpan.FromSeconds(2), Retries = 1 };
        options.NameServers.Add(server);
        configure?.Invoke(options);
        return new CnameVerifier(options);
    }

    [Fact]
    public async Task Servfail_is_Unresolvable_and_says_SERVFAIL()
    {
        using var server = new TinyDnsServer();
        server.Cnames["broken.test"] = "mid.test";
        server.ServerFailures["mid.test"] = true;

        CnameCheck check = await Verifier(server.EndPoint.ToString()).VerifyAsync("broken.test", "target.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Chain.Should().Equal("mid.test");
        check.Reason.Should().Contain("SERVFAIL").And.Contain("mid.test");
    }

    [Fact]
    public async Task Cname_to_a_name_that_does_not_exist_is_Mismatch_unless_that_name_is_the_expected_one()
    {
        using var server = new TinyDnsServer();
        server.Cnames["dangling.test"] = "gone.test";
        CnameVerifier verifier = Verifier(server.EndPoint.ToString());

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

        CnameCheck check = await Verifier(server.EndPoint.ToString()).VerifyAsync("loop1.test", "target.test");

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

        CnameCheck check = await Verifier(server.EndPoint.ToString(), o => o.UseCache = false).VerifyAsync("a.test", "cdn.test");

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

        CnameCheck check = await Verifier(server.EndPoint.ToString(), o => o.MaxChainDepth = 10).VerifyAsync("n0.test", "n15.test");

        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().Contain("longer than 10");
        check.Chain.Should().HaveCount(10);
    }

    [Fact]
    public async Task Server_that_never_answers_is_Unresolvable_with_a_timeout_reason_without_hanging()
    {
        using var server = new TinyDnsServer { Silent = true };
        CnameVerifier verifier = Verifier(server.EndPoint.ToString(), o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.Retries = 1; });

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

        CnameVerifier verifier = Verifier($"127.0.0.1:{port}", o => { o.Timeout = TimeSpan.FromMilliseconds(300); o.Retries = 1; });

        var watch = Stopwatch.StartNew();
        CnameCheck check = await verifier.VerifyAsync("direct.test", "target.test");

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30));
        check.Verdict.Should().Be(CnameVerdict.Unresolvable);
        check.Reason.Should().StartWith("Timeout").And.Contain($"127.0.0.1:{port}");
    }

    [Fact]
    public async Task Batch_never_runs_more_than_MaxConcurrency_checks_at_once()
    {
        using var server = new TinyDnsServer { ReplyDelay = TimeSpan.FromMilliseconds(100) };
        for (int i = 0; i < 24; i++)
        {
            server.Cnames[$"c{i}.test"] = "target.test";
        }

        CnameVerifier verifier = Verifier(server.EndPoint.ToString(), o => { o.MaxConcurrency = 4; o.UseCache = false; });
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
        CnameVerifier verifier = Verifier(server.EndPoint.ToString());

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

        Func<Task> act = () => Verifier(server.EndPoint.ToString()).VerifyAsync("direct.test", "target.test", cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        server.Queries.Should().Be(0);
    }

    [Fact]
    public async Task Cancellation_during_a_slow_query_throws_rather_than_returning_a_verdict()
    {
        using var server = new TinyDnsServer { ReplyDelay = TimeSpan.FromSeconds(20) };
        server.Cnames["slow.test"] = "target.test";
        CnameVerifier verifier = Verifier(server.EndPoint.ToString(), o => o.Timeout = TimeSpan.FromSeconds(30));
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
        CnameVerifier verifier = Verifier(server.EndPoint.ToString(), o => o.UseCache = useCache);

        (await verifier.VerifyAsync("cached.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);
        (await verifier.VerifyAsync("cached.test", "target.test")).Verdict.Should().Be(CnameVerdict.Ok);

        server.Queries.Should().Be(expectedQueries);
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
}
