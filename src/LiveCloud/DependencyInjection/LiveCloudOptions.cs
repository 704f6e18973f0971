namespace LiveCloud;

/// <summary>The top of the <c>LiveCloud</c> configuration section.</summary>
public sealed class LiveCloudOptions
{
    /// <summary>The configuration section name, <c>LiveCloud</c>.</summary>
    public const string SectionName = "LiveCloud";

    /// <summary>
    /// The provider behind the default <see cref="IStreamProvider"/> (<c>Tencent</c>, <c>Aliyun</c>, <c>Qiniu</c>,
    /// <c>Nginx</c>; case-insensitive). May be left out when exactly one provider is configured.
    /// </summary>
    public string? Provider { get; set; }
}
