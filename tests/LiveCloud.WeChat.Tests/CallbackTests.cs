using System.Net;
using System.Text.Json.Nodes;
using LiveCloud.AspNetCore;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.WeChat;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.WeChat.Tests;

/// <summary>Message push: verification (plain and safe mode), parsing into events, hostile input, and the ASP.NET Core path.</summary>
public sealed class CallbackTests
{
    private const string Token = WeChatTestSetup.MessageToken;
    private const string Key = WeChatTestSetup.EncodingAesKey;
    private const string App = WeChatLiveEmulator.AppId;

    private readonly FakeTimeProvider _clock = new(WeChatTestSetup.Start);

    private long Now => _clock.GetUtcNow().ToUnixTimeSeconds();

    private WeChatCallbackVerifier Plain() => new(App, Token, null, TimeSpan.FromMinutes(5), _clock);

    private WeChatCallbackVerifier Safe() => new(App, Token, Key, TimeSpan.FromMinutes(5), _clock);

    [Fact]
    public void A_plain_follow_event_is_an_other_event_of_its_room_with_the_action_as_detail()
    {
        string message = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now, 102, "add_follow");
        CallbackRequest request = WeChatMessagePush.Plain(Token, message, Now, "n1");

        StreamEvent e = Plain().Parse(request, "WeChat");

