namespace LiveCloud;

/// <summary>Checks DNS host names before they reach a vendor or a resolver.</summary>
public static class HostName
{
    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="host"/> unless it is a DNS host name (not a URL).</summary>
    /// <param name="host">The host, e.g. <c>play.example.com</c>; one trailing dot is allowed.</param>
    /// <param name="parameterName">The parameter to name in the exception.</param>
    public static void Validate(string? host, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("A host name is required; got an empty value.", parameterName);
        }

        if (host.Contains("://", StringComparison.Ordinal) || host.IndexOfAny(['/', '?', '#', ':', '@', ' ']) >= 0)
        {
            throw new ArgumentException($"'{host}' is not a host name: give the name alone (e.g. play.example.com), not a URL.", parameterName);
        }

        string name = host.EndsWith('.') ? host[..^1] : host;
        if (name.Length > 253)
        {
            throw new ArgumentException($"Host name '{host}' is {name.Length} characters long; DNS allows at most 253.", parameterName);
        }

        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                throw new ArgumentException($"Host name '{host}' has a label of {label.Length} characters ('{label}'); DNS labels are 1 to 63.", parameterName);
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                throw new ArgumentException($"Host name '{host}' has an invalid label '{label}'.", parameterName);
            }
        }
    }

    /// <summary>Lower-cases and drops a trailing dot: the form names are compared in.</summary>
    public static string Normalize(string host) => (host.EndsWith('.') ? host[..^1] : host).ToLowerInvariant();
}
