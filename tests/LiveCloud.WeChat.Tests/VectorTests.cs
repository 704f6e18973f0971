using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>
/// The message-push vectors of docs/vendors/wechat-live.md, byte for byte, through the library (signature, msg_signature,
/// decryption, and the verifier end to end) and through the emulator's own code.
/// </summary>
public sealed class VectorTests
{
    // S3: wechatpy's test_decrypt_message (the WXBizMsgCrypt scheme).
    private const string S3Key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    private const string S3Encrypt = "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";

    // S4: a follow event encrypted with the random prefix "0123456789abcdef".
    private const string S4Encrypt = "Q3stYC6hdFzMh9T8HCvyDDL3br2Ys3QGT2rgaGIj5u5zikidcy72blXz2vqcReb5X1dGDADtgzBBZt7okXpbT7C+FQSFBegetcqV4ozFhjMmMZYgSX6+1V+41qUZyjf0AR5+jTnNKc/D3pbQjpqaz2pXUUFtGJeC/fXRHVqwrnrCHGKv2FFI97fePYhaZAfGBE5R/+nOvbcuZFYiipCaQD3nrbCmx6UKg0yimi67DUi+h1+4X4ccgc4hGeJDBxHjmGS7WppBWcCJIp43idLudpr1JEEoEnnSIKQNbKsO52cOGisRoYkB+4A/7eksWG7+L3kT/qdEUawnd1UxKifot+ko9m5xPcRUZyYcx1kUsXOz7KmP70mpaLJtRsnhRqxGefnlpOYOMv8WUHhWO9CqTSt8CFkgF/oJx0VjsAGbL3E=";
    private const string S4Plain = """{"ToUserName":"gh_0123456789ab","FromUserName":"oABCD_user_openid","CreateTime":1764576000,"MsgType":"event","Event":"wxalive_follow_notify","FollowNotify":{"room_id":6209,"user_openid":"oABCD_user_openid","time":1764576000,"live_status":102,"action":"add_follow"}}""";

    [Theory]
    [InlineData("AAAAA", "1714036504", "1514711492", "f464b24fc39322e44b38aa78f5edd27bd1441696")]
    [InlineData("AAAAA", "1714037059", "486452656", "899cf89e464efb63f54ddac96b0a0a235f53aa78")]
    [InlineData("LiveCloudToken", "1764576000", "1320562132", "d1ff616337917c4e4262b5bdf9df3749cf710fa7")]
    public void S1_S2_S4_url_signatures(string token, string timestamp, string nonce, string expected)
    {
        WeChatCallbackVerifier.ComputeSignature(token, timestamp, nonce).Should().Be(expected);
        WeChatMessagePush.Signature(token, timestamp, nonce).Should().Be(expected, "the emulator's own code agrees");
    }

    [Fact]
    public void S3_msg_signature_and_decryption()
    {
        WeChatCallbackVerifier.ComputeSignature("123456", "1411525903", "461056294", S3Encrypt).Should().Be("74d92dfeb87ba7c714f89d98870ae5eb62dff26d");
        WeChatMessagePush.Signature("123456", "1411525903", "461056294", S3Encrypt).Should().Be("74d92dfeb87ba7c714f89d98870ae5eb62dff26d");

        WeChatMessageCrypto.TryDecodeKey(S3Key, out byte[] key).Should().BeTrue();
        WeChatMessageCrypto.TryDecrypt(key, S3Encrypt, out string message, out string appId).Should().BeNull();
        appId.Should().Be("wx49f0ab532d5d035a");
        message.Should().StartWith("<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>")
            .And.Contain("<FromUserName><![CDATA[messense]]></FromUserName>")
            .And.Contain("<Content><![CDATA[test]]></Content>")
            .And.EndWith("</xml>");
    }

    [Fact]
    public void S4_msg_signature_and_decryption()
    {
        WeChatCallbackVerifier.ComputeSignature("LiveCloudToken", "1764576000", "1320562132", S4Encrypt).Should().Be("0dcf3e92fde3e8c0f62bd0f0e538167ed3970a56");

        WeChatMessageCrypto.TryDecodeKey(WeChatTestSetup.EncodingAesKey, out byte[] key).Should().BeTrue();
        WeChatMessageCrypto.TryDecrypt(key, S4Encrypt, out string message, out string appId).Should().BeNull();
        message.Should().Be(S4Plain);
        appId.Should().Be("wx1234567890abcdef");

        // The emulator's encryption, with the vector's random prefix, gives the vector's ciphertext.
        WeChatMessagePush.Encrypt(WeChatTestSetup.EncodingAesKey, S4Plain, "wx1234567890abcdef", "0123456789abcdef"u8.ToArray()).Should().Be(S4Encrypt);
    }

    [Fact]
    public void S3_verifies_end_to_end_as_an_xml_text_message()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1411525903));
        var verifier = new WeChatCallbackVerifier("wx49f0ab532d5d035a", "123456", S3Key, TimeSpan.FromMinutes(5), clock);
        CallbackRequest request = WeChatMessagePush.SafeWithEncrypt("123456", S3Encrypt, 1411525903, "461056294", xml: true);
        request.Query["msg_signature"].Should().Be("74d92dfeb87ba7c714f89d98870ae5eb62dff26d");

        StreamEvent e = verifier.Parse(request, "WeChat");

        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("text");
        e.Stream.Should().Be(new StreamId("live", "wx49f0ab532d5d035a"), "a message about no room carries the mini-program's own stream");
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1411525903));
        e.RawPayload.Should().Contain("\"Content\":\"test\"").And.Contain("\"FromUserName\":\"messense\"").And.NotContain(S3Encrypt);
        e.EventId.Should().Be(Callbacks.CallbackGuard.EventId("WeChat", "text", "4363689963896700987"), "a text message is identified by its MsgId");
    }

    [Fact]
    public void S4_verifies_end_to_end_as_a_follow_event()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1764576000));
        var verifier = new WeChatCallbackVerifier("wx1234567890abcdef", "LiveCloudToken", WeChatTestSetup.EncodingAesKey, TimeSpan.FromMinutes(5), clock);
        CallbackRequest request = WeChatMessagePush.SafeWithEncrypt("LiveCloudToken", S4Encrypt, 1764576000, "1320562132");
        request.Query["signature"].Should().Be("d1ff616337917c4e4262b5bdf9df3749cf710fa7");
        request.Query["msg_signature"].Should().Be("0dcf3e92fde3e8c0f62bd0f0e538167ed3970a56");

        StreamEvent e = verifier.Parse(request, "WeChat");

        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("wxalive_follow_notify");
        e.Detail.Should().Be("add_follow");
        e.Stream.Should().Be(new StreamId("live", "wx1234567890abcdef-6209"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1764576000));
        e.RawPayload.Should().Be(S4Plain);
    }
}
