using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tencent.Tests;

/// <summary>txSecret vectors of tencent.md §1.4 and the URL shapes of §1.3.</summary>
public sealed class UrlSigningTests
{
    private static readonly DateTimeOffset Expiry = DateTimeOffset.FromUnixTimeSeconds(1700000000);
    private readonly FakeTimeProvider _clock = new(Expiry.AddHours(-1));

    private TencentStreamProvider Provider(Action<TencentOptions>? tweak = null) =>
        TencentTestSetup.Provider(TencentTestSetup.Options(new Uri("http://127.0.0.1:9/"), tweak), _clock);

    [Theory]
    [InlineData(1, "txrtmp", "11212122", 1469762325L, "579ACB15", "2133c689c452f0bf81b1a88261f1d9a6")]
    [InlineData(2, "e12c46f2612d5106e2034781ab261ca3", "test", 1546064025L, "5C271099", "f85a2ab363fe4deaffef9754d79da6fe")]
    [InlineData(3, "69e0daf7234b01f257a7adb9f807ae9f", "123456", 1473595687L, "57D54927", "478a15bf1b25e5c7c5886d2eef220fb8")]
    [InlineData(4, "69e0daf7234b01f257a7adb9f807ae9f", "streamname", 1650985039L, "6268084F", "f5baa0a4e14dd1da9253595339d8780d")]
    [InlineData(5, "69e0daf7234b01f257a7adb9f807ae9f", "streamname", 1650956239L, "626797CF", "1e789caea1c4152fb9bf299f100fc2db")]
    [InlineData(6, "5f3c9a1b2d4e6f708192a3b4c5d6e7f8", "room_1001", 1700000000L, "6553F100", "43b3e2d81c5c0c1c6cbde5480563cc35")]
    [InlineData(7, "5f3c9a1b2d4e6f708192a3b4c5d6e7f8", "room_1001_hd", 1700000000L, "6553F100", "d97d9065df6cbd1ac138d9d2105c6c37")]
    [InlineData(8, "abc", "a-b_c.1", 4102444800L, "F4865700", "5b9884799a68466213475c67ab720e7b")]
    [InlineData(9, "", "x", 0L, "0", "e50eb7598b580311bab8f39bb8f4815b")]
    public void TxSecret_vectors_match_byte_for_byte(int row, string key, string stream, long txTime, string txTimeHex, string txSecret)
    {
        TencentUrlSigner.FormatTxTime(txTime).Should().Be(txTimeHex, $"row {row}");
        TencentUrlSigner.ComputeTxSecret(key, stream, txTime).Should().Be(txSecret, $"row {row}");
    }