        e.Provider.Should().Be("WeChat");
        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("wxalive_follow_notify");
        e.Detail.Should().Be("add_follow");
        e.Stream.Should().Be(new StreamId("live", App + "-6209"));
        e.OccurredAt.Should().Be(_clock.GetUtcNow());
        e.RawPayload.Should().Be(message).And.NotContain(request.Query["signature"]);
    }

    [Fact]
    public void A_push_result_event_names_its_room_and_the_delivery_counts()
    {
        string message = WeChatMessagePush.PushMessageNotify(6209, "msg-42", total: 10, success: 8, Now);

        StreamEvent e = Safe().Parse(WeChatMessagePush.Safe(Token, Key, App, message, Now, "n2"), "WeChat");

        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("wxalive_push_message_notify");
        e.Stream.Name.Should().Be(App + "-6209");
        e.Detail.Should().Be("message msg-42: 8 of 10 delivered");
        e.RawPayload.Should().Be(message);
    }

    [Fact]
    public void Unmodelled_messages_are_acknowledged_as_other_with_their_type_and_payload()
    {
        string message = new JsonObject { ["ToUserName"] = "gh_0123456789ab", ["FromUserName"] = "oViewer1", ["CreateTime"] = Now, ["MsgType"] = "event", ["Event"] = "user_enter_tempsession", ["SessionFrom"] = "live" }.ToJsonString();

        StreamEvent e = Plain().Parse(WeChatMessagePush.Plain(Token, message, Now, "n3"), "WeChat");

        e.Kind.Should().Be(StreamEventKind.Other);
        e.VendorEventType.Should().Be("user_enter_tempsession");
        e.Stream.Should().Be(new StreamId("live", App));
        e.RawPayload.Should().Be(message);
    }

    [Fact]
    public void A_redelivery_keeps_the_event_id_and_another_event_gets_another()
    {
        string follow = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now, 102, "add_follow");
        StreamEvent first = Safe().Parse(WeChatMessagePush.Safe(Token, Key, App, follow, Now, "n1"), "WeChat");
        _clock.Advance(TimeSpan.FromSeconds(5));
        // WeChat retries with a new timestamp, nonce and encryption (a new random prefix).
        StreamEvent again = Safe().Parse(WeChatMessagePush.Safe(Token, Key, App, follow, Now, "n9"), "WeChat");
        string unfollow = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now, 102, "del_follow");
        StreamEvent other = Safe().Parse(WeChatMessagePush.Safe(Token, Key, App, unfollow, Now, "n10"), "WeChat");

        again.EventId.Should().Be(first.EventId);
        other.EventId.Should().NotBe(first.EventId);
        first.EventId.Should().StartWith("wechat:");
    }

    [Fact]
    public void The_url_check_answers_with_echostr_only_when_signed()
    {
        CallbackRequest check = WeChatMessagePush.UrlCheck(Token, Now, "n4", "echo-1234");

        Plain().VerifyUrl(check, "WeChat").Should().Be("echo-1234");
        Plain().Parse(check, "WeChat").VendorEventType.Should().Be("url_check");

        CallbackRequest forged = check with { Query = new Dictionary<string, string>(check.Query) { ["signature"] = new string('0', 40) } };
        Action verify = () => Plain().VerifyUrl(forged, "WeChat");
        verify.Should().Throw<CallbackVerificationException>().WithMessage("*signature*");
    }

    public static TheoryData<string, Func<CallbackRequest, CallbackRequest>> Forgeries() => new()
    {
        { "a signature one character off", r => With(r, "signature", Tamper.OffByOne(r.Query["signature"])) },
        { "no signature", r => Without(r, "signature") },
        { "no timestamp", r => Without(r, "timestamp") },
        { "a timestamp that is not a number", r => With(r, "timestamp", "1e300") },
        { "a lone surrogate in the nonce", r => With(r, "nonce", "\ud800") },
        { "another Token's signature", r => With(r, "signature", WeChatMessagePush.Signature("other", r.Query["timestamp"], r.Query["nonce"])) },
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Unsigned_or_forged_messages_are_refused(string why, Func<CallbackRequest, CallbackRequest> forge)
    {
        CallbackRequest good = WeChatMessagePush.Plain(Token, WeChatMessagePush.FollowNotify(6209, "oViewer1", Now), Now, "n5");
        Action parse = () => Plain().Parse(forge(good), "WeChat");
        parse.Should().Throw<CallbackVerificationException>(why).Which.Provider.Should().Be("WeChat");
    }

    [Fact]
    public void Stale_and_future_timestamps_are_refused()
    {
        string message = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now);
        Action stale = () => Plain().Parse(WeChatMessagePush.Plain(Token, message, Now - 301, "n6"), "WeChat");
        Action future = () => Plain().Parse(WeChatMessagePush.Plain(Token, message, Now + 301, "n6"), "WeChat");
        Action huge = () => Plain().Parse(WeChatMessagePush.Plain(Token, message, 999_999_999_999, "n6"), "WeChat");

        stale.Should().Throw<CallbackVerificationException>().WithMessage("*timestamp*");
        future.Should().Throw<CallbackVerificationException>().WithMessage("*timestamp*");
        huge.Should().Throw<CallbackVerificationException>();
        Plain().Parse(WeChatMessagePush.Plain(Token, message, Now - 299, "n6"), "WeChat").Kind.Should().Be(StreamEventKind.Other);
    }

    [Fact]
    public void Safe_mode_refuses_plain_messages_and_plain_mode_refuses_encrypted_ones()
    {
        string message = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now);
        Action plainToSafe = () => Safe().Parse(WeChatMessagePush.Plain(Token, message, Now, "n7"), "WeChat");
        Action safeToPlain = () => Plain().Parse(WeChatMessagePush.Safe(Token, Key, App, message, Now, "n7"), "WeChat");

        plainToSafe.Should().Throw<CallbackVerificationException>().WithMessage("*not encrypted*");
        safeToPlain.Should().Throw<CallbackVerificationException>().WithMessage("*no EncodingAESKey*");
    }

    [Fact]
    public void Encrypted_messages_for_another_app_or_key_or_with_a_spoilt_msg_signature_are_refused()
    {
        string message = WeChatMessagePush.FollowNotify(6209, "oViewer1", Now);
        CallbackRequest otherApp = WeChatMessagePush.Safe(Token, Key, "wx0000000000000000", message, Now, "n8");
        CallbackRequest otherKey = WeChatMessagePush.Safe(Token, "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut", App, message, Now, "n8");
        CallbackRequest good = WeChatMessagePush.Safe(Token, Key, App, message, Now, "n8");
        CallbackRequest spoilt = With(good, "msg_signature", Tamper.OffByOne(good.Query["msg_signature"]));
        CallbackRequest swapped = good with { Body = otherApp.Body };

        foreach ((string why, CallbackRequest request) in new[] { ("another AppID", otherApp), ("another key", otherKey), ("a spoilt msg_signature", spoilt), ("a body swapped under the query", swapped) })
        {
            Action parse = () => Safe().Parse(request, "WeChat");
            parse.Should().Throw<CallbackVerificationException>(why);
        }
    }

    public static TheoryData<string, string> MalformedMessages() => new()
    {
        { "a lone surrogate in room_id", """{"MsgType":"event","Event":"wxalive_follow_notify","CreateTime":1795507200,"FollowNotify":{"room_id":"\ud800","action":"add_follow"}}""" },
        { "a lone surrogate in the action", """{"MsgType":"event","Event":"wxalive_follow_notify","CreateTime":1795507200,"FollowNotify":{"room_id":6209,"action":"\ud800"}}""" },
        { "an absurd room_id", """{"MsgType":"event","Event":"wxalive_follow_notify","CreateTime":1795507200,"FollowNotify":{"room_id":1e300,"action":"add_follow"}}""" },
        { "an infinite time", """{"MsgType":"event","Event":"wxalive_follow_notify","CreateTime":1795507200,"FollowNotify":{"room_id":6209,"time":"Infinity"}}""" },
        { "a huge Unix time", """{"MsgType":"event","Event":"text","CreateTime":99999999999999999}""" },
        { "no FollowNotify", """{"MsgType":"event","Event":"wxalive_follow_notify","CreateTime":1795507200}""" },
        { "not JSON", "{\"MsgType\":" },
        { "a JSON array", "[1,2]" },
        { "a DTD", "<!DOCTYPE xml [<!ENTITY x \"y\">]><xml><MsgType>&x;</MsgType></xml>" },
    };

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void A_verified_but_malformed_message_is_an_argument_exception_and_the_same_unsigned_is_refused(string why, string body)
    {
        Action verified = () => Plain().Parse(WeChatMessagePush.Plain(Token, body, Now, "n11"), "WeChat");
        verified.Should().Throw<ArgumentException>(why).Which.Should().NotBeOfType<ArgumentNullException>();

        CallbackRequest unsigned = Without(WeChatMessagePush.Plain(Token, body, Now, "n11"), "signature");
        Action refused = () => Plain().Parse(unsigned, "WeChat");
        refused.Should().Throw<CallbackVerificationException>(why);

        Action encrypted = () => Safe().Parse(WeChatMessagePush.Safe(Token, Key, App, body, Now, "n12"), "WeChat");
        encrypted.Should().Throw<ArgumentException>(why);
    }

    [Fact]
    public void An_undecodable_encrypted_body_is_refused_before_verification()
    {
        CallbackRequest good = WeChatMessagePush.Safe(Token, Key, App, "{}", Now, "n13");
        foreach (string body in new[] { "not json", "{\"Encrypt\":\"\\ud800\"}", "{\"ToUserName\":\"gh\"}", "<xml><Encrypt>" })
        {
            Action parse = () => Safe().Parse(good with { Body = body }, "WeChat");
            parse.Should().Throw<CallbackVerificationException>(body);
        }
    }

    [Fact]
    public async Task Through_MapLiveCloudCallbacks_a_message_is_verified_and_handed_to_observers_and_the_url_check_is_echoed()
    {
        var observer = new Recorder();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveCloud:Provider"] = "WeChat",
            ["LiveCloud:WeChat:AppId"] = App,
            ["LiveCloud:WeChat:AppSecret"] = WeChatLiveEmulator.AppSecret,
            ["LiveCloud:WeChat:MessageToken"] = Token,
            ["LiveCloud:WeChat:EncodingAesKey"] = Key,
        }).Build();
        builder.Services.AddLiveCloud(config.GetSection("LiveCloud")).AddWeChatLive();
        builder.Services.AddSingleton<IStreamEventObserver>(observer);
        await using WebApplication app = builder.Build();
        // WeChat's URL check wants echostr back as the body, which MapLiveCloudCallbacks (204) cannot send: a GET route of its own.
        app.MapGet("/api/callbacks/wechat", (HttpRequest request, [FromKeyedServices("WeChat")] IStreamProvider provider) =>
        {
            var check = new CallbackRequest { Method = "GET", Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()) };
            try
            {
                return Results.Text(provider.GetService<WeChatCallbackVerifier>()!.VerifyUrl(check, provider.Name));
            }
            catch (CallbackVerificationException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
        });
        app.MapLiveCloudCallbacks();
        await app.StartAsync();
        using var http = new HttpClient();
        var url = new Uri(app.Urls.First() + "/api/callbacks/wechat");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        (int status, string body) = await WeChatMessagePush.DeliverAsync(http, url, WeChatMessagePush.UrlCheck(Token, now, "n20", "echo-5678"));
        status.Should().Be(200);
        body.Should().Be("echo-5678");

        string follow = WeChatMessagePush.FollowNotify(6209, "oViewer1", now);
        (status, _) = await WeChatMessagePush.DeliverAsync(http, url, WeChatMessagePush.Safe(Token, Key, App, follow, now, "n21"));
        status.Should().Be((int)HttpStatusCode.NoContent);
        observer.Events.Should().ContainSingle().Which.Should().Match<StreamEvent>(e => e.VendorEventType == "wxalive_follow_notify" && e.Stream.Name == App + "-6209");

        (status, _) = await WeChatMessagePush.DeliverAsync(http, url, WeChatMessagePush.Safe("wrong-token", Key, App, follow, now, "n22"));
        status.Should().Be((int)HttpStatusCode.Forbidden);
        (status, _) = await WeChatMessagePush.DeliverAsync(http, url, WeChatMessagePush.Safe(Token, Key, App, "{\"Event\":\"wxalive_follow_notify\"}", now, "n23"));
        status.Should().Be((int)HttpStatusCode.BadRequest);
        observer.Events.Should().HaveCount(1);
        await app.StopAsync();
    }

    private static CallbackRequest With(CallbackRequest request, string key, string value) =>
        request with { Query = new Dictionary<string, string>(request.Query) { [key] = value } };

    private static CallbackRequest Without(CallbackRequest request, string key) =>
        request with { Query = request.Query.Where(p => p.Key != key).ToDictionary(p => p.Key, p => p.Value) };

    private sealed class Recorder : IStreamEventObserver
    {
        public List<StreamEvent> Events { get; } = [];

        public ValueTask<StreamEventDecision> HandleAsync(StreamEvent streamEvent, CancellationToken cancellationToken)
        {
            lock (Events)
            {
                Events.Add(streamEvent);
            }

            return ValueTask.FromResult(StreamEventDecision.Accept);
        }
    }
}
