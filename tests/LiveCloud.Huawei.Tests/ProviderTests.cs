using LiveCloud.Costs;
using LiveCloud.Testing.Emulators.Huawei;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Huawei.Tests;

/// <summary>Options, URLs through the provider, capabilities, DI and the price table.</summary>
public sealed class ProviderTests
{
    private static readonly StreamId Room = new("live", "room_1001");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private HuaweiStreamProvider Provider(Action<HuaweiOptions>? configure = null)
    {
        HuaweiOptions options = HuaweiTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        configure?.Invoke(options);
        return new HuaweiStreamProvider(options, HuaweiTestSetup.Pipeline(options), _clock);
    }

    [Fact]
    public void Each_play_protocol_comes_from_its_domain_with_its_own_key_type_and_timeout()
    {
        HuaweiStreamProvider provider = Provider(o => o.HlsPlayAuthType = HuaweiUrlAuthType.B);
        provider.Capabilities.PushProtocols.Should().Equal(StreamProtocol.Rtmp);
        provider.Capabilities.PlayProtocols.Should().Equal(StreamProtocol.Rtmp, StreamProtocol.HttpFlv, StreamProtocol.Hls, StreamProtocol.WebRtc);
        provider.Capabilities.Supports(ProviderFeatures.PullRelay).Should().BeTrue();
        provider.Capabilities.Supports(ProviderFeatures.PushRelay).Should().BeFalse("Huawei documents no relay out to another platform");

        DateTimeOffset expires = _clock.GetUtcNow().AddMinutes(40);
        PlayUrlSet set = provider.CreatePlayUrls(Room, expires);
        string hwTime = HuaweiUrlSigner.FormatHexTime(expires.AddHours(-1).ToUnixTimeSeconds());
        string secret = HuaweiSignatures.HwSecret(HuaweiTestSetup.K2, "room_1001", hwTime);
        set[StreamProtocol.Rtmp].Should().Be($"rtmp://play.example.com/live/room_1001?hwSecret={secret}&hwTime={hwTime}");
        set[StreamProtocol.HttpFlv].Should().Be($"https://play.example.com/live/room_1001.flv?hwSecret={secret}&hwTime={hwTime}", "D signs the stream name only: one secret for every format");
        set[StreamProtocol.WebRtc].Should().Be($"webrtc://play.example.com/live/room_1001?hwSecret={secret}&hwTime={hwTime}");
        string txTime = HuaweiUrlSigner.FormatHexTime(expires.ToUnixTimeSeconds());
        set[StreamProtocol.Hls].Should().Be($"https://hls.example.com/live/room_1001.m3u8?txSecret={HuaweiSignatures.TxSecret(HuaweiTestSetup.K0, "room_1001", txTime)}&txTime={txTime}");

        provider.CreatePlayUrls(Room, expires, new PlayUrlOptions { Client = PlayClient.MiniProgram }).Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Rtmp, StreamProtocol.HttpFlv);
        provider.CreatePlayUrls(Room, expires, new PlayUrlOptions { Client = PlayClient.Web }).Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Hls, StreamProtocol.HttpFlv, StreamProtocol.WebRtc);
    }

    [Fact]
    public void An_hls_only_account_plays_hls_only()
    {
        HuaweiStreamProvider provider = Provider(o =>
        {
            o.PlayDomain = null;
            o.PlayKey = null;
        });
        provider.Capabilities.PlayProtocols.Should().Equal(StreamProtocol.Hls);
        Action flv = () => provider.CreatePlayUrls(Room, _clock.GetUtcNow().AddMinutes(5), new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv] });
        flv.Should().Throw<NotSupportedException>().WithMessage("*Huawei*HttpFlv*");
    }

    [Fact]
    public void An_expiry_beyond_the_domains_timeout_is_refused_naming_the_option()
    {
        HuaweiStreamProvider provider = Provider();
        provider.CreatePushUrl(Room, _clock.GetUtcNow().AddHours(1)).Url.Should().Contain("hwTime=" + HuaweiUrlSigner.FormatHexTime(_clock.GetUtcNow().ToUnixTimeSeconds()), "a URL living exactly the timeout is issued now");
        Action push = () => provider.CreatePushUrl(Room, _clock.GetUtcNow().AddHours(1).AddSeconds(1));
        ArgumentOutOfRangeException e = push.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("expiresAt");
        e.Message.Should().Contain("LiveCloud:Huawei:PushAuthTimeout").And.Contain("01:00:00");

        Action hls = () => provider.CreatePlayUrls(Room, _clock.GetUtcNow().AddHours(7));
        hls.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*LiveCloud:Huawei:PlayAuthTimeout*", "the FLV domain's timeout (1 h) is the first exceeded");

        HuaweiStreamProvider typeB = Provider(o =>
        {
            o.PushAuthType = HuaweiUrlAuthType.B;
            o.PushAuthTimeout = null;
        });
        typeB.CreatePushUrl(Room, _clock.GetUtcNow().AddDays(365)).Url.Should().Contain("txTime=", "type B signs the expiry itself, with no timeout limit");
    }

    [Fact]
    public void Signing_is_pure_and_allocates_only_the_string()
    {
        HuaweiStreamProvider provider = Provider();
        DateTimeOffset expires = _clock.GetUtcNow().AddMinutes(30);
        string url = provider.CreatePushUrl(Room, expires).Url;
        provider.CreatePushUrl(Room, expires).Url.Should().Be(url);
        long stringBytes = 22 + (2L * url.Length);
        for (int i = 0; i < 10; i++)
        {
            provider.CreatePushUrl(Room, expires);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            provider.CreatePushUrl(Room, expires);
        }

        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        perCall.Should().BeLessThanOrEqualTo(stringBytes + 8, "the URL string is the only allocation");
    }

    [Fact]
    public void A_longest_stream_name_signs_like_a_short_one()
    {
        var stream = new StreamId("live", new string('n', StreamId.MaxLength));
        DateTimeOffset expires = _clock.GetUtcNow().AddMinutes(30);
        string hwTime = HuaweiUrlSigner.FormatHexTime(expires.AddHours(-1).ToUnixTimeSeconds());
        Provider().CreatePushUrl(stream, expires).Url.Should().EndWith($"?hwSecret={HuaweiSignatures.HwSecret(HuaweiTestSetup.K1, stream.Name, hwTime)}&hwTime={hwTime}");

        HuaweiStreamProvider typeA = Provider(o => o.PushAuthType = HuaweiUrlAuthType.A);
        string ts = expires.AddHours(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        typeA.CreatePushUrl(stream, expires).Url.Should().EndWith($"?auth_key={ts}-0-0-{HuaweiSignatures.AuthKeyHash("/live/" + stream.Name, ts, "0", "0", HuaweiTestSetup.K1)}");
    }

    [Fact]
    public void Validation_names_every_bad_key()
    {
        var options = new HuaweiOptions
        {
            ProjectId = "not a project",
            Region = "CN North 4",
            PushDomain = "rtmp://push.example.com",
            PushAuthType = HuaweiUrlAuthType.C,
            PlayDomain = "play.example.com",
            PlayAuthTimeout = TimeSpan.FromSeconds(10),
            HlsPlayDomain = "hls.example.com",
            HlsPlayAuthType = HuaweiUrlAuthType.D,
            AppName = "live.v2",
            CallbackClockSkew = TimeSpan.FromHours(2),
        };
        var failures = new List<string>();
        options.Validate("LiveCloud:Huawei", failures);
        failures.Should().Contain("LiveCloud:Huawei:AccessKeyId is required.")
            .And.Contain("LiveCloud:Huawei:SecretAccessKey is required.")
            .And.Contain("LiveCloud:Huawei:PushKey is required.")
            .And.Contain("LiveCloud:Huawei:PlayKey is required with LiveCloud:Huawei:PlayDomain.");
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:ProjectId must hold only letters and digits", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:Region", StringComparison.Ordinal) && f.Contains("cn-north-4"));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:PushDomain is not a host name", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:PushAuthType is C (c_aes)", StringComparison.Ordinal) && f.Contains("type D"));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:PlayAuthTimeout must be from 00:01:00 to 30.00:00:00", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:HlsPlayKey is required", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:HlsPlayAuthTimeout must be from", StringComparison.Ordinal), "it falls back to the play domain's bad timeout");
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:AppName", StringComparison.Ordinal) && f.Contains("live.v2"));
        failures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:CallbackClockSkew", StringComparison.Ordinal));
        failures.Should().NotContain(f => f.StartsWith("LiveCloud:Huawei:PushAuthTimeout", StringComparison.Ordinal), "type C is refused as such");

        var noPlay = new HuaweiOptions { AccessKeyId = "a", SecretAccessKey = "s", ProjectId = "p", PushDomain = "push.example.com", PushKey = "k" };
        var noPlayFailures = new List<string>();
        noPlay.Validate("LiveCloud:Huawei", noPlayFailures);
        noPlayFailures.Should().Contain(f => f.StartsWith("LiveCloud:Huawei:PlayDomain is required unless LiveCloud:Huawei:HlsPlayDomain is set", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("LiveCloud:Huawei:PushAuthTimeout is required for type D", StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_shows_a_secret()
    {
        HuaweiOptions options = HuaweiTestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.SecurityToken = "STS-TOKEN-VALUE";
        HuaweiStreamProvider provider = new(options, HuaweiTestSetup.Pipeline(options), _clock);
        string[] secrets = [HuaweiLiveEmulator.SecretAccessKey, "STS-TOKEN-VALUE", HuaweiTestSetup.K0, HuaweiTestSetup.K1, HuaweiTestSetup.K2, HuaweiTestSetup.CallbackKey, HuaweiTestSetup.RecordKey];
        foreach (string text in new[] { options.ToString(), provider.ToString(), provider.UrlSigner.ToString(), provider.Client.ToString() })
        {
            foreach (string secret in secrets)
            {
                text.Should().NotContain(secret);
            }
        }

        options.ToString().Should().Contain(HuaweiLiveEmulator.AccessKeyId).And.Contain("push.example.com").And.Contain("SecretAccessKey = ***");
        new HuaweiPullTaskRequest("PullLivePushLive", ["rtmp://s.example.net/live/a?key=SOURCE-SECRET"], "push.example.com", "live", "s", _clock.GetUtcNow()) { PushArgs = "hwSecret=abc" }
            .ToString().Should().NotContain("SOURCE-SECRET").And.NotContain("hwSecret");
    }

    [Fact]
    public async Task AddHuawei_binds_configuration_and_talks_to_the_endpoint()
    {
        await using HuaweiLiveEmulator emulator = await HuaweiTestSetup.StartEmulatorAsync(TimeProvider.System);
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "Huawei",
            ["LiveCloud:Huawei:AccessKeyId"] = HuaweiLiveEmulator.AccessKeyId,
            ["LiveCloud:Huawei:SecretAccessKey"] = HuaweiLiveEmulator.SecretAccessKey,
            ["LiveCloud:Huawei:ProjectId"] = HuaweiLiveEmulator.ProjectId,
            ["LiveCloud:Huawei:Endpoint"] = emulator.BaseAddress.ToString(),
            ["LiveCloud:Huawei:PushDomain"] = "push.example.com",
            ["LiveCloud:Huawei:PushKey"] = HuaweiTestSetup.K1,
            ["LiveCloud:Huawei:PushAuthType"] = "B",
            ["LiveCloud:Huawei:PlayDomain"] = "play.example.com",
            ["LiveCloud:Huawei:PlayKey"] = HuaweiTestSetup.K2,
            ["LiveCloud:Huawei:PlayAuthTimeout"] = "01:30:00",
            ["LiveCloud:Huawei:ListOffset"] = "RecordOffset",
            ["LiveCloud:Huawei:Resilience:AttemptTimeout"] = "00:00:30",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddHuawei(o => o.AppName = "show");
        await using ServiceProvider sp = services.BuildServiceProvider();

        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<HuaweiStreamProvider>();
        sp.GetRequiredKeyedService<IStreamProvider>("huawei").Should().BeSameAs(provider);
        var options = provider.GetService<HuaweiOptions>()!;
        (options.PushAuthType, options.PlayAuthTimeout, options.ListOffset, options.AppName).Should().Be((HuaweiUrlAuthType.B, TimeSpan.FromMinutes(90), HuaweiListOffset.RecordOffset, "show"));
        provider.GetService<HuaweiApiClient>().Should().BeSameAs(((HuaweiStreamProvider)provider).Client);
        provider.GetService<HuaweiUrlSigner>().Should().NotBeNull();
        provider.GetService<HuaweiCallbackVerifier>().Should().NotBeNull();

        (await provider.ListDomainsAsync().ToListAsync()).Should().HaveCount(3);
        emulator.Calls.Should().ContainSingle();
    }

    [Fact]
    public void AddHuawei_reports_missing_keys_at_start_up()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Huawei:AccessKeyId"] = "ak",
            ["LiveCloud:Huawei:PushDomain"] = "push.example.com",
            ["LiveCloud:Huawei:PushAuthType"] = "C",
        }).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddHuawei();
        using ServiceProvider sp = services.BuildServiceProvider();
        Action resolve = () => sp.GetRequiredKeyedService<IStreamProvider>("Huawei");
        OptionsValidationException e = resolve.Should().Throw<OptionsValidationException>().Which;
        e.Failures.Should().Contain("LiveCloud:Huawei:ProjectId is required.").And.Contain("LiveCloud:Huawei:SecretAccessKey is required.");
        e.Failures.Should().Contain(f => f.Contains("LiveCloud:Huawei:PushAuthType is C (c_aes)"));
    }

    // ---- cost ----

    [Fact]
    public void An_estimate_without_prices_names_the_options_to_set()
    {
        Action estimate = () => Provider().EstimateCost(new UsageProfile { PeakViewers = 100, BitrateKbps = 1500, HoursPerDay = 2 });
        PriceNotConfirmedException e = estimate.Should().Throw<PriceNotConfirmedException>().Which;
        e.Message.Should().Contain("LiveCloud:Huawei:Prices:Traffic:mainland").And.Contain("LiveCloud:Huawei:Prices:DailyPeakBandwidth:mainland");
    }

    [Fact]
    public void With_a_traffic_price_the_monthly_tiers_accumulate()
    {
        HuaweiStreamProvider provider = Provider(o =>
        {
            o.Prices.Traffic["mainland"] = [new PriceTierOverride { From = 0, Price = 0.30m }, new PriceTierOverride { From = 100, Price = 0.20m }];
        });
        // 1000 viewers x 2 h x 1000 kbps = 900 GB over the month's first day: 100 GB at 0.30, 800 GB at 0.20.
        CostEstimate estimate = provider.EstimateCost(new UsageProfile { PeakViewers = 1000, BitrateKbps = 1000, HoursPerDay = 2 });
        estimate.BillingMode.Should().Be(BillingModes.Traffic);
        estimate.Currency.Should().Be("CNY");
        estimate.Total.Should().Be(190.00m);
        estimate.PriceTableSource.Should().Contain("support.huaweicloud.com");
    }

    [Fact]
    public void The_table_records_huaweis_rules_and_no_price()
    {
        PriceTable table = HuaweiStreamProvider.ListPriceTable;
        table.Provider.Should().Be("Huawei");
        table.Traffic!.Rule.Should().Be(TierRule.MonthlyCumulative);
        table.Traffic.Regions["mainland"].Should().OnlyContain(t => t.Price == null);
        table.DailyPeakBandwidth!.Regions["mainland"].Should().OnlyContain(t => t.Price == null);
        table.MonthlyP95Bandwidth.Should().BeNull("the 95th percentile is a contract price, by ticket");
        table.RecordingPerChannelMonth.Should().BeNull();
        table.StoragePerGBMonth.Should().BeNull();
        table.Notes.Should().Contain("1:50");
    }
}
