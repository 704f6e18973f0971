using System.Text;
using LiveCloud.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers what <c>MapLiveCloudCallbacks</c> needs from the service collection: query-string redaction and the source allow list.</summary>
    public static class LiveCloudCallbackServiceCollectionExtensions
    {
        /// <summary>
        /// Redacts the query strings of the LiveCloud callback routes (every route <c>MapLiveCloudCallbacks</c> maps)
        /// before ASP.NET Core sees the request: hosting's "Request starting/finished" logs, the HTTP logging
        /// middleware and tracing get <c>?lc_hook=***&amp;token=***</c>, every value replaced by <c>***</c>, while the
        /// callback endpoint still verifies the query as sent. The nginx hook token (<c>lc_hook</c>), the Qiniu
        /// callback token (<c>token</c>) and Aliyun's ingest fields (whose <c>usrargs</c> carry the push URL's
        /// <c>auth_key</c>) travel in those query strings.
        /// </summary>
        /// <remarks>
        /// It works by wrapping the <see cref="IHttpContextFactory"/>, the only place that runs before hosting writes its
        /// first log line for a request; call it after <c>WebApplication.CreateBuilder</c> (which registers the default
        /// factory) and before <c>Build</c>. Calling it again changes nothing. Proxy and load-balancer access logs are
        /// outside the app: redact or drop the query there too (see SECURITY.md).
        /// </remarks>
        /// <param name="services">The service collection.</param>
        /// <param name="configure">Sets <see cref="LiveCloudCallbackOptions"/> in code (for instance each provider's
        /// <see cref="LiveCloudCallbackOptions.AllowedSources"/>), after any configuration binding; entries are checked at start-up.</param>
        /// <returns>The service collection, for chaining.</returns>
        public static IServiceCollection AddLiveCloudCallbacks(this IServiceCollection services, Action<LiveCloudCallbackOptions>? configure = null)
        {
            ArgumentNullException.ThrowIfNull(services);
            OptionsBuilder<LiveCloudCallbackOptions> options = services.AddOptions<LiveCloudCallbackOptions>();
            if (configure is not null)
            {
                options.Configure(configure);
            }

            if (services.Any(d => d.ServiceType == typeof(CallbackQueryRedaction)))
            {
                return services;
            }

            options.ValidateOnStart();
            services.AddSingleton<IValidateOptions<LiveCloudCallbackOptions>, SourcesValidator>();
            services.AddSingleton<CallbackSourceFilter>();
            services.AddSingleton<CallbackQueryRedaction>();
            ServiceDescriptor? existing = services.LastOrDefault(d => d.ServiceType == typeof(IHttpContextFactory));
            services.RemoveAll<IHttpContextFactory>();
            services.AddSingleton<IHttpContextFactory>(sp => new RedactingHttpContextFactory(
                Inner(existing, sp) ?? new DefaultHttpContextFactory(sp),
                sp.GetRequiredService<CallbackQueryRedaction>()));
            return services;
        }

        // One message per bad allow-list entry, naming its key and value.
        private sealed class SourcesValidator : IValidateOptions<LiveCloudCallbackOptions>
        {
            public ValidateOptionsResult Validate(string? name, LiveCloudCallbackOptions options) =>
                CallbackSourceFilter.Failures(options).ToList() is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
        }

        // The factory registered before (normally the default one), built as its descriptor says.
        private static IHttpContextFactory? Inner(ServiceDescriptor? descriptor, IServiceProvider services) => descriptor switch
        {
            null => null,
            { ImplementationInstance: IHttpContextFactory instance } => instance,
            { ImplementationFactory: { } factory } => (IHttpContextFactory)factory(services),
            { ImplementationType: { } type } => (IHttpContextFactory)ActivatorUtilities.CreateInstance(services, type),
            _ => null,
        };
    }
}

namespace LiveCloud.AspNetCore
{
    /// <summary>The callback routes whose query strings are redacted, and the query as it was sent.</summary>
    internal sealed class CallbackQueryRedaction
    {
        private const string Redacted = "***";
        private volatile string[] _prefixes = [];

        /// <summary>Adds a route pattern: its literal part before the first parameter is what request paths are matched on.</summary>
        public void AddRoute(string pattern)
        {
            int parameter = pattern.IndexOf('{', StringComparison.Ordinal);
            string prefix = (parameter < 0 ? pattern : pattern[..parameter]).TrimEnd('/');
            if (prefix.Length == 0)
            {
                prefix = "/";
            }

            lock (this)
            {
                if (!_prefixes.Contains(prefix, StringComparer.OrdinalIgnoreCase))
                {
                    _prefixes = [.. _prefixes, prefix];
                }
            }
        }

        /// <summary>Whether a request path is on a callback route (matched anywhere in the path, so a path base does not hide it).</summary>
        public bool Matches(string path)
        {
            foreach (string prefix in _prefixes)
            {
                if (prefix == "/" || path.Contains(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The query as sent: the original when the request was redacted, else the request's own.</summary>
        public static IEnumerable<KeyValuePair<string, StringValues>> OriginalQuery(HttpContext context) =>
            context.Features.Get<OriginalQueryFeature>() is { } original
                ? QueryHelpers.ParseQuery(original.QueryString)
                : context.Request.Query;

        /// <summary><c>?a=1&amp;b=2</c> as <c>?a=***&amp;b=***</c> (names kept, so the log still shows the shape).</summary>
        public static string Redact(string queryString)
        {
            var redacted = new StringBuilder(queryString.Length);
            foreach (string pair in queryString.TrimStart('?').Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                redacted.Append(redacted.Length == 0 ? '?' : '&').Append(eq < 0 ? pair : pair[..eq]).Append('=').Append(Redacted);
            }

            return redacted.ToString();
        }
    }

    /// <summary>The query string a redacted callback request was sent with.</summary>
    internal sealed class OriginalQueryFeature(string queryString)
    {
        public string QueryString { get; } = queryString;
    }

    /// <summary>Redacts callback routes' query strings before hosting logs the request, then makes the context as before.</summary>
    internal sealed class RedactingHttpContextFactory(IHttpContextFactory inner, CallbackQueryRedaction redaction) : IHttpContextFactory
    {
        public HttpContext Create(IFeatureCollection featureCollection)
        {
            ArgumentNullException.ThrowIfNull(featureCollection);
            if (featureCollection.Get<IHttpRequestFeature>() is { QueryString.Length: > 1 } request && redaction.Matches(request.Path))
            {
                featureCollection.Set(new OriginalQueryFeature(request.QueryString));
                request.QueryString = CallbackQueryRedaction.Redact(request.QueryString);
            }

            return inner.Create(featureCollection);
        }

        public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);
    }
}
