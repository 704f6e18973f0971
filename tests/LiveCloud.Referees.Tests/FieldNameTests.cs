using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LiveCloud.Testing;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// The field tables (<see cref="FieldTable"/>) against the vendors' own models: every field the adapters send or
/// read exists there with the same casing and type (or is recorded as absent, with why, and really is absent).
/// Aliyun's and Qiniu's models are recorded files, so these need no Node.js; Tencent's are read from the installed
/// SDK (<see cref="TencentFieldModelTests"/>). <see cref="AdapterFieldTests"/> holds the tables to the adapters.
/// </summary>
public sealed class FieldModelTests
{
    public static TheoryData<string> AliyunActions => [.. FieldTable.Aliyun.Select(a => a.Action)];

    public static TheoryData<string> QiniuActions => [.. FieldTable.Qiniu.Select(a => a.Action)];

    public static TheoryData<string> VolcengineActions => [.. FieldTable.Volcengine.Select(a => a.Action)];

    public static TheoryData<string> HuaweiActions => [.. FieldTable.Huawei.Select(a => a.Action)];

    [Theory]
    [MemberData(nameof(AliyunActions))]
    public void Aliyun_fields_are_in_the_official_TypeScript_models(string action) =>
        ModelProblems(FieldTable.Aliyun.Single(a => a.Action == action), VendorModels.Aliyun).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(QiniuActions))]
    public void Qiniu_fields_are_in_the_official_Go_models(string action) =>
        ModelProblems(FieldTable.Qiniu.Single(a => a.Action == action), VendorModels.Qiniu).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(VolcengineActions))]
    public void Volcengine_fields_are_in_the_official_Go_models(string action) =>
        ModelProblems(FieldTable.Volcengine.Single(a => a.Action == action), VendorModels.Volcengine).Should().BeEmpty();

    [Theory]
    [MemberData(nameof(HuaweiActions))]
    public void Huawei_fields_are_in_the_official_Go_models(string action) =>
        ModelProblems(FieldTable.Huawei.Single(a => a.Action == action), VendorModels.Huawei).Should().BeEmpty();

    [Fact]
    public void A_misspelt_or_retyped_field_is_caught()
    {
        var misspelt = new ActionFields("GetHub", null, "GetHubInfoResponse", [], ["name:string", "storageBucket:number"]);
        ModelProblems(misspelt, VendorModels.Qiniu).Should().HaveCount(2);
        AnswerShape.Extras(JsonNode.Parse("""{"hubName":"h","name":"h","domains":[{"domain":"d","disable":true}]}"""), VendorModels.Qiniu, "GetHubInfoResponse")
            .Should().Equal("GetHubInfoResponse: name", "HubDomain: domains[].disable");
        AnswerShape.Problems(JsonNode.Parse("""{"items":[{"key":1}]}"""), new ActionFields("ListStreams", null, null, [], ["items[].key:string", "marker:string"]))
            .Should().HaveCount(2, "a number where the model has a string, and a missing marker");
    }

    /// <summary>What is wrong with a table row against the vendor's models.</summary>
    public static IEnumerable<string> ModelProblems(ActionFields fields, VendorModels models)
    {
        foreach ((string? model, string[] entries) in new[] { (fields.RequestModel, fields.Sent), (fields.ResponseModel, fields.Read) })
        {
            if (model is not null && !models.Has(model))
            {
                yield return $"{fields.Action}: the vendor has no model {model}";
                continue;
            }

            foreach (string entry in entries)
            {
                string path = ActionFields.PathOf(entry);
                string? type = model is null ? null : models.Resolve(model, path, out _);
                if (fields.IsNotInModel(path))
                {
                    if (type is not null)
                    {
                        yield return $"{fields.Action}: {path} is recorded as absent from {model}, but the model has it ({type}): update the table";
                    }
                }
                else if (type is null)
                {
                    models.Resolve(model ?? "(none)", path, out string? missing);
                    yield return $"{fields.Action}: {path} is not in the vendor's model ({missing})";
                }
                else if (type != ActionFields.TypeOf(entry))
                {
                    yield return $"{fields.Action}: {path} is {type} in the vendor's model, {ActionFields.TypeOf(entry)} in the table";
                }
            }
        }

        foreach (string note in fields.NotInModel ?? [])
        {
            string path = note[..note.IndexOf(':', StringComparison.Ordinal)];
            if (path == "*")
            {
                if (fields.RequestModel is not null || fields.ResponseModel is not null)
                {
                    yield return $"{fields.Action}: a row with a vendor model cannot be noted as modelled nowhere";
                }

                continue;
            }

            if (!fields.Sent.Concat(fields.Read).Any(e => ActionFields.PathOf(e) == path))
            {
                yield return $"{fields.Action}: the note on {path} names no field of the row";
            }
        }
    }
}

