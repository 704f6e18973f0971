using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.Volcengine;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Volcengine.Tests;

/// <summary>Callbacks: verified before they are read, both payload shapes, refusals, 400s, unmodelled types, stable ids.</summary>
public sealed class CallbackTests
{
    private const string Key = VolcengineTestSetup.CallbackKey;
    private static readonly StreamId Room = new("live", "room_1001");
    private readonly FakeTimeProvider _clock = new(VolcengineTestSetup.Now);

    private VolcengineCallbackVerifier Verifier(TimeSpan? skew = null) => new(Key, skew ?? TimeSpan.FromSeconds(30), _clock);

    private CallbackRequest Callback(string eventType = "push_start", DateTimeOffset? sentAt = null, bool tAsString = false, bool wrapped = false, string session = "sess-1", string? query = null) =>
        VolcengineLiveEmulator.PushCallback(Key, eventType, Room.App, Room.Name, session, _clock.GetUtcNow().AddMinutes(-1), sentAt ?? _clock.GetUtcNow(), tAsString, wrapped, query);

    private static CallbackRequest With(CallbackRequest request, Action<JsonObject> change)
    {
        JsonObject body = JsonNode.Parse(request.Body)!.AsObject();
        change(body);
        return request with { Body = body.ToJsonString() };
    }

    [Fact]
    public void Push_start_and_push_end_parse_to_published_and_unpublished()
    {
        StreamEvent started = Verifier().Parse(Callback("push_start"), "Volcengine");
        StreamEvent ended = Verifier().Parse(Callback("push_end"), "Volcengine");

        started.Kind.Should().Be(StreamEventKind.Published);
        started.Stream.Should().Be(Room);
        started.Provider.Should().Be("Volcengine");
        started.OccurredAt.Should().Be(_clock.GetUtcNow().AddMinutes(-1), "time_ms is when the push started");
        started.ClientAddress.Should().Be("203.0.113.7");
        started.SessionId.Should().Be("sess-1");
        started.VendorEventType.Should().Be("push_start");
        ended.Kind.Should().Be(StreamEventKind.Unpublished);
        ended.EventId.Should().NotBe(started.EventId);
        started.EventId.Should().StartWith("volcengine:");
    }

    [Fact]
    public void A_redelivery_keeps_the_event_id_and_another_session_gets_another()
    {
        StreamEvent first = Verifier().Parse(Callback(), "Volcengine");
        StreamEvent redelivered = Verifier().Parse(Callback(sentAt: _clock.GetUtcNow().AddSeconds(3)), "Volcengine");
        StreamEvent other = Verifier().Parse(Callback(session: "sess-2"), "Volcengine");
        redelivered.EventId.Should().Be(first.EventId, "a redelivery carries a new t and sign, and is the same event");
        other.EventId.Should().NotBe(first.EventId);
    }

    [Fact]
    public void The_wrapped_2023_shape_and_t_as_a_string_parse_the_same()
    {
        StreamEvent flat = Verifier().Parse(Callback(), "Volcengine");
        StreamEvent wrapped = Verifier().Parse(Callback(wrapped: true), "Volcengine");
        StreamEvent textT = Verifier().Parse(Callback(tAsString: true), "Volcengine");

        wrapped.Kind.Should().Be(StreamEventKind.Published);
        wrapped.Stream.Should().Be(Room);
        wrapped.OccurredAt.Should().Be(flat.OccurredAt, "time_ms is read from detail");
        wrapped.EventId.Should().Be(flat.EventId);
        textT.EventId.Should().Be(flat.EventId);
        wrapped.RawPayload.Should().NotContain("\"sign\"").And.NotContain("\"t\"");
    }

