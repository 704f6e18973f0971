using System.Text.Json;
using System.Text.RegularExpressions;

namespace LiveCloud.Referees.Tests;

/// <summary>
/// A vendor's request/response models: model name → wire field name → type (<c>string</c>, <c>number</c>,
/// <c>boolean</c>, <c>object</c>, another model's name, any of them with a <c>[]</c> suffix for a list).
/// </summary>
public sealed partial class VendorModels
{
    private readonly Dictionary<string, Dictionary<string, string>> _models;

    private VendorModels(Dictionary<string, Dictionary<string, string>> models, string source)
    {
        _models = models;
        Source = source;
    }

    /// <summary>Where the models come from.</summary>
    public string Source { get; }

    /// <summary>Tencent Live's models, from the installed tencentcloud-sdk-nodejs (needs the referee package).</summary>
    public static VendorModels Tencent => s_tencent.Value;

    /// <summary>Aliyun Live's models, recorded from the official TypeScript SDK.</summary>
    public static VendorModels Aliyun => s_aliyun.Value;

    /// <summary>Qiniu Pili's models, recorded from Qiniu's Go SDK.</summary>
    public static VendorModels Qiniu => s_qiniu.Value;

    /// <summary>Volcengine Live's models, recorded from Volcengine's Go SDK.</summary>
    public static VendorModels Volcengine => s_volcengine.Value;

    /// <summary>Huawei Cloud Live's models, recorded from Huawei's Go SDK.</summary>
    public static VendorModels Huawei => s_huawei.Value;

    private static readonly Lazy<VendorModels> s_tencent = new(() => FromTencentDeclarations(Path.Combine(
        NodeReferee.Folder, "node_modules", "tencentcloud-sdk-nodejs", "tencentcloud", "services", "live", "v20180801", "live_models.d.ts")));

    private static readonly Lazy<VendorModels> s_aliyun = new(() => FromRecording(Path.Combine(NodeReferee.Folder, "models", "aliyun-live-20161101.json")));

    private static readonly Lazy<VendorModels> s_qiniu = new(() => FromRecording(Path.Combine(NodeReferee.Folder, "models", "qiniu-pili.json")));

    private static readonly Lazy<VendorModels> s_volcengine = new(() => FromRecording(Path.Combine(NodeReferee.Folder, "models", "volcengine-live-20230101.json")));

    private static readonly Lazy<VendorModels> s_huawei = new(() => FromRecording(Path.Combine(NodeReferee.Folder, "models", "huawei-live.json")));

    /// <summary>The wire names of a model's fields.</summary>
    public IReadOnlyDictionary<string, string>? Fields(string model) => _models.GetValueOrDefault(model);

    /// <summary>Whether a model of that name exists.</summary>
    public bool Has(string model) => _models.ContainsKey(model);

    /// <summary>
    /// The type of <paramref name="path"/> (<c>A.B[].C</c>) in <paramref name="model"/>: a leaf's type, or
    /// <see langword="null"/> with <paramref name="missing"/> naming the first segment the model lacks.
    /// </summary>
    public string? Resolve(string model, string path, out string? missing)
    {
        missing = null;
        string current = model;
        string[] segments = path.Split('.');
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool intoList = segment.EndsWith("[]", StringComparison.Ordinal);
            string name = intoList ? segment[..^2] : segment;
            if (!_models.TryGetValue(current, out Dictionary<string, string>? fields) || !fields.TryGetValue(name, out string? type))
            {
                missing = $"{current}.{name}";
                return null;
            }

            if (intoList)
            {
                if (!type.EndsWith("[]", StringComparison.Ordinal))
                {
                    missing = $"{current}.{name} is {type}, not a list";
                    return null;
                }

                type = type[..^2];
            }

            if (i == segments.Length - 1)
            {
                return Normalize(type);
            }

            current = type;
        }

        return null;
    }

    // A field whose type is another model is an object to a path's leaf.
    private string Normalize(string type)
    {
        bool list = type.EndsWith("[]", StringComparison.Ordinal);
        string element = list ? type[..^2] : type;
        string kind = _models.ContainsKey(element) ? "object" : element;
        return list ? kind + "[]" : kind;
    }

    /// <summary>Reads the models recorded by tests/referees/tools/extract-models.js.</summary>
    public static VendorModels FromRecording(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
        var models = document.RootElement.GetProperty("models").EnumerateObject().ToDictionary(
            m => m.Name,
            m => m.Value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!, StringComparer.Ordinal),
            StringComparer.Ordinal);
        return new VendorModels(models, document.RootElement.GetProperty("source").GetString()!);
    }

    /// <summary>Reads the TypeScript interfaces of a <c>*_models.d.ts</c> of <c>tencentcloud-sdk-nodejs</c>.</summary>
    public static VendorModels FromTencentDeclarations(string file)
    {
        var models = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? fields = null;
        foreach (string line in File.ReadLines(file))
        {
            if (Interface().Match(line) is { Success: true } start)
            {
                fields = new Dictionary<string, string>(StringComparer.Ordinal);
                models[start.Groups[1].Value] = fields;
            }
            else if (line == "}")
            {
                fields = null;
            }
            else if (fields is not null && Field().Match(line) is { Success: true } field)
            {
                fields[field.Groups[1].Value] = TencentType(field.Groups[2].Value);
            }
        }

        return new VendorModels(models, file);
    }

    // number | bigint → number; Array<T> → T[].
    private static string TencentType(string type)
    {
        type = type.Replace(" | bigint", "", StringComparison.Ordinal).Trim();
        return type.StartsWith("Array<", StringComparison.Ordinal) ? TencentType(type[6..^1]) + "[]" : type;
    }

    [GeneratedRegex(@"^export interface (\w+) \{$")]
    private static partial Regex Interface();

    [GeneratedRegex(@"^    (\w+)\??: (.+);$")]
    private static partial Regex Field();
}
