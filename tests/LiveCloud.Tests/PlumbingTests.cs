using System.Text;
using System.Text.Json;
using LiveCloud.Callbacks;
using LiveCloud.Configuration;
using LiveCloud.Json;
using LiveCloud.Signing;

namespace LiveCloud.Tests;

/// <summary>The shared adapter plumbing: JSON field reading, callback guards, option checks, base64url.</summary>
public sealed class PlumbingTests
{
    [Fact]
    public void Json_fields_read_vendor_shapes_and_name_the_field_of_undecodable_text()
    {
        using JsonDocument doc = JsonFields.Parse("""{"s":"text","n":42,"ns":"17","f":"1.5","big":"1e300","inf":"Infinity","neg":-3,"huge":99999999999999,"bad":"\ud800","o":{"a":1},"arr":[1,2],"t":true,"ts":"false"}""");
        JsonElement root = doc.RootElement;
        root.GetText("s").Should().Be("text");
        root.GetText("n").Should().Be("42", "numbers read as their literal");
        root.GetText("o").Should().BeNull();
        root.GetText("missing").Should().BeNull();
        root.GetInt64("ns").Should().Be(17);
        root.GetInt64("f").Should().BeNull("1.5 is not whole");
        root.GetDouble("f").Should().Be(1.5);
        root.GetDouble("inf").Should().BeNull("only finite numbers");
        root.GetDouble("big").Should().Be(1e300);
        root.GetUnixSeconds("neg").Should().BeNull();
        root.GetUnixSeconds("huge").Should().BeNull("beyond year 9999");
        root.GetUnixSeconds("n").Should().Be(DateTimeOffset.FromUnixTimeSeconds(42));
        root.GetObject("o")!.Value.GetInt64("a").Should().Be(1);
        root.GetArray("arr").Should().HaveCount(2);
        root.GetArray("s").Should().BeEmpty();
        root.GetBoolean("t").Should().BeTrue();
        root.GetBoolean("ts").Should().BeFalse();
        Action bad = () => root.GetText("bad");
        bad.Should().Throw<FormatException>().WithMessage("*'bad'*");
        Action badNumber = () => root.GetInt64("bad");
        badNumber.Should().Throw<FormatException>();

        using JsonDocument badName = JsonFields.Parse("""{"t":1,"\ud800":2}""");
        Action lookup = () => badName.RootElement.GetText("t");
        lookup.Should().Throw<FormatException>("a lookup that passes an undecodable name fails as a format error, not InvalidOperationException");
        root.GetArray("arr").Select(v => v.AsText("arr[]")).Should().Equal("1", "2");
    }

    [Fact]
    public void Json_parse_refuses_deep_nesting()
    {
        string deep = new string('[', 5000) + new string(']', 5000);
        Action parse = () => JsonFields.Parse(deep).Dispose();
        parse.Should().Throw<JsonException>();
    }

    [Fact]
    public void Callback_guards_compare_in_constant_time_and_hash_event_ids()
    {
        byte[] mac = [0x0a, 0xbc, 0xff];
        CallbackGuard.HexEquals(mac, "0abcff").Should().BeTrue();
        CallbackGuard.HexEquals(mac, "0ABCFF").Should().BeTrue();
        CallbackGuard.HexEquals(mac, "0abcfe").Should().BeFalse();
        CallbackGuard.HexEquals(mac, "0abcf").Should().BeFalse();
        CallbackGuard.HexEquals(mac, "0abcfg").Should().BeFalse();
        CallbackGuard.HexEquals(mac, null).Should().BeFalse();

        CallbackGuard.TextEquals("s3cr3t"u8, "s3cr3t").Should().BeTrue();
        CallbackGuard.TextEquals("s3cr3t"u8, "s3cr3T").Should().BeFalse();
        CallbackGuard.TextEquals("s3cr3t"u8, new string('x', 5000)).Should().BeFalse();
        CallbackGuard.TextEquals(""u8, "").Should().BeFalse("an unset secret never matches");

        string id = CallbackGuard.EventId("Tencent", "1", "push.example.com", "live/a");
        id.Should().StartWith("tencent:").And.HaveLength("tencent:".Length + 32);
        CallbackGuard.EventId("Tencent", "1", "push.example.com", "live/a").Should().Be(id);
        CallbackGuard.EventId("Tencent", "1", "push.example.coml", "ive/a").Should().NotBe(id, "parts are length-prefixed");
        CallbackGuard.EventId("Tencent", "1", null, "live/a").Should().NotBe(id);

        var now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        CallbackGuard.IsFresh(now.AddMinutes(-4), now, TimeSpan.FromMinutes(5)).Should().BeTrue();
        CallbackGuard.IsFresh(now.AddMinutes(-6), now, TimeSpan.FromMinutes(5)).Should().BeFalse();
        CallbackGuard.IsFresh(now.AddMinutes(6), now, TimeSpan.FromMinutes(5)).Should().BeFalse();
        CallbackGuard.IsBeforeExpiry(now.AddSeconds(-20), now, TimeSpan.FromSeconds(30)).Should().BeTrue();
        CallbackGuard.IsBeforeExpiry(now.AddSeconds(-31), now, TimeSpan.FromSeconds(30)).Should().BeFalse();
    }

