using LiveCloud.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Tests;

public class ProviderBaseTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1700000000));
    private readonly SampleProvider _provider;

    public ProviderBaseTests() => _provider = new SampleProvider("Sample", new SampleOptions { Host = "h", Key = "s3cr3t-key" }, _clock);

    [Fact]
    public void Expiry_is_judged_by_the_injected_clock()
    {
        DateTimeOffset soon = _clock.GetUtcNow().AddSeconds(10);
        _provider.CreatePushUrl(new StreamId("live", "s"), soon).ExpiresAt.Should().Be(soon);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Action late = () => _provider.CreatePushUrl(new StreamId("live", "s"), soon);
        late.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("expiresAt");
    }

    [Fact]
    public void Bad_rendition_is_refused_naming_it()
    {
        Action play = () => _provider.CreatePlayUrls(new StreamId("live", "s"), _clock.GetUtcNow().AddHours(1), new PlayUrlOptions { Rendition = "hd/../x" });
        play.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'hd/../x'"));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_the_capability_check()
    {
        Func<Task> domain = () => _provider.GetDomainStatusAsync("https://play.example.com");
        (await domain.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("domain");
        Func<Task> forbid = () => _provider.ForbidStreamAsync(null!);
        await forbid.Should().ThrowAsync<ArgumentNullException>();
    }

    [Fact]
    public void Client_ordering_puts_the_players_protocols_first()
    {
        DateTimeOffset expiry = _clock.GetUtcNow().AddHours(1);
        _provider.CreatePlayUrls(new StreamId("live", "s"), expiry, new PlayUrlOptions { Client = PlayClient.Web })
            .Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Hls);
        _provider.CreatePlayUrls(new StreamId("live", "s"), expiry, new PlayUrlOptions { Client = PlayClient.MiniProgram })
            .Urls.Select(u => u.Protocol).Should().Equal(StreamProtocol.Rtmp);
    }

    [Fact]
    public void GetService_returns_the_provider_itself_and_nothing_else()
    {
        _provider.GetService(typeof(SampleProvider)).Should().BeSameAs(_provider);
        _provider.GetService(typeof(IStreamProvider)).Should().BeSameAs(_provider);
        _provider.GetService(typeof(string)).Should().BeNull();
        _provider.ToString().Should().NotContain("s3cr3t", "options, secrets included, stay out of ToString").And.Contain("Sample");
    }
}
