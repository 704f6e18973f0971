using LiveCloud.Http;
using LiveCloud.Nginx;
using LiveCloud.Testing.Emulators.Nginx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.MultiCloud.Tests;

/// <summary>
/// Management calls through the composite go to the member holding the stream (learnt here from a poll of the members'
/// <c>/stat</c>, as when a callback never came); forbid and resume go to every member. Two nginx members, each against
/// its own emulator of nginx's HTTP side; a frozen clock, so checks run only when the test asks.
/// </summary>
public sealed class ManagementTests : IAsyncLifetime, IDisposable
{
    private static readonly StreamId Stream = new("live", "room_1");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
    private NginxRtmpEmulator _a = null!;
    private NginxRtmpEmulator _b = null!;
    private MultiCloudStreamProvider _show = null!;

    public async Task InitializeAsync()
    {
        _a = await NginxRtmpEmulator.StartAsync();
        _b = await NginxRtmpEmulator.StartAsync();
        var options = new MultiCloudOptions { Primary = "NginxA", Health = { IdleProbe = IdleProbe.None, PollInterval = TimeSpan.FromSeconds(10) } };
        options.Backups.Add("NginxB");
        _show = new MultiCloudStreamProvider("Show", [Member("NginxA", _a), Member("NginxB", _b)], options, _clock);
    }

    public async Task DisposeAsync()
    {
        await _show.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    public void Dispose() => _show?.Dispose();

    private NginxStreamProvider Member(string name, NginxRtmpEmulator emulator)
    {
        var options = new NginxOptions
        {
            SigningKey = "management-key-" + name + "-0123456789",
            HttpPort = emulator.Port,
            HookBaseUrl = "http://127.0.0.1:5999/api/callbacks/" + name,
            WorkDirectory = Path.Combine(Path.GetTempPath(), "livecloud-multicloud-management-" + name),
        };
        options.Resilience.MaxRetryAttempts = 0;
        return new NginxStreamProvider(options, new VendorHttpPipeline(name, new HttpClient { BaseAddress = options.HttpEndpoint }, options.Resilience, NullLogger.Instance, TimeProvider.System), _clock, null);
    }

    private static int Calls(NginxRtmpEmulator emulator, string path) =>
        emulator.Requests.Count(r => r.PathAndQuery.StartsWith(path, StringComparison.Ordinal) && r.PathAndQuery.Contains("name=room_1", StringComparison.Ordinal));

    [Fact]
    public async Task A_poll_finds_the_stream_on_B_and_management_follows_it_while_forbid_reaches_every_member()
    {
        _b.Publish(Stream.Name);
        await _show.CheckHealthAsync();

        ShowSession show = _show.Ledger.Find(Stream)!;
        show.Should().Match<ShowSession>(s => s.State == ShowState.Live && s.HostProvider == "NginxB");
        show.Timeline.Single().EventId.Should().StartWith("poll:", "no callback came: the poll of /stat found it");
        (await _show.GetStreamStateAsync(Stream)).Status.Should().Be(StreamStatus.Active);
        (await _show.ListOnlineStreamsAsync().ToListAsync()).Should().ContainSingle().Which.Stream.Should().Be(Stream);

        RecordingTask task = await _show.StartRecordingAsync(Stream);
        task.Id.Should().StartWith("NginxB:", "the id names the member, so a stop reaches it whatever moved since");
        await _show.StopRecordingAsync(task);
        Calls(_b, "/control/record/start").Should().Be(1);
        Calls(_b, "/control/record/stop").Should().Be(1);
        Calls(_a, "/control/record/").Should().Be(0);

        await _show.DropStreamAsync(Stream);
        Calls(_b, "/control/drop/publisher").Should().Be(1);
        Calls(_a, "/control/drop/publisher").Should().Be(0, "the stream is not on NginxA");

        await _show.ForbidStreamAsync(Stream, _clock.GetUtcNow().AddHours(1));
        foreach (IStreamProvider member in _show.Members)
        {
            (await member.GetStreamStateAsync(Stream)).Status.Should().Be(StreamStatus.Forbidden, "{0} must refuse the host too, or it would fail over to push anyway", member.Name);
        }

        await _show.ResumeStreamAsync(Stream);
        (await _show.Members[0].GetStreamStateAsync(Stream)).Status.Should().NotBe(StreamStatus.Forbidden);

        _b.Publishing.Clear();
        _clock.Advance(TimeSpan.FromSeconds(10));
        await _show.CheckHealthAsync();
        _show.Ledger.Find(Stream)!.State.Should().Be(ShowState.Reconnecting, "the next poll no longer lists it: the host is gone, for now");
    }
}