/// <summary>Tencent's rows against <c>live_models.d.ts</c> of the installed <c>tencentcloud-sdk-nodejs</c>.</summary>
[Trait("Category", RealParts.Category)]
public sealed class TencentFieldModelTests
{
    public static TheoryData<string> Actions => [.. FieldTable.Tencent.Select(a => a.Action)];

    [SkippableTheory]
    [MemberData(nameof(Actions))]
    public void Tencent_fields_are_in_the_official_TypeScript_models(string action)
    {
        NodeReferee.Require();
        FieldModelTests.ModelProblems(FieldTable.Tencent.Single(a => a.Action == action), VendorModels.Tencent).Should().BeEmpty();
    }
}

/// <summary>
/// The tables against the adapters themselves: what each API client puts on the wire (every call made against the
/// emulators with every optional field set) is exactly a row's <see cref="ActionFields.Sent"/>, and the field names its
/// source reads are exactly the rows' <see cref="ActionFields.Read"/> names (plus the error envelope).
/// </summary>
public sealed partial class AdapterFieldTests
{
    [Fact]
    public async Task Tencent_sends_exactly_the_tabled_fields()
    {
        Dictionary<string, HashSet<string>> sent = await AdapterCalls.TencentAsync();
        SentProblems(FieldTable.Tencent, sent).Should().BeEmpty();
    }

    [Fact]
    public async Task Aliyun_sends_exactly_the_tabled_fields()
    {
        Dictionary<string, HashSet<string>> sent = await AdapterCalls.AliyunAsync();
        SentProblems(FieldTable.Aliyun, sent).Should().BeEmpty();
    }

    [Fact]
    public async Task Qiniu_sends_exactly_the_tabled_fields()
    {
        Dictionary<string, HashSet<string>> sent = await AdapterCalls.QiniuAsync();
        SentProblems(FieldTable.Qiniu, sent).Should().BeEmpty();
    }

    [Fact]
    public async Task Volcengine_sends_exactly_the_tabled_fields()
    {
        Dictionary<string, HashSet<string>> sent = await AdapterCalls.VolcengineAsync();
        SentProblems(FieldTable.Volcengine, sent).Should().BeEmpty();
    }

    [Fact]
    public async Task Huawei_sends_exactly_the_tabled_fields()
    {
        Dictionary<string, HashSet<string>> sent = await AdapterCalls.HuaweiAsync();
        SentProblems(FieldTable.Huawei, sent).Should().BeEmpty();
    }

    [Theory]
    [InlineData("LiveCloud.Tencent/TencentApiClient.cs", "Tencent")]
    [InlineData("LiveCloud.Aliyun/AliyunApiClient.cs", "Aliyun")]
    [InlineData("LiveCloud.Qiniu/QiniuApiClient.cs", "Qiniu")]
    [InlineData("LiveCloud.Volcengine/VolcengineApiClient.cs", "Volcengine")]
    [InlineData("LiveCloud.Huawei/HuaweiApiClient.cs", "Huawei")]
    public void The_adapter_reads_exactly_the_tabled_fields(string source, string vendor)
    {
        (ActionFields[] table, string[] envelope) = vendor switch
        {
            "Tencent" => (FieldTable.Tencent, FieldTable.TencentEnvelope),
            "Aliyun" => (FieldTable.Aliyun, FieldTable.AliyunEnvelope),
            "Qiniu" => (FieldTable.Qiniu, FieldTable.QiniuEnvelope),
            "Volcengine" => (FieldTable.Volcengine, FieldTable.VolcengineEnvelope),
            _ => (FieldTable.Huawei, FieldTable.HuaweiEnvelope),
        };
        HashSet<string> read = ReadNames(File.ReadAllText(Path.Combine(NodeReferee.RepositoryRoot, "src", source)));
        HashSet<string> tabled = [.. table.SelectMany(a => a.Read).SelectMany(e => ActionFields.PathOf(e).Split('.')).Select(s => s.TrimEnd('[', ']'))];

        read.Except(tabled).Except(envelope).Should().BeEmpty("every field the adapter reads is in the table (or is the error envelope)");
        tabled.Except(read).Should().BeEmpty("every field the table says the adapter reads appears in its source");
    }

