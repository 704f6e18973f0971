namespace LiveCloud.Tests;

public class StreamIdTests
{
    [Theory]
    [InlineData("live", "room_1001")]
    [InlineData("live", "a-b_c.1")]
    [InlineData("app=1", "x")]
    public void Valid_ids_keep_their_parts(string app, string name)
    {
        var id = new StreamId(app, name);
        id.App.Should().Be(app);
        id.Name.Should().Be(name);
        id.ToString().Should().Be($"{app}/{name}");
        StreamId.Parse(id.ToString()).Should().Be(id);
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("live", "")]
    [InlineData("live", "has space")]
    [InlineData("live", "slash/inside")]
    [InlineData("live", "query?x=1")]
    [InlineData("live", "star*")]
    [InlineData("live", ".hidden")]
    [InlineData("li ve", "ok")]
    [InlineData("live", "名字")]
    public void Illegal_parts_are_refused_naming_parameter_and_value(string app, string name)
    {
        Action create = () => _ = new StreamId(app, name);
        ArgumentException error = create.Should().Throw<ArgumentException>().Which;
        bool appIsBad = !StreamId.IsValidPart(app);
        error.ParamName.Should().Be(appIsBad ? "app" : "name");
        error.Message.Should().Contain($"'{(appIsBad ? app : name)}'");
    }

    [Fact]
    public void Over_long_names_are_refused_with_their_length()
    {
        string name = new('a', StreamId.MaxLength + 1);
        Action create = () => _ = new StreamId("live", name);
        create.Should().Throw<ArgumentException>().Where(e => e.ParamName == "name" && e.Message.Contains("257 characters"));
        new StreamId("live", new string('a', StreamId.MaxLength)).Name.Should().HaveLength(StreamId.MaxLength);
    }

    [Fact]
    public void Null_parts_are_refused()
    {
        Action create = () => _ = new StreamId(null!, "x");
        create.Should().Throw<ArgumentNullException>().WithParameterName("app");
    }

    [Theory]
    [InlineData("nolash")]
    [InlineData("/x")]
    [InlineData("x/")]
    [InlineData("a/b/c")]
    public void Parse_refuses_other_shapes(string text)
    {
        Action parse = () => StreamId.Parse(text);
        parse.Should().Throw<ArgumentException>().Where(e => e.Message.Contains(text));
    }

    [Fact]
    public void Equal_parts_make_equal_ids()
    {
        new StreamId("live", "a").Should().Be(new StreamId("live", "a"));
        new StreamId("live", "a").Should().NotBe(new StreamId("live", "A"));
    }
}

public class PushUrlTests
{
    private static readonly DateTimeOffset Expiry = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    [Fact]
    public void Rtmp_url_splits_into_obs_server_and_stream_key()
    {
        var url = new PushUrl(StreamProtocol.Rtmp, "rtmp://push.example.com/live/room_1001?txSecret=43b3&txTime=6553F100", Expiry);
        url.Server.Should().Be("rtmp://push.example.com/live/");
        url.StreamKey.Should().Be("room_1001?txSecret=43b3&txTime=6553F100");
        url.ToString().Should().Be(url.Url);
    }

    [Fact]
    public void Split_ignores_slashes_inside_the_query()
    {
        var url = new PushUrl(StreamProtocol.Rtmp, "rtmp://h:1935/live/s?token=a/b", Expiry);
        url.Server.Should().Be("rtmp://h:1935/live/");
        url.StreamKey.Should().Be("s?token=a/b");
    }

    [Fact]
    public void Non_rtmp_urls_have_no_obs_split()
    {
        var url = new PushUrl(StreamProtocol.Srt, "srt://h:9000?streamid=#!::h=h,r=live/s", Expiry);
        url.Server.Should().BeNull();
        url.StreamKey.Should().BeNull();
    }

    [Fact]
    public void Empty_url_is_refused()
    {
        Action create = () => _ = new PushUrl(StreamProtocol.Rtmp, "", Expiry);
        create.Should().Throw<ArgumentException>().WithParameterName("url");
    }
}

public class ProtocolNameTests
{
    [Theory]
    [InlineData(StreamProtocol.Rtmp, "rtmp")]
    [InlineData(StreamProtocol.HttpFlv, "flv")]
    [InlineData(StreamProtocol.Hls, "hls")]
    [InlineData(StreamProtocol.WebRtc, "webrtc")]
    [InlineData(StreamProtocol.Srt, "srt")]
    [InlineData(StreamProtocol.Artc, "artc")]
    public void Short_names_round_trip(StreamProtocol protocol, string name)
    {
        protocol.ToShortName().Should().Be(name);
        StreamProtocolNames.Parse(name.ToUpperInvariant()).Should().Be(protocol);
    }

    [Fact]
    public void Unknown_name_is_refused_listing_the_known_ones()
    {
        Action parse = () => StreamProtocolNames.Parse("dash");
        parse.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'dash'") && e.Message.Contains("webrtc"));
    }
}

