using LiveCloud;
using LiveCloud.Volcengine;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Volcengine Live provider to LiveCloud.</summary>
public static class VolcengineLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured Volcengine provider: <c>LiveCloud:Volcengine</c>, and any other section with
    /// <c>"Type": "Volcengine"</c> (a second account under its own name). Options are validated at start-up (messages name
    /// the full key, e.g. <c>LiveCloud:Volcengine:SecretAccessKey is required.</c>).
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddVolcengine(this LiveCloudBuilder builder, Action<VolcengineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(
            VolcengineOptions.ProviderName,
            static context => new VolcengineStreamProvider(
                context.Options,
                context.CreatePipeline(context.Options.Endpoint),
                context.TimeProvider,
                context.CnameVerifier),
            configure);
    }
}
