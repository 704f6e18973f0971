using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Nginx.Tests;

/// <summary>The provider's own rules, without a server: signing, hooks, options, cost, config.</summary>
public sealed class NginxProviderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly StreamId Demo = new("live", "demo");
    private readonly FakeTimeProvider _clock = new(Now);

    private NginxStreamProvider NewProvider(Action<NginxOptions>? configure = null) => TestOptions.Provider(TestOptions.Create(configure), _clock);

    private static string Sig(string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestOptions.Key), Encoding.ASCII.GetBytes(data)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string HookToken => Sig("livecloud-nginx-hook");

    [Fact]
    public void Push_url_follows_the_documented_rule()
    {
        DateTimeOffset expires = Now.AddHours(1);
        long e = expires.ToUnixTimeSeconds();
        PushUrl url = NewProvider().CreatePushUrl(Demo, expires);
        url.Url.Should().Be($"rtmp://127.0.0.1:1935/live/demo?e={e}&sig={Sig($"publish:/live/demo?e={e}")}");
        url.Server.Should().Be("rtmp://127.0.0.1:1935/live/");
        url.StreamKey.Should().Be($"demo?e={e}&sig={Sig($"publish:/live/demo?e={e}")}");
    }

    [Fact]
    public void Play_urls_follow_the_documented_rules_and_have_no_http_flv()
    {
        DateTimeOffset expires = Now.AddHours(1);
        long e = expires.ToUnixTimeSeconds();
        NginxStreamProvider provider = NewProvider(o => { o.PublicHost = "live.example.com"; o.HttpPort = 8081; });
        PlayUrlSet set = provider.CreatePlayUrls(Demo, expires);
        set[StreamProtocol.Rtmp].Should().Be($"rtmp://live.example.com:1935/live/demo?e={e}&sig={Sig($"play:/live/demo?e={e}")}");
        set[StreamProtocol.Hls].Should().Be($"http://live.example.com:8081/hls/{Sig($"hls:/live/demo?e={e}")}/{e}/demo.m3u8");
        provider.Capabilities.CanPlay(StreamProtocol.HttpFlv).Should().BeFalse("stock nginx-rtmp has no live HTTP-FLV");
        Action flv = () => provider.CreatePlayUrls(Demo, expires, new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv] });
        flv.Should().Throw<NotSupportedException>().WithMessage("*Nginx*HttpFlv*");
    }

    [Fact]
    public void Push_url_allocates_only_its_string()
    {
        NginxStreamProvider provider = NewProvider();
        DateTimeOffset expires = Now.AddHours(1);
        string first = provider.CreatePushUrl(Demo, expires).Url;
        long before = GC.GetAllocatedBytesForCurrentThread();
        PushUrl url = provider.CreatePushUrl(Demo, expires);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        url.Url.Should().Be(first);
        allocated.Should().BeLessThanOrEqualTo(24 + (2 * first.Length) + 8, "one string and nothing else");
    }

    [Fact]
    public void Two_providers_with_different_keys_interleaved_on_one_thread_each_sign_with_their_own()
    {
        // The signer keeps one keyed HMAC per thread; switching keys must rebuild it, never reuse the other key.
        DateTimeOffset expires = Now.AddHours(1);
        long e = expires.ToUnixTimeSeconds();
        const string OtherKey = "another-signing-key-0123456789abcdef";
        NginxStreamProvider first = NewProvider();
        NginxStreamProvider second = NewProvider(o => o.SigningKey = OtherKey);
        string otherSig = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(OtherKey), Encoding.ASCII.GetBytes($"publish:/live/demo?e={e}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        for (int i = 0; i < 3; i++)
        {
            first.CreatePushUrl(Demo, expires).Url.Should().EndWith($"&sig={Sig($"publish:/live/demo?e={e}")}");
            second.CreatePushUrl(Demo, expires).Url.Should().EndWith($"&sig={otherSig}");
        }
    }

    [Fact]
    public void Other_applications_are_refused_naming_the_parameter()
    {
        Action push = () => NewProvider().CreatePushUrl(new StreamId("other", "demo"), Now.AddHours(1));
        push.Should().Throw<ArgumentException>().Where(e => e.ParamName == "stream" && e.Message.Contains("other"));
    }

    private static CallbackRequest Hook(string body, bool token = true) => new()
    {
        ContentType = "application/x-www-form-urlencoded",
        Query = token ? new Dictionary<string, string> { ["lc_hook"] = HookToken } : new Dictionary<string, string>(),
        Body = body,
    };

    private static string SignedPublishBody(string call = "publish", string purpose = "publish", string name = "demo", long? e = null)
    {
        long expiry = e ?? Now.AddMinutes(5).ToUnixTimeSeconds();
        return $"app=live&flashver=FMLE%2F3.0&tcurl=rtmp%3A%2F%2F127.0.0.1%3A1935%2Flive&addr=10.0.0.7&clientid=42&call={call}&name={name}&type=live&e={expiry}&sig={Sig($"{purpose}:/live/{name}?e={expiry}")}";
    }

    [Fact]
    public async Task Signed_publish_hook_parses_with_a_stable_event_id()
    {
        NginxStreamProvider provider = NewProvider();
        StreamEvent ev = await provider.ParseCallbackAsync(Hook(SignedPublishBody()));
        ev.Kind.Should().Be(StreamEventKind.Published);
        ev.Stream.Should().Be(Demo);
        ev.ClientAddress.Should().Be("10.0.0.7");
        ev.OccurredAt.Should().Be(Now);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await provider.ParseCallbackAsync(Hook(SignedPublishBody()))).EventId.Should().Be(ev.EventId, "a redelivered hook is the same event");

        StreamEvent done = await provider.ParseCallbackAsync(Hook(SignedPublishBody(call: "publish_done")));
        done.Kind.Should().Be(StreamEventKind.Unpublished);
        done.EventId.Should().NotBe(ev.EventId);
        (await provider.ParseCallbackAsync(Hook(SignedPublishBody(call: "play", purpose: "play")))).Kind.Should().Be(StreamEventKind.PlayRequested);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("no-token")]
    [InlineData("play-signature-used-to-publish")]
    [InlineData("other-stream")]
    [InlineData("other-app")]
    [InlineData("forbidden")]
    [InlineData("url-arg-overrides-call")]
    [InlineData("url-arg-overrides-name")]
    public async Task Bad_hooks_are_refused(string why)
    {
        NginxStreamProvider provider = NewProvider();
        CallbackRequest request = why switch
        {
            "forged" => Hook(SignedPublishBody().Replace("&sig=", "&sig=x", StringComparison.Ordinal)[..^1]),
            "expired" => Hook(SignedPublishBody(e: Now.AddSeconds(-1).ToUnixTimeSeconds())),
            "no-token" => Hook(SignedPublishBody(), token: false),
            "play-signature-used-to-publish" => Hook(SignedPublishBody(purpose: "play")),
            "other-stream" => Hook(SignedPublishBody().Replace("name=demo", "name=demo2", StringComparison.Ordinal)),
            "other-app" => Hook(SignedPublishBody().Replace("app=live", "app=vod", StringComparison.Ordinal)),
            // nginx appends the push URL's own query arguments after its fields: they must not override them.
            "url-arg-overrides-call" => Hook("app=live&addr=1.2.3.4&clientid=9&call=publish&name=demo&type=live&call=publish_done"),
            "url-arg-overrides-name" => Hook(SignedPublishBody(name: "demo").Replace("name=demo", "name=victim", StringComparison.Ordinal) + "&name=demo"),
            _ => Hook(SignedPublishBody()),
        };
        if (why == "forbidden")
        {
            await provider.ForbidStreamAsync(Demo).ContinueWith(_ => { }); // the drop fails without nginx; the block holds
            (await provider.GetStreamStateAsync(Demo)).Status.Should().Be(StreamStatus.Forbidden);
        }

        Func<Task> parse = async () => await provider.ParseCallbackAsync(request);
        (await parse.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().NotContain(TestOptions.Key);
    }

    [Fact]
    public async Task Forbid_until_expires_by_the_clock()
    {
        NginxStreamProvider provider = NewProvider();
        await provider.ForbidStreamAsync(Demo, Now.AddMinutes(1)).ContinueWith(_ => { });
        Func<Task> parse = async () => await provider.ParseCallbackAsync(Hook(SignedPublishBody(e: Now.AddHours(1).ToUnixTimeSeconds())));
        await parse.Should().ThrowAsync<CallbackVerificationException>().WithMessage("*forbidden until*");
        _clock.Advance(TimeSpan.FromMinutes(2));
        (await provider.ParseCallbackAsync(Hook(SignedPublishBody(e: Now.AddHours(1).ToUnixTimeSeconds())))).Kind.Should().Be(StreamEventKind.Published);
    }

    [Fact]
    public async Task Record_done_outside_the_recordings_folder_is_refused()
    {
        NginxStreamProvider provider = NewProvider();
        string body = SignedPublishBody(call: "record_done") + "&recorder=rec1&path=%2Fetc%2Fpasswd";
        Func<Task> parse = async () => await provider.ParseCallbackAsync(Hook(body));
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public void Options_validation_names_every_bad_key()
    {
        var options = new NginxOptions { SigningKey = "short", RtmpPort = 0, HttpPort = 70000, AppName = "bad/app", PublicHost = "http://x" };
        options.Domains.Add(new NginxDomainOptions { Name = "not a host" });
        options.Pricing.NicMbps = 0;
        var failures = new List<string>();
        options.Validate("LiveCloud:Nginx", failures);
        failures.Should().Contain("LiveCloud:Nginx:SigningKey is required (at least 16 characters).");
        string all = string.Join("\n", failures);
        foreach (string key in new[] { "RtmpPort", "HttpPort", "AppName", "PublicHost", "HookBaseUrl", "Domains:0:Name", "Pricing:NicMbps" })
        {
            all.Should().Contain("LiveCloud:Nginx:" + key);
        }

        Action create = () => _ = new NginxStreamProvider(options, TestOptions.Pipeline(new Uri("http://127.0.0.1/")));
        create.Should().Throw<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Nginx:SigningKey*");
    }

    [Fact]
    public void Signing_key_never_shows()
    {
        NginxOptions options = TestOptions.Create();
        options.ToString().Should().NotContain(TestOptions.Key).And.Contain("SigningKey = ***");
        NewProvider().ToString().Should().NotContain(TestOptions.Key);
        var signer = new NginxUrlSigner(TestOptions.Key);
        string config = NginxConfig.Render(options, signer, "/tmp/x", runWorkersAsRoot: false);
        config.Should().NotContain(TestOptions.Key, "nginx.conf holds only the derived hook token");
        config.Should().Contain("daemon off;").And.Contain("master_process on;").And.Contain("pid \"/tmp/x/nginx.pid\"").And.Contain("lc_hook=" + HookToken);
        config.Should().Contain("recorder rec1").And.Contain("rtmp_stat all").And.Contain("rtmp_control all").And.Contain("auth_request");
    }

    [Fact]
    public void Cost_estimate_is_servers_plus_egress()
    {
        NginxStreamProvider provider = NewProvider(o => { o.Pricing.ServerMonthlyCost = 200; o.Pricing.EgressPricePerGb = 0.5m; o.Pricing.NicMbps = 100; });
        // 1.5 Mbit/s per viewer, 80 of each server's 100 Mbit/s usable → 53 viewers a server → 2 servers for 100;
        // 2 h → 100 × 1500e3/8 B/s × 7200 s = 135 GB of egress.
        CostEstimate estimate = provider.EstimateCost(new UsageProfile { PeakViewers = 100, BitrateKbps = 1500, HoursPerDay = 2 });
        estimate.BillingMode.Should().Be("self-hosted-traffic");
        estimate.LineItems.Should().HaveCount(2);
        estimate.LineItems[0].Quantity.Should().Be(2);
        estimate.LineItems[0].Total.Should().Be(400m);
        estimate.LineItems[1].Quantity.Should().Be(135m);
        estimate.LineItems[1].Total.Should().Be(67.5m);
        estimate.Total.Should().Be(467.5m);
        estimate.TotalsByBillingMode.Should().Equal(new Dictionary<string, decimal> { ["self-hosted-traffic"] = 467.5m });
    }

    [Fact]
    public async Task Domains_are_the_configured_ones()
    {
        // Their DNS checks run against a real dnsmasq in NginxDomainTests.
        NginxStreamProvider provider = NewProvider(o => o.Domains.Add(new NginxDomainOptions { Name = "Live.Example.com", ExpectedCname = "edge.example.net" }));
        LiveDomain domain = (await provider.ListDomainsAsync().ToListAsync()).Should().ContainSingle().Subject;
        domain.Name.Should().Be("live.example.com");
        domain.ExpectedCname.Should().Be("edge.example.net");
        Func<Task> unknown = () => provider.GetDomainStatusAsync("other.example.com");
        await unknown.Should().ThrowAsync<LiveCloudNotFoundException>();
    }

    [Fact]
    public void Stat_xml_maps_to_stream_states()
    {
        const string xml = """
            <rtmp><server><application><name>live</name><live>
            <stream><name>demo</name><time>3471</time><bw_in>812000</bw_in><nclients>3</nclients><publishing/><active/></stream>
            <stream><name>idle</name><time>10</time><bw_in>0</bw_in><nclients>1</nclients></stream>
            </live></application><application><name>other</name><live><stream><name>x</name><publishing/></stream></live></application></server></rtmp>
            """;
        StreamState state = NginxApiClient.ParseStat(xml, "live", Now).Should().ContainSingle().Subject;
        state.Should().Be(new StreamState(Demo, StreamStatus.Active, Now.AddMilliseconds(-3471), 812, 2));
    }

    [Fact]
    public async Task Missing_nginx_or_module_fails_naming_the_apt_packages()
    {
        await using var noNginx = new NginxRtmpServer(TestOptions.Create(o => o.NginxPath = "/nonexistent/nginx"));
        Func<Task> start = () => noNginx.StartAsync();
        await start.Should().ThrowAsync<LiveCloudConfigurationException>().WithMessage("*apt-get install nginx-light libnginx-mod-rtmp*");

        // Any existing file will do for nginx: the module is checked before anything is run, so no nginx is needed here.
        await using var noModule = new NginxRtmpServer(TestOptions.Create(o => { o.NginxPath = Environment.ProcessPath!; o.ModulePath = "/nonexistent/ngx_rtmp_module.so"; }));
        start = () => noModule.StartAsync();
        await start.Should().ThrowAsync<LiveCloudConfigurationException>().WithMessage("*LiveCloud:Nginx:ModulePath*apt-get install nginx-light libnginx-mod-rtmp*");
    }

    [Fact]
    public async Task A_second_nginx_section_names_its_own_keys_and_provider_in_start_up_errors()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Nginx",
            ["LiveCloud:Nginx:SigningKey"] = TestOptions.Key,
            ["LiveCloud:Nginx:HookBaseUrl"] = "http://127.0.0.1:5000/hook",
            ["LiveCloud:NginxB:Type"] = "Nginx",
            ["LiveCloud:NginxB:SigningKey"] = TestOptions.Key,
            ["LiveCloud:NginxB:HookBaseUrl"] = "http://127.0.0.1:5000/hookb",
            ["LiveCloud:NginxB:NginxPath"] = Environment.ProcessPath!, // any existing file: the module is checked first
            ["LiveCloud:NginxB:ModulePath"] = "/nonexistent/ngx_rtmp_module.so",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddNginx();
        await using ServiceProvider sp = services.BuildServiceProvider();
        NginxRtmpServer second = sp.GetRequiredKeyedService<NginxRtmpServer>("NginxB");

        Func<Task> start = () => second.StartAsync();
        (await start.Should().ThrowAsync<LiveCloudConfigurationException>().WithMessage("*LiveCloud:NginxB:ModulePath*"))
            .Which.Provider.Should().Be("NginxB");
    }

    [Fact]
    public void AddNginx_registers_a_validated_keyed_provider()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Nginx",
            ["LiveCloud:Nginx:SigningKey"] = TestOptions.Key,
            ["LiveCloud:Nginx:HookBaseUrl"] = "http://127.0.0.1:5000/hook",
            ["LiveCloud:Nginx:Domains:0:Name"] = "live.example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddNginx(o => o.RtmpPort = 19350);
        using ServiceProvider sp = services.BuildServiceProvider();
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<NginxStreamProvider>();
        sp.GetRequiredKeyedService<IStreamProvider>("nginx").Should().BeSameAs(provider);
        provider.CreatePushUrl(Demo, DateTimeOffset.UtcNow.AddHours(1)).Url.Should().StartWith("rtmp://127.0.0.1:19350/live/demo?e=");
        sp.GetRequiredService<NginxRtmpServer>().Should().NotBeNull();

        IConfiguration bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LiveCloud:Nginx:RtmpPort"] = "1935" }).Build();
        var badServices = new ServiceCollection();
        badServices.AddLiveCloud(bad.GetSection("LiveCloud")).AddNginx();
        using ServiceProvider badSp = badServices.BuildServiceProvider();
        Action resolve = () => badSp.GetRequiredService<IOptionsMonitor<NginxOptions>>().Get("Nginx");
        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should()
            .Contain("LiveCloud:Nginx:SigningKey is required (at least 16 characters).").And.Contain("LiveCloud:Nginx:HookBaseUrl is required");
    }
}
