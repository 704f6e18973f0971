using System.Text.Json.Nodes;

namespace LiveCloud.Referees.Tests;

/// <summary>Checks that an answer carries the fields a table says the adapter reads, with the vendor model's types.</summary>
public static class AnswerShape
{
    /// <summary>
    /// Every problem with <paramref name="answer"/> for <paramref name="fields"/>: a field the adapter reads that the
    /// answer lacks, or holds with another JSON type than the vendor's model. Fields recorded as absent from the
    /// vendor's model are skipped (the emulator answers what the vendor sends).
    /// </summary>
    public static IEnumerable<string> Problems(JsonNode? answer, ActionFields fields)
    {
        foreach (string entry in fields.Read)
        {
            string path = ActionFields.PathOf(entry);
            if (fields.IsNotInModel(path))
            {
                continue;
            }

            foreach (string problem in Check(answer, path.Split('.'), ActionFields.TypeOf(entry), path))
            {
                yield return $"{fields.Action}: {problem}";
            }
        }
    }

    private static IEnumerable<string> Check(JsonNode? node, string[] segments, string type, string path)
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
            yield return $"{path}: the answer has no {name}";
            yield break;
        }

        if (!intoList)
        {
            foreach (string p in Check(child, segments[1..], type, path))
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
            foreach (string p in Check(item, segments[1..], type, path))
            {
                yield return p;
            }
        }
    }
}
