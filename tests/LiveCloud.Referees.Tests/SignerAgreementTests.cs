using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using LiveCloud.Aliyun.Signing;
using LiveCloud.Huawei;
using LiveCloud.Qiniu;
using LiveCloud.Tencent;
using LiveCloud.Tencent.Im;
using LiveCloud.Testing;
using LiveCloud.Volcengine;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// LiveCloud's signers against the official SDKs' own signing code, byte for byte, for the same inputs (fixed time,
/// nonce and body bytes): Tencent's <c>Sign.sign3</c>, Aliyun's <c>OpenApiUtil.getAuthorization</c>,
/// <c>OpenApiUtil.getRPCSignature</c> and pop-core's request path, Qiniu's <c>generateAccessTokenV2</c>, and
/// <c>tls-sig-api-v2</c>'s UserSigs (compared decoded: JSON key order and zlib bytes legitimately differ).
/// </summary>
[Trait("Category", RealParts.Category)]
public sealed class SignerAgreementTests(SignerAgreementTests.Referee referee) : IClassFixture<SignerAgreementTests.Referee>
{
    /// <summary>One run of tests/referees/signers.js over every case.</summary>
    public sealed class Referee : IAsyncLifetime
    {
        public JsonObject Results { get; private set; } = [];

        public async Task InitializeAsync()
        {
            if (NodeReferee.MissingReason is not null && !RealParts.UnderCi)
            {
                return;
            }

            JsonObject output = await NodeReferee.RunAsync("signers.js", Json.Obj(
                ("tencent", new JsonArray([.. SignerCases.Tencent.Select(c => c.DeepClone())])),
                ("acs3", new JsonArray([.. SignerCases.Acs3.Select(c => c.DeepClone())])),
                ("rpc", new JsonArray([.. SignerCases.Rpc.Select(c => c.DeepClone())])),
                ("qiniu", new JsonArray([.. SignerCases.Qiniu.Select(c => c.DeepClone())])),
                ("usersig", new JsonArray([.. SignerCases.UserSig.Select(c => c.DeepClone())])),
                ("volcengine", new JsonArray([.. SignerCases.Volcengine.Select(c => c.DeepClone())])),
                ("huawei", new JsonArray([.. SignerCases.Huawei.Select(c => c.DeepClone())]))));
            Results = output["results"]!.AsObject();
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private JsonObject Official(string id)
    {
        NodeReferee.Require();
        return referee.Results[id]?.AsObject() ?? throw new InvalidOperationException($"The referee reported nothing for {id}.");
    }

    public static TheoryData<string> TencentCases => SignerCases.Ids(SignerCases.Tencent);

    public static TheoryData<string> Acs3Cases => SignerCases.Ids(SignerCases.Acs3);

    public static TheoryData<string> RpcCases => SignerCases.Ids(SignerCases.Rpc);

    public static TheoryData<string> QiniuCases => SignerCases.Ids(SignerCases.Qiniu);

    public static TheoryData<string> UserSigCases => SignerCases.Ids(SignerCases.UserSig);

    public static TheoryData<string> VolcengineCases => SignerCases.Ids(SignerCases.Volcengine);

    public static TheoryData<string> HuaweiCases => SignerCases.Ids(SignerCases.Huawei);

    [SkippableTheory]
    [MemberData(nameof(TencentCases))]
    public void Tc3Signer_signs_as_Tencents_sign3(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Tencent, id);
        var signer = new Tc3Signer((string)c["secretId"]!, (string)c["secretKey"]!, (string)c["service"]!);
        Tc3Signature ours = signer.Sign((string)c["host"]!, (string)c["contentType"]!, Convert.FromBase64String((string)c["payloadBase64"]!), action: null, (long)c["timestamp"]!);

        ours.Authorization.Should().Be((string?)Official(id)["authorization"]);
    }

    [SkippableTheory]
    [MemberData(nameof(Acs3Cases))]
    public void AliyunAcs3Signer_signs_as_OpenApiUtil_getAuthorization(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Acs3, id);
        Acs3Signature ours = AliyunAcs3Signer.Sign((string)c["method"]!, "/", Pairs(c["query"]), Pairs(c["headers"]), (string)c["accessKeyId"]!, (string)c["secret"]!);

        ours.Authorization.Should().Be((string?)Official(id)["authorization"]);
    }

