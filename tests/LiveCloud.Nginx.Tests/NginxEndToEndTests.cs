using System.Net;
using System.Text.RegularExpressions;

namespace LiveCloud.Nginx.Tests;

/// <summary>Real nginx-rtmp, real ffmpeg pushes and ffprobe plays, on loopback.</summary>
[Trait("Category", "RealParts")]
public sealed class NginxEndToEndTests : IClassFixture<NginxServerFixture>
{
    private readonly NginxServerFixture _fixture;

    public NginxEndToEndTests(NginxServerFixture fixture)
    {
        RealParts.Require(NginxServerFixture.Tools);
        _fixture = fixture;
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private NginxStreamProvider Provider => _fixture.Provider;

    private static DateTimeOffset InAnHour => DateTimeOffset.UtcNow.AddHours(1);

    private static StreamId NewStream(string prefix) => new("live", prefix + "_" + Guid.NewGuid().ToString("N")[..6]);

    [SkippableFact]
    public async Task Valid_push_is_accepted_shows_in_state_and_raises_publish_events()
    {
        StreamId stream = NewStream("valid");
        await using ToolProcess push = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 4);

        await Poll.UntilAsync(async () => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Active, "the stream to be active while pushed");
        StreamState live = await Provider.GetStreamStateAsync(stream);
        live.PublishedAt.Should().NotBeNull();
        live.Viewers.Should().Be(0);
        (await Provider.ListOnlineStreamsAsync().ToListAsync()).Should().Contain(s => s.Stream == stream);

        (await push.ExitCodeAsync(Bound)).Should().Be(0, "a signed push is accepted; ffmpeg said: {0}", push.Errors);
        await Poll.UntilAsync(async () => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Inactive, "the stream to leave the state after the push ended");
        await Poll.UntilAsync(() => _fixture.EventsOf(stream, StreamEventKind.Unpublished).Any(), "publish_done to arrive");
        StreamEvent published = _fixture.EventsOf(stream, StreamEventKind.Published).Should().ContainSingle().Subject;
        published.ClientAddress.Should().Be("127.0.0.1");
        published.EventId.Should().StartWith("nginx:");
        published.SessionId.Should().NotBeNullOrEmpty("nginx's clientid");
    }