    [Fact]
    public void Callback_payload_leaves_out_signature_fields()
    {
        using JsonDocument doc = JsonDocument.Parse("""{"event_type":1,"sign":"abc","t":123,"stream_id":"s"}""");
        CallbackPayload.FromJson(doc.RootElement, "sign", "t").Should().Be("""{"event_type":1,"stream_id":"s"}""");
        using JsonDocument hostile = JsonDocument.Parse("""{"sign":"abc","\ud800":1,"x":{"y":"\udfff"}}""");
        CallbackPayload.FromJson(hostile.RootElement, "sign").Should().Be("""{"\ud800":1,"x":{"y":"\udfff"}}""", "undecodable text passes through as sent, not as a crash");
        CallbackPayload.FromFields([new("status", "connected"), new("token", "secret"), new("title", "a b")], "token").Should().Be("status=connected&title=a%20b");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20)]
    [InlineData(32)]
    public void Base64url_round_trips_with_and_without_padding(int length)
    {
        byte[] bytes = [.. Enumerable.Range(0, length).Select(i => (byte)(i * 37 + 250))];
        string padded = Base64Url.Encode(bytes, padding: true);
        string unpadded = Base64Url.Encode(bytes, padding: false);
        padded.Should().Be(Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_'));
        unpadded.Should().Be(padded.TrimEnd('='));
        byte[] back = new byte[length];
        Base64Url.TryDecodeExact(padded, back).Should().BeTrue();
        back.Should().Equal(bytes);
        Base64Url.TryDecodeExact(unpadded, back).Should().BeTrue();
        back.Should().Equal(bytes);
        Base64Url.TryDecodeExact(unpadded + "+", back).Should().BeFalse("'+' is not in the URL-safe alphabet");
        Base64Url.TryDecodeExact(unpadded, new byte[length + 1]).Should().BeFalse("the length must be exact");
    }

    [Fact]
    public void Option_checks_name_the_full_key_and_the_bad_value()
    {
        var failures = new List<string>();
        var check = new OptionChecks("LiveCloud:X", failures);
        check.Required(" ", "SecretKey");
        check.HostName("https://play.example.com/", "PlayDomain");
        check.HostName(null, "Optional", required: false);
        check.HttpUrl(new Uri("ftp://a/"), "Endpoint", new Uri("https://api.example.com/"));
        check.InRange(TimeSpan.FromMinutes(11), TimeSpan.Zero, TimeSpan.FromMinutes(10), "Skew");
        check.StreamIdPart("a/b", "AppName");
        check.IsValid.Should().BeFalse();
        failures.Should().HaveCount(5);
        failures[0].Should().Be("LiveCloud:X:SecretKey is required.");
        failures[1].Should().StartWith("LiveCloud:X:PlayDomain is not a host name");
        failures[2].Should().Be("LiveCloud:X:Endpoint must be an absolute http(s) URL such as https://api.example.com/; got 'ftp://a/'.");
        failures[3].Should().Be("LiveCloud:X:Skew must be from 00:00:00 to 00:10:00; got 00:11:00.");
        failures[4].Should().Contain("'a/b'");
        Secret.Mask("k").Should().Be("***");
        Secret.Mask(null).Should().Be("(not set)");
    }
}
