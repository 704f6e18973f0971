using LiveCloud;
using LiveCloud.Tencent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Tencent Cloud Live provider to LiveCloud.</summary>
public static class TencentLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Tencent provider: <c>LiveCloud:Tencent</c>, and any other section with <c>"Type": "Tencent"</c>
    /// (a second account under its own name). Options are validated at start-up (messages name the full key, e.g.
    /// <c>LiveCloud:Tencent:SecretKey is required.</c>). Unless an <see cref="ITencentRecordingIndex"/> is registered
    /// already, recording callbacks are kept in an <see cref="InMemoryTencentRecordingIndex"/> bounded by
    /// <see cref="InMemoryTencentRecordingIndexOptions"/>.
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddTencent(this LiveCloudBuilder builder, Action<TencentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Bounded (InMemoryTencentRecordingIndexOptions: services.Configure<InMemoryTencentRecordingIndexOptions>(…)).
        builder.Services.TryAddSingleton<ITencentRecordingIndex>(static sp => new InMemoryTencentRecordingIndex(
            sp.GetService<IOptions<InMemoryTencentRecordingIndexOptions>>()?.Value,
            sp.GetService<TimeProvider>()));
        return builder.AddProvider(
            TencentOptions.ProviderName,
            static context => new TencentStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.Endpoint),
                context.TimeProvider,
                context.Services.GetService<ITencentRecordingIndex>(),
                context.CnameVerifier),
            configure);
    }
}
