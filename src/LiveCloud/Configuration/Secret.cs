namespace LiveCloud.Configuration;

/// <summary>How options show a secret in <c>ToString()</c>: whether it is set, never what it is.</summary>
public static class Secret
{
    /// <summary><c>***</c> when <paramref name="value"/> is set, <c>(not set)</c> otherwise.</summary>
    /// <param name="value">The secret.</param>
    public static string Mask(string? value) => string.IsNullOrEmpty(value) ? "(not set)" : "***";
}