    [SkippableFact]
    public async Task Forged_expired_misdirected_and_play_signatures_are_refused_by_the_server()
    {
        StreamId stream = NewStream("refused");
        string good = Provider.CreatePushUrl(stream, InAnHour).Url;
        var signer = new NginxUrlSigner(TestOptions.Key);
        long past = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        StreamId other = NewStream("other");

        string[] bad =
        [
            good[..^4] + (good[^4] == 'A' ? "B" : "A") + good[^3..], // forged signature
            signer.RtmpUrl(NginxUrlSigner.Publish, "127.0.0.1", _fixture.Options.RtmpPort, stream.App, stream.Name, past), // expired
            good.Replace("/" + stream.Name + "?", "/" + other.Name + "?", StringComparison.Ordinal), // signed for another stream
            Provider.CreatePlayUrls(stream, InAnHour)[StreamProtocol.Rtmp]!, // a viewer's URL
            good[..good.IndexOf('?', StringComparison.Ordinal)], // unsigned
            good[..good.IndexOf('?', StringComparison.Ordinal)] + "?call=publish_done", // a URL argument posing as nginx's own field
            Provider.CreatePushUrl(other, InAnHour).Url.Replace("/" + other.Name + "?", "/" + stream.Name + "?name=" + other.Name + "&", StringComparison.Ordinal), // posing as the signed stream
        ];
        foreach (string url in bad)
        {
            await using ToolProcess push = ToolProcess.Push(url, seconds: 2);
            (await push.ExitCodeAsync(Bound)).Should().NotBe(0, "nginx must refuse the push to {0}", url);
        }

        _fixture.EventsOf(stream, StreamEventKind.Published).Should().BeEmpty();
        _fixture.EventsOf(other, StreamEventKind.Published).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task Forbidden_stream_is_refused_until_resumed()
    {
        StreamId stream = NewStream("forbidden");
        await Provider.ForbidStreamAsync(stream, DateTimeOffset.UtcNow.AddHours(1));
        (await Provider.GetStreamStateAsync(stream)).Status.Should().Be(StreamStatus.Forbidden);
        await using (ToolProcess refused = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 2))
        {
            (await refused.ExitCodeAsync(Bound)).Should().NotBe(0, "a forbidden stream is refused");
        }

        _fixture.Refusals.Should().Contain(r => r.Contains(stream.ToString(), StringComparison.Ordinal) && r.Contains("forbidden", StringComparison.Ordinal));

        await Provider.ResumeStreamAsync(stream);
        await using ToolProcess allowed = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 1);
        (await allowed.ExitCodeAsync(Bound)).Should().Be(0, "a resumed stream is accepted; ffmpeg said: {0}", allowed.Errors);
    }

    [SkippableFact]
    public async Task Drop_kicks_the_publisher()
    {
        StreamId stream = NewStream("drop");
        await using ToolProcess push = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 60);
        await Poll.UntilAsync(async () => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Active, "the stream to be active");

        await Provider.DropStreamAsync(stream);

        await Poll.UntilAsync(() => push.HasExited, "ffmpeg to be disconnected by the drop (it was asked to push for 60 s)");
        await Poll.UntilAsync(async () => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Inactive, "the dropped stream to leave the state");
    }

    [SkippableFact]
    public async Task Hls_and_rtmp_play_through_signed_urls_only()
    {
        StreamId stream = NewStream("hls");
        await using ToolProcess push = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 30);
        PlayUrlSet play = Provider.CreatePlayUrls(stream, InAnHour);
        string hls = play[StreamProtocol.Hls]!;
        using var http = new HttpClient();

        string playlist = string.Empty;
        await Poll.UntilAsync(
            async () =>
            {
                using HttpResponseMessage r = await http.GetAsync(new Uri(hls));
                playlist = await r.Content.ReadAsStringAsync();
                return r.StatusCode == HttpStatusCode.OK && playlist.Contains(".ts", StringComparison.Ordinal);
            },
            "the signed HLS playlist to list segments");

        await using (ToolProcess probe = ToolProcess.Probe(hls, "-show_entries", "stream=codec_name", "-of", "csv=p=0"))
        {
            (await probe.ExitCodeAsync(Bound)).Should().Be(0, "ffprobe plays the signed playlist; it said: {0}", probe.Errors);
            probe.Output.Should().Contain("h264").And.Contain("aac");
        }

        // The segment's relative URL resolves under the signed path, so it is authorised too.
        string segment = Regex.Match(playlist, @"^\S+\.ts$", RegexOptions.Multiline).Value;
        var signedSegment = new Uri(new Uri(hls), segment);
        (await http.GetAsync(signedSegment)).StatusCode.Should().Be(HttpStatusCode.OK);

        string baseUrl = $"http://127.0.0.1:{_fixture.Options.HttpPort}/hls/";
        string[] parts = hls.Split('/'); // http: "" host hls {sig} {e} {stream}.m3u8
        parts[4] = (parts[4][0] == 'A' ? "B" : "A") + parts[4][1..];
        string tampered = string.Join('/', parts);
        StreamId other = NewStream("other");
        string stolen = hls.Replace(stream.Name, other.Name, StringComparison.Ordinal);
        foreach (string refused in new[] { baseUrl + stream.Name + ".m3u8", baseUrl + segment, tampered, stolen, signedSegment.ToString().Replace(stream.Name + "-", other.Name + "-", StringComparison.Ordinal) })
        {
            (await http.GetAsync(new Uri(refused))).StatusCode.Should().Be(HttpStatusCode.Forbidden, "{0} is not signed for what it asks", refused);
        }

        await using (ToolProcess rtmp = ToolProcess.Probe(play[StreamProtocol.Rtmp]!, "-show_entries", "stream=codec_name", "-of", "csv=p=0"))
        {
            (await rtmp.ExitCodeAsync(Bound)).Should().Be(0, "ffprobe plays the signed RTMP URL; it said: {0}", rtmp.Errors);
        }

        string unsignedRtmp = play[StreamProtocol.Rtmp]![..play[StreamProtocol.Rtmp]!.IndexOf('?', StringComparison.Ordinal)];
        await using (ToolProcess rtmp = ToolProcess.Probe(unsignedRtmp))
        {
            (await rtmp.ExitCodeAsync(Bound)).Should().NotBe(0, "on_play refuses an unsigned RTMP play");
        }

        _fixture.EventsOf(stream, StreamEventKind.PlayRequested).Should().NotBeEmpty();
    }

    [SkippableFact]
    public async Task Recording_started_and_stopped_through_the_api_yields_a_playable_file()
    {
        StreamId stream = NewStream("rec");
        await using ToolProcess push = ToolProcess.Push(Provider.CreatePushUrl(stream, InAnHour).Url, seconds: 30);
        await Poll.UntilAsync(async () => (await Provider.GetStreamStateAsync(stream)).Status == StreamStatus.Active, "the stream to be active");

        RecordingTask task = await Provider.StartRecordingAsync(stream);
        task.Id.Should().StartWith(stream.Name + "-").And.EndWith(".flv");
        string path = Path.Combine(_fixture.Options.ResolvedRecordingsDirectory, task.Id);
        await Poll.UntilAsync(() => File.Exists(path) && new FileInfo(path).Length > 100_000, "the recording to gather a few seconds of footage");
        await Provider.StopRecordingAsync(task);

        await using (ToolProcess probe = ToolProcess.Probe(path, "-show_entries", "format=duration", "-of", "csv=p=0"))
        {
            (await probe.ExitCodeAsync(Bound)).Should().Be(0, probe.Errors);
            double.Parse(probe.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        }

        List<RecordedFile> files = await Provider.ListRecordingsAsync(stream).ToListAsync();
        RecordedFile file = files.Should().ContainSingle().Subject;
        file.Duration.Should().BePositive();
        file.SizeBytes.Should().BePositive();
        file.Format.Should().Be("flv");
        using var http = new HttpClient();
        (await http.GetAsync(file.PlaybackUrl)).StatusCode.Should().Be(HttpStatusCode.OK, "nginx serves recordings at /recordings/");

        await Poll.UntilAsync(() => _fixture.EventsOf(stream, StreamEventKind.RecordingReady).Any(), "record_done to arrive");
        _fixture.EventsOf(stream, StreamEventKind.RecordingReady).First().Recording!.PlaybackUrl.Should().Be(file.PlaybackUrl);
    }
}
