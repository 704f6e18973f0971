using System.Text.Json.Nodes;
using LiveCloud.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>The referee package: pinned exactly, installed as pinned, and every SDK in it loads.</summary>
public sealed class RefereePackageTests
{
    private static JsonObject Dependencies() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(NodeReferee.Folder, "package.json")))!["dependencies"]!.AsObject();

    [Fact]
    public void Every_sdk_is_pinned_to_an_exact_version_and_locked()
    {
        JsonObject dependencies = Dependencies();
        dependencies.Select(d => d.Key).Should().Contain(["tencentcloud-sdk-nodejs-common", "tencentcloud-sdk-nodejs", "@alicloud/pop-core", "@alicloud/openapi-client",
            "qiniu", "tls-sig-api-v2", "@volcengine/openapi", "@huaweicloud/huaweicloud-sdk-core", "uuid"]);
        dependencies.Should().OnlyContain(d => System.Text.RegularExpressions.Regex.IsMatch((string)d.Value!, @"^\d+\.\d+\.\d+$"), "exact versions, no ranges");
        File.Exists(Path.Combine(NodeReferee.Folder, "package-lock.json")).Should().BeTrue("npm ci installs from the lock file");
    }

    [SkippableFact]
    [Trait("Category", RealParts.Category)]
    public async Task Every_sdk_loads_at_its_pinned_version()
    {
        JsonObject output = await NodeReferee.RunAsync("sdks.js", []);

        JsonObject versions = output["versions"]!.AsObject();
        foreach ((string name, JsonNode? pinned) in Dependencies())
        {
            ((string?)versions[name]).Should().Be((string?)pinned, name);
        }
    }
}
