using LiveCloud.Configuration;
using LiveCloud.Dns;
using LiveCloud.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveCloud;

/// <summary>
/// What a provider is built from when DI creates it: its registered name, its validated options, and the shared
/// services (clock, DNS verifier, logging, the vendor HTTP pipeline). Vendor packages' <c>AddXxx()</c> use it so
/// that every provider is wired the same way.
/// </summary>
/// <typeparam name="TOptions">The provider's options.</typeparam>
public sealed class ProviderContext<TOptions>
    where TOptions : VendorOptions
{
    internal ProviderContext(IServiceProvider services, string name, string sectionPath, TOptions options)
    {
        Services = services;
        Name = name;
        SectionPath = sectionPath;
        Options = options;
    }

    /// <summary>The services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The provider's registered name (its section's name), e.g. <c>Tencent</c> or <c>tencent-backup</c>.</summary>
    public string Name { get; }

    /// <summary>The provider's configuration section, e.g. <c>LiveCloud:Tencent</c>.</summary>
    public string SectionPath { get; }

    /// <summary>The validated options.</summary>
    public TOptions Options { get; }

    /// <summary>The clock (<see cref="TimeProvider.System"/> unless DI has another).</summary>
    public TimeProvider TimeProvider => Services.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>The shared DNS CNAME verifier.</summary>
    public ICnameVerifier CnameVerifier => Services.GetService<ICnameVerifier>() ?? Dns.CnameVerifier.Shared;

    /// <summary>The logger factory (a null one when logging is not registered).</summary>
    public ILoggerFactory LoggerFactory => Services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    /// <summary>The provider's logger, category <c>LiveCloud.{Name}</c>.</summary>
    public ILogger CreateLogger() => LoggerFactory.CreateLogger("LiveCloud." + Name);

    /// <summary>
    /// The provider's vendor pipeline to <paramref name="baseAddress"/>, over its named <see cref="HttpClient"/>
    /// (request logging removed: URLs carry signatures) with <see cref="VendorOptions.Resilience"/>.
    /// </summary>
    /// <param name="baseAddress">The vendor endpoint.</param>
    public VendorHttpPipeline CreatePipeline(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        HttpClient client = Services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName(Name));
        client.BaseAddress = baseAddress;
        // The pipeline owns timeouts; HttpClient's own 100 s would cut across its attempt timeout.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return new VendorHttpPipeline(Name, client, Options.Resilience, CreateLogger(), TimeProvider);
    }

    internal static string HttpClientName(string provider) => "LiveCloud." + provider;
}
