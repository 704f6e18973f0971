using System.Text.Json.Nodes;
using LiveCloud.Testing;
using LiveCloud.Testing.Emulators.TencentIm;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// Tencent Cloud IM's REST calls the adapter makes (create_group, send_group_msg, destroy_group), signed in with
/// UserSigs the official <c>tls-sig-api-v2</c> package makes, against the emulator: its UserSigs must be accepted, and
/// expired, foreign-key and other-user ones refused with IM's documented codes.
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class TencentImRefereeTests(TencentImRefereeTests.Run run) : IClassFixture<TencentImRefereeTests.Run>
{
    /// <summary>The emulator's clock, and the SDK's.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The emulator, the steps taken and what they answered.</summary>
    public sealed class Run : IAsyncLifetime
    {
        private TencentImEmulator? _emulator;

        public JsonObject Output { get; private set; } = [];

        public TencentImEmulator Emulator => _emulator!;

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            _emulator = await TencentImEmulator.StartAsync(new FakeTimeProvider(Now));
            JsonObject Step(string name, string command, JsonObject body, string? userSig = null) =>
                Json.Obj(("name", name), ("command", command), ("body", body), ("userSig", userSig));
            JsonObject message = Json.Obj(
                ("GroupId", "room-referee"),
                ("Random", 4294967295L),
                ("MsgBody", Json.Arr(Json.Obj(("MsgType", "TIMTextElem"), ("MsgContent", Json.Obj(("Text", "你好 * ( ) ! ' ~ + 🎉")))))));
            JsonArray steps =
            [
                Step("create", "create_group", Json.Obj(("Type", "AVChatRoom"), ("Name", "直播间 referee"), ("GroupId", "room-referee"))),
                Step("create-again", "create_group", Json.Obj(("Type", "AVChatRoom"), ("Name", "直播间 referee"), ("GroupId", "room-referee"))),
                Step("send", "send_group_msg", message),
                Step("send-as-user", "send_group_msg", (JsonObject)message.DeepClone().AsObject().Also(m => m["From_Account"] = "viewer_1")),
                Step("destroy", "destroy_group", Json.Obj(("GroupId", "room-referee"))),
                Step("destroy-again", "destroy_group", Json.Obj(("GroupId", "room-referee"))),
                Step("expired", "destroy_group", Json.Obj(("GroupId", "room-referee")), "expired"),
                Step("wrong-key", "destroy_group", Json.Obj(("GroupId", "room-referee")), "wrong-key"),
                Step("other-user", "destroy_group", Json.Obj(("GroupId", "room-referee")), "other-user"),
            ];
            Output = await NodeReferee.RunAsync("tencent-im.js", Json.Obj(
                ("port", _emulator.Endpoint.Port),
                ("now", Now.ToString("O")),
                ("sdkAppId", TencentImEmulator.SdkAppId),
                ("secretKey", TencentImEmulator.SecretKey),
                ("admin", TencentImEmulator.Admin),
                ("steps", steps)));
        }

        public async Task DisposeAsync()
        {
            if (_emulator is not null)
            {
                await _emulator.DisposeAsync();
            }
        }
    }

    private JsonNode Ok(string step)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((bool)result["ok"]!).Should().BeTrue($"the emulator accepted {step}: {result.ToJsonString()}");
        ((int)result["body"]!["ErrorCode"]!).Should().Be(0);
        return result["body"]!;
    }

    private void Error(string step, int code)
    {
        NodeReferee.Require();
        JsonObject result = NodeReferee.Step(run.Output, step);
        ((string?)result["body"]!["ActionStatus"]).Should().Be("FAIL", result.ToJsonString());
        ((int)result["body"]!["ErrorCode"]!).Should().Be(code, result.ToJsonString());
        ((int)result["status"]!).Should().Be(200, "IM answers its errors inside an HTTP 200");
    }

    [SkippableFact]
    public void The_calls_reach_only_the_emulator_under_the_production_host()
    {
        NodeReferee.Require();
        run.Output["hosts"]!.AsArray().Select(h => (string?)h).Should().Equal("console.tim.qq.com");
        run.Emulator.Requests.Should().HaveCount(run.Output["results"]!.AsArray().Count);
        run.Emulator.Requests.Select(r => r.PathAndQuery.Split('?')[0]).Distinct().Should().BeEquivalentTo(
            ["/v4/group_open_http_svc/create_group", "/v4/group_open_http_svc/send_group_msg", "/v4/group_open_http_svc/destroy_group"],
            "the three calls TencentImClient makes");
    }

    [SkippableFact]
    public void A_group_is_created_messaged_and_dismissed_with_the_official_UserSig()
    {
        ((string?)Ok("create")["GroupId"]).Should().Be("room-referee");
        Error("create-again", 10021);
        ((long)Ok("send")["MsgSeq"]!).Should().Be(1);
        ((long)Ok("send")["MsgTime"]!).Should().Be(Now.ToUnixTimeSeconds());
        Ok("send-as-user");
        run.Emulator.Messages["room-referee"].Select(m => m.From).Should().Equal(TencentImEmulator.Admin, "viewer_1");
        run.Emulator.Messages["room-referee"].Should().OnlyContain(m => m.Text == "你好 * ( ) ! ' ~ + 🎉" && m.Random == uint.MaxValue);
        Ok("destroy");
        Error("destroy-again", 10010);
    }

    [SkippableFact]
    public void Expired_foreign_key_and_other_user_UserSigs_are_refused_with_IMs_codes()
    {
        Error("expired", 70001);
        Error("wrong-key", 70009);
        Error("other-user", 70013);
    }
}

internal static class JsonNodeExtensions
{
    /// <summary>Applies <paramref name="change"/> to <paramref name="node"/> and returns it.</summary>
    public static T Also<T>(this T node, Action<T> change)
    {
        change(node);
        return node;
    }
}
