using LiveCloud.Qiniu;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

public class CallbackTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1714550400));
    private readonly QiniuStreamProvider _provider;

    public CallbackTests() => _provider = TestSetup.Create(new Uri("http://127.0.0.1:9/"), _clock);

    private static CallbackRequest Form(string body, string? token = TestSetup.CallbackToken) => new()
    {
        Method = "POST",
        ContentType = "application/x-www-form-urlencoded",
        Query = token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["token"] = token },
        Headers = new Dictionary<string, string> { ["Authorization"] = "Qiniu 7O7hf:whatever" },
        Body = body,
    };

    [Fact]
    public async Task A_connect_callback_with_the_token_becomes_a_published_event()
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Form("extra=foo&ip=22.73.202.226&status=connected&title=stream1&timestamp=1714550000"));
        e.Kind.Should().Be(StreamEventKind.Published);
        e.Stream.Should().Be(new StreamId("PiliSDKTest", "stream1"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1714550000));
        e.ClientAddress.Should().Be("22.73.202.226");
        e.Provider.Should().Be("Qiniu");
        e.EventId.Should().StartWith("qiniu:");
    }

    [Fact]
    public async Task A_json_disconnect_callback_with_the_token_in_vars_becomes_an_unpublished_event()
    {
        var request = new CallbackRequest
        {
            ContentType = "application/json",
            Body = $$"""{"status":"disconnected","title":"room_1001","endTime":1714550399000,"token":"{{TestSetup.CallbackToken}}"}""",
        };
        StreamEvent e = await _provider.ParseCallbackAsync(request);
        e.Kind.Should().Be(StreamEventKind.Unpublished);
        e.Stream.Name.Should().Be("room_1001");
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1714550399000));
    }

    [Theory]
    [InlineData("cb-Secret-0123456788")]
    [InlineData("cb-secret-0123456789")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_wrong_or_missing_token_is_refused_without_echoing_it(string? token)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Form("status=connected&title=stream1", token));
        (await parse.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().NotContain(TestSetup.CallbackToken);
    }

    [Fact]
    public async Task Without_a_configured_token_every_callback_is_refused()
    {
        QiniuOptions options = TestSetup.Options(new Uri("http://127.0.0.1:9/"));
        options.CallbackToken = null;
        QiniuStreamProvider provider = TestSetup.Create(options.Endpoint, _clock, options);
        Func<Task> parse = async () => await provider.ParseCallbackAsync(Form("status=connected&title=stream1", "anything"));
        (await parse.Should().ThrowAsync<CallbackVerificationException>()).Which.Message.Should().Contain("LiveCloud:Qiniu:CallbackToken");
    }

    [Fact]
    public async Task A_redelivered_callback_keeps_its_event_id_and_another_push_gets_a_new_one()
    {
        CallbackRequest first = Form("status=connected&title=stream1&timestamp=1714550000&ip=1.2.3.4");
        StreamEvent a = await _provider.ParseCallbackAsync(first);
        _clock.Advance(TimeSpan.FromSeconds(2));
        StreamEvent replay = await _provider.ParseCallbackAsync(first with { Headers = new Dictionary<string, string> { ["X-Reqid"] = "retry-2" } });
        StreamEvent reordered = await _provider.ParseCallbackAsync(Form("ip=1.2.3.4&timestamp=1714550000&title=stream1&status=connected"));
        StreamEvent next = await _provider.ParseCallbackAsync(Form("status=connected&title=stream1&timestamp=1714553600&ip=1.2.3.4"));
        StreamEvent stop = await _provider.ParseCallbackAsync(Form("status=disconnected&title=stream1&timestamp=1714550000&ip=1.2.3.4"));

        replay.EventId.Should().Be(a.EventId);
        reordered.EventId.Should().Be(a.EventId);
        next.EventId.Should().NotBe(a.EventId);
        stop.EventId.Should().NotBe(a.EventId);
    }

    [Fact]
    public async Task A_verified_but_malformed_callback_is_an_argument_error()
    {
        Func<Task> noStatus = async () => await _provider.ParseCallbackAsync(Form("title=stream1"));
        await noStatus.Should().ThrowAsync<ArgumentException>();
        Func<Task> badTitle = async () => await _provider.ParseCallbackAsync(Form("status=connected&title=a/b"));
        (await badTitle.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'a/b'");
    }
}

