namespace LiveCloud.Configuration;

/// <summary>
/// Collects one message per bad configuration key, each naming the key's full path (<c>LiveCloud:Tencent:SecretKey
/// is required.</c>), so start-up reports every mistake at once. Every provider's options validate with it.
/// </summary>
/// <param name="sectionPath">The section the keys are under, e.g. <c>LiveCloud:Tencent</c>.</param>
/// <param name="failures">Where messages go.</param>
public sealed class OptionChecks(string sectionPath, ICollection<string> failures)
{
    /// <summary>The section the keys are under.</summary>
    public string SectionPath { get; } = sectionPath ?? throw new ArgumentNullException(nameof(sectionPath));

    /// <summary>Whether no check has failed (so far).</summary>
    public bool IsValid => failures.Count == 0;

    /// <summary>The full path of <paramref name="key"/>, e.g. <c>LiveCloud:Tencent:PushKey</c>.</summary>
    /// <param name="key">The key under the section.</param>
    public string PathOf(string key) => $"{SectionPath}:{key}";

    /// <summary>Adds <c>{path}:{key} {problem}</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="problem">What is wrong, e.g. <c>must be from 0 to 10; got 12.</c></param>
    public void Fail(string key, string problem) => failures.Add($"{PathOf(key)} {problem}");

    /// <summary>Adds a failure for <paramref name="key"/> unless <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What must be true.</param>
    /// <param name="key">The key.</param>
    /// <param name="problem">What is wrong otherwise.</param>
    public void That(bool condition, string key, string problem)
    {
        if (!condition)
        {
            Fail(key, problem);
        }
    }

    /// <summary>Requires a non-blank value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key.</param>
    /// <param name="when">An optional condition, e.g. <c> when LiveCloud:Tencent:UseBackupKeys is true</c>.</param>
    public void Required(string? value, string key, string? when = null) =>
        That(!string.IsNullOrWhiteSpace(value), key, $"is required{when}.");

    /// <summary>Requires a DNS host name (<c>play.example.com</c>), not a URL.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key.</param>
    /// <param name="required">Whether a blank value is a failure too.</param>
    public void HostName(string? value, string key, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Fail(key, "is required.");
            }

            return;
        }

        try
        {
            LiveCloud.HostName.Validate(value, key);
        }
        catch (ArgumentException ex)
        {
            Fail(key, $"is not a host name: {ex.Message}");
        }
    }

    /// <summary>Requires an absolute <c>http</c> or <c>https</c> URL.</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key.</param>
    /// <param name="example">An example shown in the message.</param>
    public void HttpUrl(Uri? value, string key, Uri? example = null) =>
        That(
            value is { IsAbsoluteUri: true } && (value.Scheme == Uri.UriSchemeHttps || value.Scheme == Uri.UriSchemeHttp),
            key,
            $"must be an absolute http(s) URL{(example is null ? "" : $" such as {example}")}; got '{value}'.");

    /// <summary>Requires <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    /// <typeparam name="T">A comparable value (numbers, <see cref="TimeSpan"/>).</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="min">The least allowed.</param>
    /// <param name="max">The most allowed.</param>
    /// <param name="key">The key.</param>
    public void InRange<T>(T value, T min, T max, string key)
        where T : IComparable<T> =>
        That(value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0, key, $"must be from {min} to {max}; got {value}.");

    /// <summary>Requires a valid part of a <see cref="StreamId"/> (an app or stream name).</summary>
    /// <param name="value">The value.</param>
    /// <param name="key">The key.</param>
    public void StreamIdPart(string? value, string key) =>
        That(StreamId.IsValidPart(value), key, $"'{value}' may hold only letters, digits, '_', '-', '.' and '='.");
}
