using System.Text.Json.Nodes;

namespace LiveCloud.Referees.Tests;

/// <summary>Checks that an answer carries the fields a table says the adapter reads, with the vendor model's types.</summary>
public static class AnswerShape
{
    /// <summary>
    /// Every problem with <paramref name="answer"/> for <paramref name="fields"/>: a field the adapter reads that the
    /// answer lacks, or holds with another JSON type than the vendor's model. Fields recorded as absent from the
    /// vendor's model are skipped (the emulator answers what the vendor sends); a row whose action the vendor models
    /// nowhere is held to its documented fields.
    /// </summary>
    public static IEnumerable<string> Problems(JsonNode? answer, ActionFields fields)
    {
        foreach (string entry in fields.Read)
        {
            string path = ActionFields.PathOf(entry);
            if (fields.IsNotedAbsent(path))
            {
                continue;
            }

            foreach (string problem in Check(answer, path.Split('.'), ActionFields.TypeOf(entry), path, ActionFields.IsOptional(entry)))
            {
                yield return $"{fields.Action}: {problem}";
            }
        }
    }

    /// <summary>
    /// Every field of <paramref name="answer"/> that the vendor's model <paramref name="model"/> lacks (walking into
    /// nested models and lists): what an emulator invented, or misspelt.
    /// </summary>
    public static IEnumerable<string> Extras(JsonNode? answer, VendorModels models, string model, string path = "")
    {
        if (answer is not JsonObject o || models.Fields(model) is not { } fields)
        {
            yield break;
        }

        foreach ((string name, JsonNode? value) in o)
        {
            string here = path.Length == 0 ? name : path + "." + name;
            if (!fields.TryGetValue(name, out string? type))
            {
                yield return $"{model}: {here}";
                continue;
            }

            bool list = type.EndsWith("[]", StringComparison.Ordinal);
            string element = list ? type[..^2] : type;
            IEnumerable<JsonNode?> children = list && value is JsonArray items ? items : new[] { value };
            foreach (JsonNode? child in children)
            {
                foreach (string extra in Extras(child, models, element, list ? here + "[]" : here))
                {
                    yield return extra;
                }
            }
        }
    }

    private static IEnumerable<string> Check(JsonNode? node, string[] segments, string type, string path, bool optional)
    {
        if (segments.Length == 0)
        {
            string kind = Json.Kind(node);
            bool list = type.EndsWith("[]", StringComparison.Ordinal);
            if (list ? kind != "array" || node!.AsArray().Any(i => Json.Kind(i) != type[..^2]) : kind != type)
            {
                yield return $"{path} is {kind} ({node?.ToJsonString()}), the vendor's model says {type}";
            }

            yield break;
        }

        string segment = segments[0];
        bool intoList = segment.EndsWith("[]", StringComparison.Ordinal);
        string name = intoList ? segment[..^2] : segment;
        JsonNode? child = node is JsonObject o && o.TryGetPropertyValue(name, out JsonNode? c) ? c : null;
        if (child is null)
        {
            if (!(optional && segments.Length == 1))
            {
                yield return $"{path}: the answer has no {name}";
            }

            yield break;
        }

        if (!intoList)
        {
            foreach (string p in Check(child, segments[1..], type, path, optional))
            {
                yield return p;
            }

            yield break;
        }

        if (child is not JsonArray items || items.Count == 0)
        {
            yield return $"{path}: {name} is not a non-empty list";
            yield break;
        }

        foreach (JsonNode? item in items)
        {
            foreach (string p in Check(item, segments[1..], type, path, optional))
            {
                yield return p;
            }
        }
    }
}
