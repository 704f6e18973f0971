using LiveCloud.Testing.Emulators.Qiniu;
using LiveCloud.Testing.Fakes;
using LiveCloud.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Qiniu.Tests;

/// <summary>
/// The callback verifier on the template: verified-but-unmodelled statuses are acknowledged as <see cref="StreamEventKind.Other"/>,
/// hostile input is a 403 before verification and a 400 after it (never a 500), and ids are stable across redeliveries.
/// </summary>
public sealed class CallbackVerifierTests
{
    private const string Token = TestSetup.CallbackToken;

    // xunit replaces a lone surrogate in theory data, so the data names it and the test puts it in.
    private const string Lone = "{lone-surrogate}";
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1714550400));
    private readonly QiniuStreamProvider _provider;

    public CallbackVerifierTests() => _provider = TestSetup.Create(new Uri("http://127.0.0.1:9/"), _clock);

    private static CallbackRequest Form(string body, string? queryToken = Token) => new()
    {
        ContentType = "application/x-www-form-urlencoded",
        Query = queryToken is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["token"] = queryToken },
        Body = body,
    };

    private static string WithLoneSurrogate(string text) => text.Replace(Lone, "\ud800", StringComparison.Ordinal);

    private static CallbackRequest Json(string body) => new() { ContentType = "application/json", Body = body };

    private static CallbackRequest Get(Dictionary<string, string> query) => new() { Method = "GET", Query = query };

    [Theory]
    [InlineData("reconnected")]
    [InlineData("publish_rejected")]
    [InlineData("Custom-Status")]
    public async Task A_verified_status_LiveCloud_does_not_model_is_other_with_its_payload(string status)
    {
        StreamEvent form = await _provider.ParseCallbackAsync(Form($"status={status}&title=room_1001&ip=1.2.3.4"));
        form.Kind.Should().Be(StreamEventKind.Other);
        form.VendorEventType.Should().Be(status);
        form.Stream.Should().Be(new StreamId(QiniuEmulator.Hub, "room_1001"));
        form.RawPayload.Should().Contain($"status={status}").And.Contain("title=room_1001").And.NotContain("token").And.NotContain(Token);

        StreamEvent json = await _provider.ParseCallbackAsync(Json($$$"""{"status":"{{{status}}}","title":"room_1001","token":"{{{Token}}}","extra":{"a":1}}"""));
        json.Kind.Should().Be(StreamEventKind.Other);
        json.VendorEventType.Should().Be(status);
        json.RawPayload.Should().Be($$$"""{"status":"{{{status}}}","title":"room_1001","extra":{"a":1}}""");

        StreamEvent get = await _provider.ParseCallbackAsync(Get(new() { ["status"] = status, ["title"] = "room_1001", ["token"] = Token }));
        get.Kind.Should().Be(StreamEventKind.Other);
        get.RawPayload.Should().NotContain(Token).And.Contain("title=room_1001");
    }

    [Fact]
    public async Task Connect_and_disconnect_carry_their_vendor_type_and_payload_without_the_token()
    {
        StreamEvent up = await _provider.ParseCallbackAsync(Form($"status=connected&title=room_1001&token={Token}", queryToken: null));
        up.Kind.Should().Be(StreamEventKind.Published);
        up.VendorEventType.Should().Be("connected");
        up.RawPayload.Should().Be("status=connected&title=room_1001");

        StreamEvent down = await _provider.ParseCallbackAsync(Json($$"""{"status":"disconnected","title":"room_1001","token":"{{Token}}"}"""));
        down.Kind.Should().Be(StreamEventKind.Unpublished);
        down.VendorEventType.Should().Be("disconnected");
        down.RawPayload.Should().Be("""{"status":"disconnected","title":"room_1001"}""");
    }

    [Theory]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","ip":"\ud800"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"\ud800room"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"\udfff","title":"room_1001"}""")]
    [InlineData("""{"\ud800":1,"token":"cb-Secret-0123456789","status":"connected","title":"room_1001"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","timestamp":1e300}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","timestamp":"Infinity"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","timestamp":99999999999999999999}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","timestamp":9999999999999999}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","startTime":-5}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"disconnected","title":"room_1001","endTime":"1.5e9"}""")]
    [InlineData("""["cb-Secret-0123456789"]""")]
    public async Task A_verified_json_callback_with_undecodable_text_or_an_absurd_number_is_an_argument_error(string body)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(new CallbackRequest
        {
            ContentType = "application/json",
            Query = body.StartsWith('[') ? new Dictionary<string, string> { ["token"] = Token } : new Dictionary<string, string>(),
            Body = body,
        });
        await parse.Should().ThrowExactlyAsync<ArgumentException>();
    }

    [Fact]
    public async Task Undecodable_text_in_a_field_nobody_reads_passes_through_in_the_raw_payload()
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Json($$$"""{"token":"{{{Token}}}","status":"connected","title":"room_1001","extra":{"x":["\ud800"]}}"""));
        e.Kind.Should().Be(StreamEventKind.Published);
        e.RawPayload.Should().Contain(@"\ud800").And.NotContain(Token);
    }

    [Theory]
    [InlineData("status=connected&title=room_1001&ip=" + Lone)]
    [InlineData("status=connected&title=room_1001&" + Lone + "=1")]
    [InlineData("status=connected&title=room_1001&timestamp=1e300")]
    [InlineData("status=connected&title=room_1001&timestamp=Infinity")]
    [InlineData("status=connected&title=room_1001&timestamp=99999999999999999999")]
    [InlineData("status=disconnected&title=room_1001&endTime=9999999999999999")]
    public async Task A_verified_form_callback_with_undecodable_text_or_an_absurd_number_is_an_argument_error(string body)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Form(WithLoneSurrogate(body)));
        await parse.Should().ThrowExactlyAsync<ArgumentException>();
    }

    [Fact]
    public async Task A_verified_callback_whose_body_is_not_json_is_an_argument_error()
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(new CallbackRequest
        {
            ContentType = "application/json",
            Query = new Dictionary<string, string> { ["token"] = Token },
            Body = """{"status":"connected",""",
        });
        await parse.Should().ThrowExactlyAsync<ArgumentException>();
    }

    [Theory]
    [InlineData("""{"t":"\udfff","x":1}""")]
    [InlineData("""{"status":"\ud800","title":"room_1001"}""")]
    [InlineData("""{"\udfff":1,"status":"connected","title":"room_1001"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected","title":"room_1001","\udfff":1}""")]
    [InlineData("""{"status":"connected","title":"room_1001","timestamp":1e300}""")]
    [InlineData("""{"status":"connected","title":"room_1001","timestamp":Infinity}""")]
    [InlineData("""{"token":"\ud800","status":"connected","title":"room_1001"}""")]
    [InlineData("""{"token":"cb-Secret-0123456788","status":"connected","title":"room_1001","ip":"\ud800"}""")]
    [InlineData("""{"token":"cb-Secret-0123456789","status":"connected",""")]
    [InlineData("""["cb-Secret-0123456789"]""")]
    [InlineData("")]
    public async Task An_unverified_json_callback_is_refused_whatever_it_holds(string body)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Json(body));
        await parse.Should().ThrowExactlyAsync<CallbackVerificationException>();
    }

    [Theory]
    [InlineData("status=connected&title=room_1001&ip=" + Lone)]
    [InlineData("status=connected&title=room_1001&timestamp=1e300")]
    [InlineData("status=connected&title=room_1001&token=" + Lone)]
    public async Task An_unverified_form_callback_is_refused_whatever_it_holds(string body)
    {
        Func<Task> parse = async () => await _provider.ParseCallbackAsync(Form(WithLoneSurrogate(body), queryToken: null));
        await parse.Should().ThrowExactlyAsync<CallbackVerificationException>();
        Func<Task> wrongQuery = async () => await _provider.ParseCallbackAsync(Form(WithLoneSurrogate(body), queryToken: "\ud800"));
        await wrongQuery.Should().ThrowExactlyAsync<CallbackVerificationException>();
    }

    [Fact]
    public async Task Redeliveries_share_an_event_id_under_the_registered_name_and_other_events_do_not()
    {
        const string Body = "status=connected&title=room_1001&timestamp=1714550000&ip=1.2.3.4";
        StreamEvent first = await _provider.ParseCallbackAsync(Form(Body));
        StreamEvent again = await _provider.ParseCallbackAsync(Form(Body) with { Headers = new Dictionary<string, string> { ["X-Reqid"] = "retry-2" } });
        StreamEvent asJson = await _provider.ParseCallbackAsync(Json($$"""{"token":"{{Token}}","ip":"1.2.3.4","status":"connected","timestamp":"1714550000","title":"room_1001"}"""));
        StreamEvent later = await _provider.ParseCallbackAsync(Form("status=connected&title=room_1001&timestamp=1714553600&ip=1.2.3.4"));
        StreamEvent other = await _provider.ParseCallbackAsync(Form("status=connected&title=room_1002&timestamp=1714550000&ip=1.2.3.4"));

        first.EventId.Should().StartWith("qiniu:");
        again.EventId.Should().Be(first.EventId);
        asJson.EventId.Should().Be(first.EventId, "the same fields sent as JSON are the same event");
        new[] { later.EventId, other.EventId }.Should().OnlyHaveUniqueItems().And.NotContain(first.EventId);

        // A second Qiniu account registered under its own name: its events carry that name, and their ids differ.
        QiniuOptions options = TestSetup.Options(new Uri("http://127.0.0.1:9/"));
        var pipeline = new VendorHttpPipeline("qiniu-backup", new HttpClient(), options.Resilience, NullLogger.Instance, TimeProvider.System);
        var backup = new QiniuStreamProvider(options, pipeline, _clock, new FakeCnameVerifier());
        StreamEvent elsewhere = await backup.ParseCallbackAsync(Form(Body));
        elsewhere.Provider.Should().Be("qiniu-backup");
        elsewhere.EventId.Should().StartWith("qiniu-backup:").And.NotBe(first.EventId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    public async Task An_unset_time_variable_is_not_a_time(string value)
    {
        StreamEvent e = await _provider.ParseCallbackAsync(Form($"status=disconnected&title=room_1001&endTime={value}&startTime=1714550000"));
        e.OccurredAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1714550000));
    }
}