    [SkippableTheory]
    [MemberData(nameof(RpcCases))]
    public void AliyunRpcV1Signer_signs_as_pop_core_and_OpenApiUtil(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Rpc, id);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("Action", (string)c["action"]!), new("Format", "JSON"), new("Version", (string)c["version"]!), new("Timestamp", (string)c["timestamp"]!),
            new("SignatureMethod", AliyunRpcV1Signer.SignatureMethod), new("SignatureVersion", AliyunRpcV1Signer.SignatureVersion),
            new("SignatureNonce", (string)c["nonce"]!), new("AccessKeyId", (string)c["accessKeyId"]!),
        };
        if ((string?)c["securityToken"] is { } token)
        {
            parameters.Add(new("SecurityToken", token));
        }

        parameters.AddRange(Pairs(c["params"]));
        string ours = AliyunRpcV1Signer.Sign((string)c["method"]!, parameters, (string)c["secret"]!);

        JsonObject official = Official(id);
        ours.Should().Be((string?)official["popCore"], "pop-core's request path");
        ours.Should().Be((string?)official["openApi"], "openapi-util's getRPCSignature");
    }

    [SkippableTheory]
    [MemberData(nameof(QiniuCases))]
    public void QiniuToken_signs_as_generateAccessTokenV2(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Qiniu, id);
        var token = new QiniuToken((string)c["accessKey"]!, (string)c["secretKey"]!);
        string ours = token.SignRequest((string)c["method"]!, (string)c["pathAndQuery"]!, (string)c["host"]!, (string?)c["libraryContentType"] ?? (string?)c["contentType"], Encoding.UTF8.GetBytes((string)c["body"]!), Pairs(c["headers"]));

        ours.Should().Be((string?)Official(id)["authorization"]);
    }

    [SkippableTheory]
    [MemberData(nameof(UserSigCases))]
    public void The_official_UserSig_is_accepted_and_decodes_to_the_same_fields(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.UserSig, id);
        JsonObject official = Official(id);
        JsonObject doc = official["document"]!.AsObject();
        long time = (long)c["time"]!;
        bool withUserBuf = c["room"] is not null;
        var verifier = new UserSigVerifier((long)c["sdkAppId"]!, (string)c["key"]!, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(time)));

        UserSigVerification verification = verifier.Verify((string)official["sig"]!, (string)c["identifier"]!, withUserBuf);

        verification.IsValid.Should().BeTrue(verification.Reason);
        UserSigDocument decoded = verification.Document!;
        decoded.Version.Should().Be((string?)doc["TLS.ver"]);
        decoded.Identifier.Should().Be((string?)doc["TLS.identifier"]);
        decoded.SdkAppId.Should().Be((long)doc["TLS.sdkappid"]!);
        decoded.Time.Should().Be((long)doc["TLS.time"]!).And.Be(time);
        decoded.Expire.Should().Be((long)doc["TLS.expire"]!);
        decoded.Signature.Should().Be((string?)doc["TLS.sig"]);
        (decoded.UserBuf is null ? null : Convert.ToBase64String(decoded.UserBuf)).Should().Be((string?)doc["TLS.userbuf"]);
    }

    [SkippableTheory]
    [MemberData(nameof(UserSigCases))]
    public void UserSig_Create_makes_the_same_document_as_the_official_library(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.UserSig, id);
        JsonObject doc = Official(id)["document"]!.AsObject();
        byte[] userBuf = (string?)doc["TLS.userbuf"] is { } b ? Convert.FromBase64String(b) : [];

        string ours = UserSig.Create((long)c["sdkAppId"]!, (string)c["key"]!, (string)c["identifier"]!, (long)c["time"]!, (long)c["expire"]!, userBuf);

        // Decoded here with the framework's zlib, not the library's decoder.
        byte[] compressed = Convert.FromBase64String(ours.Replace('*', '+').Replace('-', '/').Replace('_', '='));
        using var inflate = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        JsonObject mine = JsonNode.Parse(inflate)!.AsObject();
        mine.Select(p => p.Key).Should().BeEquivalentTo(doc.Select(p => p.Key), "the same fields (their order may differ)");
        foreach ((string key, JsonNode? value) in doc)
        {
            mine[key]!.ToJsonString().Should().Be(value!.ToJsonString(), key);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(VolcengineCases))]
    public void VolcengineRequestSigner_signs_as_the_npm_sdks_Signer(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Volcengine, id);
        var query = new List<KeyValuePair<string, string>>();
        foreach ((string name, JsonNode? value) in c["query"]!.AsObject())
        {
            query.AddRange(value is JsonArray values ? values.Select(v => new KeyValuePair<string, string>(name, (string)v!)) : [new(name, (string)value!)]);
        }

        string xDate = VolcengineRequestSigner.FormatXDate(DateTimeOffset.Parse((string)c["date"]!, System.Globalization.CultureInfo.InvariantCulture));
        string? body = (string?)c["body"];
        string bodyHash = string.IsNullOrEmpty(body) ? VolcengineRequestSigner.EmptyBodySha256 : VolcengineRequestSigner.Sha256Hex(Encoding.UTF8.GetBytes(body));

        // The npm SDK's header set: the headers it was given, X-Date, X-Content-Sha256 with a body, X-Security-Token with STS.
        List<KeyValuePair<string, string>> headers = [.. Pairs(c["headers"]), new("x-date", xDate)];
        if (!string.IsNullOrEmpty(body))
        {
            headers.Add(new("x-content-sha256", bodyHash));
        }

        if ((string?)c["token"] is { } token)
        {
            headers.Add(new("x-security-token", token));
        }

        var signer = new VolcengineRequestSigner((string)c["accessKeyId"]!, (string)c["secret"]!, (string)c["region"]!, (string)c["service"]!);
        VolcengineSignature ours = signer.Sign((string)c["method"]!, "/", VolcengineRequestSigner.CanonicalQuery(query), headers, bodyHash, xDate);

        ours.Authorization.Should().Be((string?)Official(id)["authorization"]);
    }

    [SkippableTheory]
    [MemberData(nameof(HuaweiCases))]
    public void HuaweiApiSigner_signs_as_the_sdk_cores_AKSKSigner(string id)
    {
        JsonObject c = SignerCases.Case(SignerCases.Huawei, id);
        JsonObject official = Official(id);
        var query = new List<KeyValuePair<string, string>>();
        foreach ((string name, JsonNode? value) in c["query"]!.AsObject())
        {
            query.AddRange(value is JsonArray values ? values.Select(v => new KeyValuePair<string, string>(name, (string)v!)) : [new(name, (string)value!)]);
        }

        // The headers the SDK signs: the request's, host and the X-Sdk-Date it stamped (the clock was set to the case's date).
        ((string?)official["sdkDate"]).Should().Be(DateTimeOffset.Parse((string)c["date"]!, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime.ToString(HuaweiApiSigner.DateFormat, System.Globalization.CultureInfo.InvariantCulture));
        List<KeyValuePair<string, string>> headers = [.. Pairs(c["headers"]), new("host", (string)c["host"]!), new("x-sdk-date", (string)official["sdkDate"]!)];
        byte[] body = (string?)official["body"] is { } text ? Encoding.UTF8.GetBytes(text) : [];

        HuaweiSignature ours = HuaweiApiSigner.Sign((string)c["method"]!, (string)c["path"]!, query, headers, body, (string)c["ak"]!, (string)c["sk"]!);

        ours.Authorization.Should().Be((string?)official["authorization"]);
    }

    [SkippableFact]
    public void The_verifier_refuses_the_official_UserSig_for_another_key_user_or_time()
    {
        JsonObject c = SignerCases.Case(SignerCases.UserSig, "usersig-admin");
        string sig = (string)Official("usersig-admin")["sig"]!;
        long time = (long)c["time"]!;
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(time));

        new UserSigVerifier((long)c["sdkAppId"]!, (string)c["key"]! + "0", clock).Verify(sig, "administrator").Failure.Should().Be(UserSigFailure.BadSignature);
        new UserSigVerifier((long)c["sdkAppId"]!, (string)c["key"]!, clock).Verify(sig, "someone").Failure.Should().Be(UserSigFailure.WrongIdentifier);
        new UserSigVerifier((long)c["sdkAppId"]!, (string)c["key"]!, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(time + 86401))).Verify(sig, "administrator").Failure.Should().Be(UserSigFailure.Expired);
    }

    [Fact]
    public void There_are_at_least_20_cases_per_signer()
    {
        SignerCases.Tencent.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.Acs3.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.Rpc.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.Qiniu.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.UserSig.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.Volcengine.Should().HaveCountGreaterThanOrEqualTo(20);
        SignerCases.Huawei.Should().HaveCountGreaterThanOrEqualTo(20);
    }

    private static List<KeyValuePair<string, string>> Pairs(JsonNode? node) =>
        node is JsonObject o ? [.. o.Select(p => new KeyValuePair<string, string>(p.Key, (string)p.Value!))] : [];
}