    [Fact]
    public void The_raw_payload_keeps_no_signature_not_even_the_push_urls()
    {
        CallbackRequest callback = Callback(query: "volcTime=1700000000&volcSecret=0b6d52a1c6ef7a0e83835f72d79869ec&room=7");
        string sign = (string)JsonNode.Parse(callback.Body)!["sign"]!;
        StreamEvent e = Verifier().Parse(callback, "Volcengine");

        e.RawPayload.Should().NotContain(sign).And.NotContain("0b6d52a1c6ef7a0e83835f72d79869ec").And.NotContain("\"t\":");
        JsonNode.Parse(e.RawPayload!)!["fp_user_url"]!.GetValue<string>().Should().Be("volcTime=1700000000&room=7");
        e.ToString().Should().NotContain("fp_user_url", "ToString leaves the raw payload out");

        // A renamed signature parameter (a domain's AuthField) is removed too.
        var renamed = new VolcengineCallbackVerifier(Key, TimeSpan.Zero, _clock, ["mySecret"]);
        renamed.Parse(Callback(query: "mySecret=abcdef0123&t2=1"), "Volcengine").RawPayload.Should().NotContain("abcdef0123");
    }

    [Fact]
    public void Forged_unsigned_stale_and_undecodable_callbacks_are_refused()
    {
        CallbackRequest good = Callback();
        string sign = (string)JsonNode.Parse(good.Body)!["sign"]!;

        Action forged = () => Verifier().Parse(good with { Body = good.Body.Replace(sign, Tamper.OffByOne(sign), StringComparison.Ordinal) }, "Volcengine");
        forged.Should().Throw<CallbackVerificationException>().WithMessage("*md5(AuthKeyPrimary + t)*");

        Action unsigned = () => Verifier().Parse(With(good, b => b.Remove("sign")), "Volcengine");
        unsigned.Should().Throw<CallbackVerificationException>().WithMessage("*no 'sign'*");

        Action otherKey = () => new VolcengineCallbackVerifier("another-key", TimeSpan.Zero, _clock).Parse(good, "Volcengine");
        otherKey.Should().Throw<CallbackVerificationException>();

        // t is when the callback stops being valid: ten minutes after sending, plus the skew allowed.
        Action stale = () => Verifier().Parse(Callback(sentAt: _clock.GetUtcNow().AddMinutes(-10).AddSeconds(-31)), "Volcengine");
        stale.Should().Throw<CallbackVerificationException>().WithMessage("*expired*");
        Verifier().Parse(Callback(sentAt: _clock.GetUtcNow().AddMinutes(-10).AddSeconds(-29)), "Volcengine").Kind.Should().Be(StreamEventKind.Published);

        Action notJson = () => Verifier().Parse(new CallbackRequest { Body = "event_type=push_start" }, "Volcengine");
        notJson.Should().Throw<CallbackVerificationException>().WithMessage("*not JSON*");
        Action array = () => Verifier().Parse(new CallbackRequest { Body = "[1]" }, "Volcengine");
        array.Should().Throw<CallbackVerificationException>();
        Action badT = () => Verifier().Parse(With(good, b => b["t"] = "soon"), "Volcengine");
        badT.Should().Throw<CallbackVerificationException>().WithMessage("*Unix time*");
    }

    [Fact]
    public void Verified_but_malformed_is_an_argument_exception_naming_the_problem()
    {
        Action noStream = () => Verifier().Parse(With(Callback(), b => b.Remove("stream")), "Volcengine");
        noStream.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("'stream'"));

        Action badName = () => Verifier().Parse(With(Callback(), b => b["stream"] = "a b"), "Volcengine");
        badName.Should().Throw<ArgumentException>().WithMessage("*cannot represent*");

