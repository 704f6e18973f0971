using System.Text;
using System.Text.Json;

namespace LiveCloud.Callbacks;

/// <summary>
/// Builds <see cref="StreamEvent.RawPayload"/>: the callback as the vendor sent it, minus the fields that carry its
/// signature or shared token (a captured signature can be replayed until it expires, so it must not reach logs).
/// </summary>
public static class CallbackPayload
{
    /// <summary>The JSON object <paramref name="root"/> without the top-level fields named in <paramref name="secretFields"/>.</summary>
    /// <param name="root">The callback body's root.</param>
    /// <param name="secretFields">Fields to leave out, e.g. <c>sign</c>.</param>
    public static string FromJson(JsonElement root, params ReadOnlySpan<string> secretFields)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return root.GetRawText();
        }

        // Built from each kept property's raw text, so nothing is decoded: an attacker's undecodable text passes
        // through as the escapes it was sent as instead of failing the callback.
        var text = new StringBuilder("{");
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (IsSecret(property, secretFields))
            {
                continue;
            }

            if (text.Length > 1)
            {
                text.Append(',');
            }

            text.Append(property.ToString());
        }

        return text.Append('}').ToString();
    }

    private static bool IsSecret(JsonProperty property, ReadOnlySpan<string> secretFields)
    {
        foreach (string field in secretFields)
        {
            try
            {
                if (property.NameEquals(field))
                {
                    return true;
                }
            }
            catch (InvalidOperationException)
            {
                // An undecodable name is no signature field.
            }
        }

        return false;
    }

    /// <summary>Form or query fields as a query string (percent-encoded), without <paramref name="secretFields"/>.</summary>
    /// <param name="fields">The fields.</param>
    /// <param name="secretFields">Fields to leave out, e.g. <c>token</c>.</param>
    public static string FromFields(IEnumerable<KeyValuePair<string, string>> fields, params ReadOnlySpan<string> secretFields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (Contains(secretFields, field.Key))
            {
                continue;
            }

            if (text.Length > 0)
            {
                text.Append('&');
            }

            text.Append(Uri.EscapeDataString(field.Key)).Append('=').Append(Uri.EscapeDataString(field.Value));
        }

        return text.ToString();
    }

    /// <summary>
    /// A URL query (<c>a=1&amp;txSecret=…&amp;b=2</c>) without the parameters named in <paramref name="secretParameters"/>:
    /// vendors echo the push URL's query in callbacks, signature and all (Tencent <c>stream_param</c>, Aliyun <c>usrargs</c>).
    /// </summary>
    /// <param name="query">The query, with or without a leading <c>?</c>.</param>
    /// <param name="secretParameters">Parameter names to drop (compared without regard to case).</param>
    public static string WithoutQueryParameters(string query, params ReadOnlySpan<string> secretParameters)
    {
        ArgumentNullException.ThrowIfNull(query);
        var kept = new List<string>();
        foreach (string part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (!Contains(secretParameters, eq < 0 ? part : part[..eq]))
            {
                kept.Add(part);
            }
        }

        return string.Join('&', kept);
    }

    private static bool Contains(ReadOnlySpan<string> names, string name)
    {
        foreach (string candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