    [Fact]
    public void A_longest_stream_name_signs_through_the_pooled_buffer_like_a_short_one()
    {
        // 256 characters: key + name + time outgrows the stack buffer; txSecret must still be md5(key + name + txTime).
        string name = new('n', StreamId.MaxLength);
        string url = Provider().CreatePushUrl(new StreamId("live", name), Expiry).Url;
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.CryptographicOperations.HashData(
            System.Security.Cryptography.HashAlgorithmName.MD5, System.Text.Encoding.UTF8.GetBytes(TencentTestSetup.PushKey + name + "6553F100")));
        url.Should().EndWith($"?txSecret={expected}&txTime=6553F100");
    }

    [Fact]
    public void Row_6_full_push_url_matches_and_splits_for_obs()
    {
        PushUrl url = Provider().CreatePushUrl(new StreamId("live", "room_1001"), Expiry);
        url.Url.Should().Be("rtmp://push.example.com/live/room_1001?txSecret=43b3e2d81c5c0c1c6cbde5480563cc35&txTime=6553F100");
        url.Server.Should().Be("rtmp://push.example.com/live/");
        url.StreamKey.Should().Be("room_1001?txSecret=43b3e2d81c5c0c1c6cbde5480563cc35&txTime=6553F100");
    }

    [Fact]
    public void WebRtc_and_srt_push_urls_have_the_documented_shapes()
    {
        TencentStreamProvider provider = Provider();
        var stream = new StreamId("live", "room_1001");
        provider.CreatePushUrl(stream, Expiry, StreamProtocol.WebRtc).Url
            .Should().Be("webrtc://push.example.com/live/room_1001?txSecret=43b3e2d81c5c0c1c6cbde5480563cc35&txTime=6553F100");
        provider.CreatePushUrl(stream, Expiry, StreamProtocol.Srt).Url
            .Should().Be("srt://push.example.com:9000?streamid=#!::h=push.example.com,r=live/room_1001,txSecret=43b3e2d81c5c0c1c6cbde5480563cc35,txTime=6553F100");
    }

    [Fact]
    public void Play_urls_use_the_play_key_one_signature_and_https_for_flv_and_hls()
    {
        // The signer directly: the doc's 2018 expiry is in the past for the provider's clock.
        PlayUrl[] urls = Provider().UrlSigner.CreatePlayUrls(new StreamId("live", "test"), DateTimeOffset.FromUnixTimeSeconds(1546064025), [StreamProtocol.WebRtc, StreamProtocol.HttpFlv, StreamProtocol.Hls, StreamProtocol.Rtmp], null);
        var set = new PlayUrlSet(new StreamId("live", "test"), DateTimeOffset.FromUnixTimeSeconds(1546064025), urls);
        string secret = TencentUrlSigner.ComputeTxSecret(TencentTestSetup.PlayKey, "test", 1546064025);
        secret.Should().Be("f85a2ab363fe4deaffef9754d79da6fe");
        string q = "?txSecret=f85a2ab363fe4deaffef9754d79da6fe&txTime=5C271099";
        set[StreamProtocol.WebRtc].Should().Be("webrtc://play.example.com/live/test" + q);
        set[StreamProtocol.HttpFlv].Should().Be("https://play.example.com/live/test.flv" + q);
        set[StreamProtocol.Hls].Should().Be("https://play.example.com/live/test.m3u8" + q);
        set[StreamProtocol.Rtmp].Should().Be("rtmp://play.example.com/live/test" + q);
    }

    [Fact]
    public void Http_playback_can_be_chosen_for_a_domain_without_a_certificate()
    {
        PlayUrlSet set = Provider(o => o.UseHttpsPlayback = false).CreatePlayUrls(new StreamId("live", "room_1001"), Expiry, new PlayUrlOptions { Protocols = [StreamProtocol.HttpFlv] });
        set.Urls.Should().ContainSingle().Which.Url.Should().StartWith("http://play.example.com/live/room_1001.flv?");
    }

    [Fact]
    public void Row_7_transcoded_rendition_is_in_path_and_signature()
    {
        var options = TencentTestSetup.Options(new Uri("http://127.0.0.1:9/"), o => o.PlayKey = "5f3c9a1b2d4e6f708192a3b4c5d6e7f8");
        PlayUrlSet set = TencentTestSetup.Provider(options, _clock).CreatePlayUrls(new StreamId("live", "room_1001"), Expiry, new PlayUrlOptions { Rendition = "hd" });
        set.Urls.Should().HaveCount(4);
        foreach (PlayUrl url in set.Urls)
        {
            url.Url.Should().Contain("/live/room_1001_hd").And.EndWith("?txSecret=d97d9065df6cbd1ac138d9d2105c6c37&txTime=6553F100");
        }
    }

    [Fact]
    public void Push_signs_with_the_push_key_and_play_with_the_play_key()
    {
        TencentStreamProvider provider = Provider();
        var stream = new StreamId("live", "room_1001");
        string push = provider.CreatePushUrl(stream, Expiry).Url;
        string play = provider.CreatePlayUrls(stream, Expiry, new PlayUrlOptions { Protocols = [StreamProtocol.Rtmp] }).Urls[0].Url;
        push.Should().Contain(TencentUrlSigner.ComputeTxSecret(TencentTestSetup.PushKey, "room_1001", 1700000000));
        play.Should().Contain(TencentUrlSigner.ComputeTxSecret(TencentTestSetup.PlayKey, "room_1001", 1700000000));
    }

    [Fact]
    public void Backup_keys_sign_when_chosen()
    {
        TencentStreamProvider provider = Provider(o =>
        {
            o.UseBackupKeys = true;
            o.BackupPushKey = "backup-push";
            o.BackupPlayKey = "backup-play";
        });
        provider.CreatePushUrl(new StreamId("live", "s1"), Expiry).Url.Should().Contain(TencentUrlSigner.ComputeTxSecret("backup-push", "s1", 1700000000));
        provider.CreatePlayUrls(new StreamId("live", "s1"), Expiry).Urls[0].Url.Should().Contain(TencentUrlSigner.ComputeTxSecret("backup-play", "s1", 1700000000));
    }

    [Fact]
    public void Signing_a_push_url_allocates_only_the_string()
    {
        TencentUrlSigner signer = Provider().UrlSigner;
        var stream = new StreamId("live", "room_1001");
        string warm = signer.CreatePushUrl(stream, Expiry, StreamProtocol.Rtmp);
        for (int i = 0; i < 100; i++)
        {
            _ = signer.CreatePushUrl(stream, Expiry, StreamProtocol.Rtmp);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        string url = signer.CreatePushUrl(stream, Expiry, StreamProtocol.Rtmp);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        url.Should().Be(warm);
        long stringBytes = 22 + (2L * url.Length); // object header + length + UTF-16 chars (+ terminator)
        allocated.Should().BeLessThanOrEqualTo(stringBytes + 8, "one string, rounded up to 8 bytes, is all a URL costs");
    }
}