        Action noType = () => Verifier().Parse(With(Callback(), b => b.Remove("event_type")), "Volcengine");
        noType.Should().Throw<ArgumentException>().WithMessage("*event_type*");
    }

    // Raw JSON values spliced into a signed callback: a lone surrogate where the parser reads text, absurd numbers where
    // it reads a time. Each is a 400 (ArgumentException), never an OverflowException or a crash behind a 500.
    [Theory]
    [InlineData("app", "\"\\ud800\"")]
    [InlineData("stream", "\"room\\udfff\"")]
    [InlineData("event_type", "\"\\ud800\"")]
    [InlineData("session_id", "\"\\ud800\"")]
    [InlineData("fp_user_url", "\"volcTime=1&\\ud800\"")]
    [InlineData("time_ms", "1e300")]
    [InlineData("time_ms", "\"Infinity\"")]
    [InlineData("time_ms", "-5")]
    [InlineData("time_ms", "99999999999999999999")]
    [InlineData("time", "253402300800")]
    public void Hostile_text_or_numbers_in_a_verified_callback_are_malformed(string field, string rawValue)
    {
        JsonObject body = JsonNode.Parse(Callback().Body)!.AsObject();
        body.Remove("time_ms");
        body[field] = 0;
        string text = body.ToJsonString().Replace($"\"{field}\":0", $"\"{field}\":{rawValue}", StringComparison.Ordinal);

        Action parse = () => Verifier().Parse(new CallbackRequest { Body = text, ContentType = "application/json" }, "Volcengine");
        parse.Should().Throw<ArgumentException>().Which.Should().NotBeAssignableTo<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_lone_surrogate_in_a_field_the_parser_never_reads_passes_through_the_raw_payload_as_sent()
    {
        string text = Callback().Body.Replace("\"fp_node_ip\":\"101.36.127.8\"", "\"fp_node_ip\":\"\\ud800\"", StringComparison.Ordinal);
        text.Should().Contain("\\ud800");
        StreamEvent e = Verifier().Parse(new CallbackRequest { Body = text, ContentType = "application/json" }, "Volcengine");
        e.Kind.Should().Be(StreamEventKind.Published);
        e.RawPayload.Should().Contain("\"fp_node_ip\":\"\\ud800\"", "the raw payload keeps unread fields as the escapes they were sent as");
    }

    [Theory]
    [InlineData("""{"t":"\ud800","sign":"x","event_type":"push_start"}""")]
    [InlineData("""{"t":"1700000600","sign":"\udfff","event_type":"push_start"}""")]
    [InlineData("""{"t":1e300,"sign":"x","event_type":"push_start"}""")]
    [InlineData("""{"t":"Infinity","sign":"x","event_type":"push_start"}""")]
    [InlineData("""{"t":99999999999999999999,"sign":"x","event_type":"push_start"}""")]
    [InlineData("""{"\ud800":1,"t":"1700000600","sign":"x"}""")]
    public void The_same_hostile_values_in_an_unsigned_callback_are_refused_before_parsing(string body)
    {
        Action parse = () => Verifier().Parse(new CallbackRequest { Body = body, ContentType = "application/json" }, "Volcengine");
        parse.Should().Throw<CallbackVerificationException>();
    }

    [Fact]
    public void An_unmodelled_verified_type_is_other_with_its_type_and_payload()
    {
        StreamEvent e = Verifier().Parse(Callback("record"), "Volcengine");
        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("record");
        e.RawPayload.Should().Contain("\"event_type\":\"record\"");
        Verifier().Parse(Callback("record"), "Volcengine").EventId.Should().Be(e.EventId);
        Verifier().Parse(Callback("snapshot"), "Volcengine").EventId.Should().NotBe(e.EventId);
    }

    [Fact]
    public async Task The_provider_takes_callbacks_only_with_a_callback_key()
    {
        (VolcengineLiveEmulator emulator, VolcengineStreamProvider provider, _) = await VolcengineTestSetup.StartAsync();
        await using VolcengineLiveEmulator lease = emulator;
        provider.Capabilities.Supports(ProviderFeatures.Callbacks).Should().BeTrue();
        (await provider.ParseCallbackAsync(Callback())).Kind.Should().Be(StreamEventKind.Published);

        (VolcengineLiveEmulator emulator2, VolcengineStreamProvider keyless, _) = await VolcengineTestSetup.StartAsync(o => o.CallbackKey = null);
        await using VolcengineLiveEmulator lease2 = emulator2;
        keyless.Capabilities.Supports(ProviderFeatures.Callbacks).Should().BeFalse("unsigned callbacks are never trusted");
        Func<Task> parse = async () => await keyless.ParseCallbackAsync(Callback());
        (await parse.Should().ThrowAsync<NotSupportedException>()).Which.Message.Should().Contain("Volcengine");
    }
}
