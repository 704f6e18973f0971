using System.Collections.Concurrent;
using System.Net;
using LiveCloud.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveCloud.AspNetCore.Tests;

/// <summary>A provider whose callbacks verify when they carry <c>token=good</c>; it exists to drive the endpoint.</summary>
internal sealed class TokenOptions : LiveCloud.Configuration.VendorOptions
{
    protected override void Validate(LiveCloud.Configuration.OptionChecks check)
    {
    }
}

internal sealed class TokenProvider() : StreamProviderBase("Token", null)
{
    public override ProviderCapabilities Capabilities { get; } = new(ProviderFeatures.Callbacks, [], []);

    protected override ValueTask<StreamEvent> ParseCallbackCoreAsync(CallbackRequest request, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, string> form = request.Method == "GET" ? request.Query : request.ReadForm();
        if (!form.TryGetValue("token", out string? token) || token != "good")
        {
            throw new CallbackVerificationException("bad token");
        }

        if (form.TryGetValue("malformed", out _))
        {
            throw new ArgumentException("The callback's 'name' is malformed.", nameof(request));
        }

        StreamEventKind kind = form["call"] switch
        {
            "publish" => StreamEventKind.Published,
            "publish_done" => StreamEventKind.Unpublished,
            _ => StreamEventKind.Other,
        };
        return ValueTask.FromResult(new StreamEvent(Name, kind, new StreamId("live", form["name"]), DateTimeOffset.UnixEpoch, form["call"] + form["name"]) { VendorEventType = form["call"] });
    }
}

internal sealed class RecordingObserver : IStreamEventObserver
{
    public ConcurrentQueue<StreamEvent> Events { get; } = new();

    public StreamEventDecision Decision { get; set; } = StreamEventDecision.Accept;

    public ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        Events.Enqueue(streamEvent);
        return ValueTask.FromResult(Decision);
    }
}

public sealed class CallbackEndpointTests : IAsyncLifetime, IDisposable
{
    private readonly RecordingObserver _observer = new();
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["LiveCloud:Provider"] = "Token" }).Build();
        builder.Services.AddLiveCloud(config.GetSection("LiveCloud"))
            .AddProvider<TokenProvider, TokenOptions>("Token", static _ => new TokenProvider(), static _ => { });
        builder.Services.AddSingleton<IStreamEventObserver>(_observer);
        _app = builder.Build();
        _app.MapLiveCloudCallbacks();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => _http.Dispose();

    private Task<HttpResponseMessage> Post(string provider, string form) =>
        _http.PostAsync($"/api/callbacks/{provider}", new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));

    [Fact]
    public async Task Verified_callback_reaches_observers_and_answers_204()
    {
        HttpResponseMessage response = await Post("token", "call=publish&name=room1&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _observer.Events.Should().ContainSingle().Which.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Published && e.Stream.Name == "room1");
    }

    [Fact]
    public async Task Get_callbacks_carry_their_fields_in_the_query()
    {
        HttpResponseMessage response = await _http.GetAsync("/api/callbacks/Token?call=publish_done&name=room2&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _observer.Events.Should().ContainSingle().Which.Kind.Should().Be(StreamEventKind.Unpublished);
    }

    [Fact]
    public async Task Forged_callback_is_refused_with_403_and_reaches_no_observer()
    {
        HttpResponseMessage response = await Post("Token", "call=publish&name=room1&token=forged");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("bad token", "the reason is logged, not told to the caller");
        _observer.Events.Should().BeEmpty();
    }

    [Fact]
    public async Task Observer_refusal_answers_403()
    {
        _observer.Decision = StreamEventDecision.Refuse;
        HttpResponseMessage response = await Post("Token", "call=publish&name=room1&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Observer_not_knowing_the_stream_answers_404_naming_it()
    {
        _observer.Decision = StreamEventDecision.UnknownStream;
        HttpResponseMessage response = await Post("Token", "call=publish&name=room1&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No stream 'live/room1' is known here.");
    }

    [Fact]
    public async Task A_verified_event_the_library_does_not_model_is_acknowledged_and_handed_on()
    {
        HttpResponseMessage response = await Post("Token", "call=update_publish&name=room1&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        _observer.Events.Should().ContainSingle().Which.Should().Match<StreamEvent>(e => e.Kind == StreamEventKind.Other && e.VendorEventType == "update_publish");
    }

    [Fact]
    public async Task A_verified_but_malformed_callback_is_400()
    {
        HttpResponseMessage response = await Post("Token", "call=publish&name=room1&token=good&malformed=1");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        _observer.Events.Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_provider_is_404_naming_it()
    {
        HttpResponseMessage response = await Post("Nope", "call=publish&name=x&token=good");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("'Nope'");
    }

    [Fact]
    public async Task Oversized_body_is_refused_before_parsing()
    {
        HttpResponseMessage response = await Post("Token", "call=publish&name=x&token=good&pad=" + new string('a', LiveCloudCallbackEndpoints.MaxBodyBytes));
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        _observer.Events.Should().BeEmpty();
    }
}
