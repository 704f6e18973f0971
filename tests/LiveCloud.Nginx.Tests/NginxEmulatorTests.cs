using LiveCloud.Testing.Emulators.Nginx;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Nginx.Tests;

/// <summary>
/// The nginx-rtmp stand-in: its own signing code reproduces the documented worked example, the hooks it builds are
/// what the provider accepts (and one character off is refused), and its <c>/stat</c> and <c>/control</c> answers
/// read as nginx-rtmp's.
/// </summary>
public sealed class NginxEmulatorTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly StreamId Demo = new("live", "demo");
    private readonly FakeTimeProvider _clock = new(Now);
    private NginxRtmpEmulator _nginx = null!;

    public async Task InitializeAsync()
    {
        _nginx = await NginxRtmpEmulator.StartAsync();
        _nginx.Now = _clock.GetUtcNow;
    }

    public async Task DisposeAsync() => await _nginx.DisposeAsync();

    private NginxStreamProvider Provider() => TestOptions.Provider(TestOptions.Create(o => o.HttpPort = _nginx.Port), _clock);

    // docs/vendors/nginx-rtmp.md, the worked example.
    [Theory]
    [InlineData("publish", "vjSlcnUCNuR88brGOe5We1ic3b5oOKbkQbaRTCMFClw")]
    [InlineData("play", "z-6h9_7IXW6XDaw-BylrtvrvDUqONg6cO4BXEMWR1O8")]
    [InlineData("hls", "LIBkPJV7a_11BZL_1wpu00tuuxQVVEuFWOWvk6kAPxs")]
    public void Signature_reproduces_the_worked_example(string purpose, string sig) =>
        NginxRtmpEmulator.Signature("demo-signing-key-0123456789", purpose, "live", "room1", 1798761600).Should().Be(sig);

    [Fact]
    public async Task A_hook_is_accepted_and_one_off_by_one_character_is_refused()
    {
        CallbackRequest hook = NginxRtmpEmulator.Hook(TestOptions.Key, "publish", "demo", 42, Now.AddMinutes(5).ToUnixTimeSeconds());
        hook.Body.Should().StartWith("app=live&").And.Contain("&clientid=42&call=publish&name=demo&type=live&e=");

        StreamEvent e = await Provider().ParseCallbackAsync(hook);
        e.Kind.Should().Be(StreamEventKind.Published);
        e.SessionId.Should().Be("42");

        string token = hook.Query["lc_hook"];
        CallbackRequest forged = hook with { Query = new Dictionary<string, string> { ["lc_hook"] = Tamper.OffByOne(token) } };
        Func<Task> parse = async () => await Provider().ParseCallbackAsync(forged);
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    [Fact]
    public async Task Stat_lists_the_live_streams_and_drop_removes_them()
    {
        NginxStreamProvider provider = Provider();
        (await provider.ListOnlineStreamsAsync().ToListAsync()).Should().BeEmpty();

        _nginx.Publish("demo");
        _clock.Advance(TimeSpan.FromMinutes(1));
        StreamState live = (await provider.ListOnlineStreamsAsync().ToListAsync()).Should().ContainSingle().Subject;
        live.Should().Be(new StreamState(Demo, StreamStatus.Active, Now, 1500, 0));

        await provider.DropStreamAsync(Demo);
        _nginx.Publishing.Should().BeEmpty();
        (await provider.GetStreamStateAsync(Demo)).Status.Should().Be(StreamStatus.Inactive);
        (await provider.Client.DropPublisherAsync(Demo)).Should().Be(0, "dropping an absent publisher answers 0");
    }
}