    /// <summary>The field names a client's source reads from answers: the JsonFields readers and the clients' own helpers and pagers.</summary>
    public static HashSet<string> ReadNames(string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Reader().Matches(source))
        {
            names.Add(m.Groups[1].Value);
        }

        foreach (Match m in Helper().Matches(source))
        {
            for (int g = 1; g < m.Groups.Count; g++)
            {
                if (m.Groups[g].Success)
                {
                    names.Add(m.Groups[g].Value);
                }
            }
        }

        // Aliyun's pager: PagesAsync(action, filter, pageNumberName, pageSizeName, size, wrapper, itemName, totalName, …)
        // reads the page size, the wrapper, the item and the total; the page number is only sent.
        foreach (Match m in Pager().Matches(source))
        {
            names.UnionWith([m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value]);
        }

        // Huawei's pager: PagesAsync(operation, path, filter, offsetName, limitName, limit, offsetMeaning, itemsName, totalName, …)
        // reads the items and the total; the offset and limit are only sent.
        foreach (Match m in HuaweiPager().Matches(source))
        {
            names.UnionWith([m.Groups[1].Value, m.Groups[2].Value]);
        }

        return names;
    }

    private static IEnumerable<string> SentProblems(ActionFields[] table, Dictionary<string, HashSet<string>> sent)
    {
        foreach (ActionFields row in table)
        {
            if (!sent.TryGetValue(row.Action, out HashSet<string>? onWire))
            {
                yield return $"{row.Action}: the adapter was not seen calling it";
                continue;
            }

            HashSet<string> tabled = [.. row.Sent];
            foreach (string extra in onWire.Except(tabled).Order(StringComparer.Ordinal))
            {
                yield return $"{row.Action}: sends {extra}, which the table lacks";
            }

            foreach (string missing in tabled.Except(onWire).Order(StringComparer.Ordinal))
            {
                yield return $"{row.Action}: the table says it sends {missing}, but it did not";
            }
        }

        foreach (string unknown in sent.Keys.Except(table.Select(r => r.Action)))
        {
            yield return $"{unknown}: called, but not in the table";
        }
    }

    [GeneratedRegex(@"\.(?:GetText|GetInt64|GetDouble|GetBoolean|GetUnixSeconds|GetIsoTime|GetObject|GetArray|TryGetProperty|GetProperty)\(""(\w+)""")]
    private static partial Regex Reader();

    [GeneratedRegex(@"\b(?:Items\(\w+, ""(\w+)"", ""(\w+)""\)|Time\(\w+, ""(\w+)""\)|ToDomain\(\w+, ""(\w+)""\)|Field\(\w+, ""(\w+)""\)|Number\(\w+, ""(\w+)""\))")]
    private static partial Regex Helper();

    [GeneratedRegex(@"PagesAsync\(""\w+"", [^;]*?, ""\w+"", ""(\w+)"", \w+, ""(\w+)"", ""(\w+)"", ""(\w+)""")]
    private static partial Regex Pager();

    [GeneratedRegex(@"PagesAsync\(""\w+"", ""[^""]+"", \w+, ""\w+"", ""\w+"", \w+, [\w.]+, ""(\w+)"", ""(\w+)""")]
    private static partial Regex HuaweiPager();
}