public class HostNameTests
{
    [Theory]
    [InlineData("play.example.com")]
    [InlineData("PLAY.Example.com.")]
    [InlineData("a")]
    public void Host_names_pass(string host)
    {
        Action validate = () => HostName.Validate(host, "domain");
        validate.Should().NotThrow();
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("https://play.example.com", "not a host name")]
    [InlineData("play.example.com/live", "not a host name")]
    [InlineData("play.example.com:8080", "not a host name")]
    [InlineData("a..b", "label of 0")]
    [InlineData("-bad.example.com", "invalid label")]
    public void Bad_hosts_are_refused_naming_the_value(string host, string reason)
    {
        Action validate = () => HostName.Validate(host, "domain");
        validate.Should().Throw<ArgumentException>().Where(e => e.ParamName == "domain" && e.Message.Contains(reason));
    }

    [Fact]
    public void Label_over_63_and_name_over_253_are_refused()
    {
        string longLabel = new string('a', 64) + ".example.com";
        Action label = () => HostName.Validate(longLabel, "domain");
        label.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("64 characters") && e.Message.Contains(longLabel));

        string longName = string.Join('.', Enumerable.Repeat(new string('a', 50), 6));
        Action name = () => HostName.Validate(longName, "domain");
        name.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("at most 253"));
    }

    [Fact]
    public void Normalize_lowercases_and_drops_the_trailing_dot() =>
        HostName.Normalize("Play.Example.COM.").Should().Be("play.example.com");
}

public class UsageProfileTests
{
    [Fact]
    public void Average_viewers_default_to_peak() =>
        new UsageProfile { PeakViewers = 100, BitrateKbps = 556, HoursPerDay = 4 }.AverageViewers.Should().Be(100);

    [Theory]
    [InlineData("PeakViewers")]
    [InlineData("BitrateKbps")]
    [InlineData("HoursPerDay")]
    [InlineData("DaysPerMonth")]
    [InlineData("OverheadFactor")]
    public void Bad_values_are_refused_naming_property_and_value(string property)
    {
        Action create = property switch
        {
            "PeakViewers" => () => _ = new UsageProfile { PeakViewers = -1, BitrateKbps = 1, HoursPerDay = 1 },
            "BitrateKbps" => () => _ = new UsageProfile { PeakViewers = 1, BitrateKbps = 0, HoursPerDay = 1 },
            "HoursPerDay" => () => _ = new UsageProfile { PeakViewers = 1, BitrateKbps = 1, HoursPerDay = 0 },
            "DaysPerMonth" => () => _ = new UsageProfile { PeakViewers = 1, BitrateKbps = 1, HoursPerDay = 1, DaysPerMonth = 32 },
            _ => () => _ = new UsageProfile { PeakViewers = 1, BitrateKbps = 1, HoursPerDay = 1, OverheadFactor = 0.5 },
        };
        create.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == property && e.Message.Contains(property));
    }

    [Fact]
    public void Region_shares_must_add_up_to_one()
    {
        Action create = () => _ = new UsageProfile
        {
            PeakViewers = 1,
            BitrateKbps = 1,
            HoursPerDay = 1,
            ViewerRegions = new Dictionary<string, double> { ["mainland"] = 0.5, ["apac1"] = 0.4 },
        };
        create.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ViewerRegions" && e.Message.Contains("add up to 1"));
    }
}

public class CallbackRequestTests
{
    [Fact]
    public void Form_body_is_decoded()
    {
        var request = new CallbackRequest { Body = "call=publish&app=live&name=room%201&tcurl=rtmp%3A%2F%2Fh%2Flive&flag" };
        IReadOnlyDictionary<string, string> form = request.ReadForm();
        form["call"].Should().Be("publish");
        form["name"].Should().Be("room 1");
        form["tcurl"].Should().Be("rtmp://h/live");
        form["flag"].Should().BeEmpty();
    }

    [Fact]
    public void First_occurrence_of_a_field_wins_so_appended_query_arguments_cannot_override()
    {
        var request = new CallbackRequest { Body = "call=publish&name=room1&call=publish_done&name=other" };
        request.ReadForm().Should().Contain("call", "publish").And.Contain("name", "room1");
    }

    [Fact]
    public void Headers_are_found_in_any_case_and_never_printed()
    {
        var request = new CallbackRequest { Headers = new Dictionary<string, string> { ["ALI-LIVE-SIGNATURE"] = "secret-signature" } };
        request.Header("ali-live-signature").Should().Be("secret-signature");
        request.Header("missing").Should().BeNull();
        request.ToString().Should().Contain("ALI-LIVE-SIGNATURE").And.NotContain("secret-signature");
    }
}

public class DomainStatusTests
{
    [Fact]
    public void Healthy_needs_an_enabled_domain_and_an_ok_cname()
    {
        var domain = new LiveDomain("play.example.com", DomainKind.Play, true, "online", "play.example.com.w.alikunlun.com");
        var ok = new CnameCheck("play.example.com", domain.ExpectedCname!, CnameVerdict.Ok, [domain.ExpectedCname!], null);
        new DomainStatus(domain, ok).IsHealthy.Should().BeTrue();
        new DomainStatus(domain, ok with { Verdict = CnameVerdict.Mismatch }).IsHealthy.Should().BeFalse();
        new DomainStatus(domain with { IsEnabled = false }, ok).IsHealthy.Should().BeFalse();
        new DomainStatus(domain with { ExpectedCname = null }, null).IsHealthy.Should().BeTrue();
    }
}
