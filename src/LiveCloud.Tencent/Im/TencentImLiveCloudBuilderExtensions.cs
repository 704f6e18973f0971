using LiveCloud;
using LiveCloud.Tencent.Im;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Tencent Cloud IM (room chat) to LiveCloud.</summary>
public static class TencentImLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="TencentImClient"/> when chat is configured — when <paramref name="chatTencentSection"/> (normally
    /// <c>configuration.GetSection("Chat:Tencent")</c>, at the configuration root) exists or <paramref name="configure"/> is
    /// given. Its options are validated at start-up with messages naming the full key (e.g. <c>Chat:Tencent:SecretKey is required.</c>),
    /// and its REST calls go through a vendor pipeline named <c>TencentIm</c> with its own <see cref="HttpClient"/>.
    /// </summary>
    /// <example><code>
    /// services.AddLiveCloud(config.GetSection("LiveCloud")).AddNginx().AddTencentIm(config.GetSection("Chat:Tencent"));
    /// // then: sp.GetService&lt;TencentImClient&gt;() is null when chat is not configured.
    /// </code></example>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="chatTencentSection">The <c>Chat:Tencent</c> section (keys <c>SdkAppId</c>, <c>SecretKey</c>, <c>AdminIdentifier</c>, <c>Endpoint</c>, <c>UserSigExpiry</c>, <c>Resilience</c>).</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddTencentIm(this LiveCloudBuilder builder, IConfiguration chatTencentSection, Action<TencentImOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddVendorClient(
            TencentImOptions.ProviderName,
            chatTencentSection,
            static context => new TencentImClient(context.Options, context.CreatePipeline(context.Options.Endpoint), context.TimeProvider),
            configure);
    }
}