public class OptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<QiniuOptions>? configure = null)
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLiveCloud(config.GetSection("LiveCloud")).AddQiniu(configure);
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> Good() => new()
    {
        ["LiveCloud:Provider"] = "Qiniu",
        ["LiveCloud:Qiniu:AccessKey"] = "AK-visible",
        ["LiveCloud:Qiniu:SecretKey"] = "SK-very-secret",
        ["LiveCloud:Qiniu:Hub"] = "PiliSDKTest",
        ["LiveCloud:Qiniu:PushDomain"] = "pili-publish.example.com",
        ["LiveCloud:Qiniu:HlsPlayDomain"] = "pili-live-hls.example.com",
        ["LiveCloud:Qiniu:PlayKey"] = "PLAY-very-secret",
        ["LiveCloud:Qiniu:Endpoint"] = "http://127.0.0.1:9/",
    };

    [Fact]
    public void AddQiniu_binds_the_section_and_registers_the_default_and_keyed_provider()
    {
        ServiceProvider sp = Build(Good());
        IStreamProvider provider = sp.GetRequiredService<IStreamProvider>();
        provider.Should().BeOfType<QiniuStreamProvider>();
        sp.GetRequiredKeyedService<IStreamProvider>("qiniu").Should().BeSameAs(provider);
        provider.Capabilities.PlayProtocols.Should().Equal(StreamProtocol.Hls);
        provider.Capabilities.PushProtocols.Should().Equal(StreamProtocol.Rtmp, StreamProtocol.Srt);
        provider.GetService(typeof(QiniuApiClient)).Should().BeOfType<QiniuApiClient>();
        string url = provider.CreatePlayUrls(new StreamId("PiliSDKTest", "room_1001"), DateTimeOffset.UtcNow.AddHours(1)).Urls[0].Url;
        url.Should().StartWith("https://pili-live-hls.example.com/PiliSDKTest/room_1001.m3u8?sign=");
    }

    [Fact]
    public void Bad_settings_are_reported_by_full_key_without_secrets()
    {
        Dictionary<string, string?> settings = Good();
        settings.Remove("LiveCloud:Qiniu:AccessKey");
        settings["LiveCloud:Qiniu:Hub"] = "bad hub";
        settings["LiveCloud:Qiniu:PushSecurity"] = "expiry";
        settings["LiveCloud:Qiniu:FlvPlayDomain"] = "https://flv.example.com";
        settings["LiveCloud:Qiniu:Resilience:MaxRetryAttempts"] = "42";
        ServiceProvider sp = Build(settings);
        Action resolve = () => sp.GetRequiredService<IOptionsMonitor<QiniuOptions>>().Get("Qiniu");
        OptionsValidationException error = resolve.Should().Throw<OptionsValidationException>().Which;
        error.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Qiniu:AccessKey", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Qiniu:Hub", StringComparison.Ordinal) && f.Contains("'bad hub'"));
        error.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Qiniu:PushKey", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Qiniu:FlvPlayDomain", StringComparison.Ordinal));
        error.Failures.Should().Contain(f => f.StartsWith("LiveCloud:Qiniu:Resilience:MaxRetryAttempts", StringComparison.Ordinal));
        error.Message.Should().NotContain("SK-very-secret").And.NotContain("PLAY-very-secret");
    }

    [Fact]
    public void An_unknown_push_security_is_refused_and_code_configuration_applies()
    {
        Dictionary<string, string?> settings = Good();
        settings["LiveCloud:Qiniu:PushSecurity"] = "dynamic";
        Action resolve = () => Build(settings).GetRequiredService<IStreamProvider>();
        resolve.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("LiveCloud:Qiniu:PushSecurity");

        IStreamProvider provider = Build(settings, o => o.PushSecurity = "none").GetRequiredService<IStreamProvider>();
        provider.CreatePushUrl(new StreamId("PiliSDKTest", "room_1001"), DateTimeOffset.UtcNow.AddHours(1)).Url.Should().Be("rtmp://pili-publish.example.com/PiliSDKTest/room_1001");
    }

    [Fact]
    public void Nothing_prints_a_secret()
    {
        ServiceProvider sp = Build(Good(), o => o.CallbackToken = "CB-very-secret");
        var provider = (QiniuStreamProvider)sp.GetRequiredService<IStreamProvider>();
        string all = string.Join('\n', provider.ToString(), provider.Options.ToString(), provider.UrlSigner.ToString(), provider.Client.ToString());
        all.Should().NotContain("SK-very-secret").And.NotContain("PLAY-very-secret").And.NotContain("CB-very-secret").And.Contain("PiliSDKTest");
    }

    [Fact]
    public void Constructing_with_bad_options_throws_a_configuration_error_naming_the_keys()
    {
        var pipeline = new LiveCloud.Http.VendorHttpPipeline("Qiniu", new HttpClient(), TestSetup.Fast(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
        Action create = () => _ = new QiniuStreamProvider(new QiniuOptions { SecretKey = "SK-very-secret" }, pipeline);
        create.Should().Throw<LiveCloudConfigurationException>().Where(e => e.Message.Contains("LiveCloud:Qiniu:AccessKey") && e.Message.Contains("LiveCloud:Qiniu:Hub") && !e.Message.Contains("SK-very-secret"));
    }
}
