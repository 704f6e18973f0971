using LiveCloud;
using LiveCloud.WeChat;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the WeChat mini-program live provider to LiveCloud.</summary>
public static class WeChatLiveCloudBuilderExtensions
{
    /// <summary>
    /// Adds every configured WeChat mini-program live provider: <c>LiveCloud:WeChat</c>, and any other section with
    /// <c>"Type": "WeChat"</c> (a second mini-program under its own name). Options are validated at start-up (messages
    /// name the full key, e.g. <c>LiveCloud:WeChat:AppSecret is required.</c>). The rooms client, status poller and
    /// message verifier are reached with <c>provider.GetService&lt;WeChatApiClient&gt;()</c> (and so on), through any decorator.
    /// </summary>
    /// <param name="builder">The LiveCloud builder.</param>
    /// <param name="configure">Code-side configuration applied after binding.</param>
    /// <returns>The builder, for chaining.</returns>
    public static LiveCloudBuilder AddWeChatLive(this LiveCloudBuilder builder, Action<WeChatOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProvider(
            WeChatOptions.ProviderName,
            static context => new WeChatStreamProvider(context.Options, context.CreatePipeline(context.Options.Endpoint), context.TimeProvider, context.CreateLogger()),
            configure);
    }
}
