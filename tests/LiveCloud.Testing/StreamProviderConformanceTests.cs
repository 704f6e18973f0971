namespace LiveCloud.Testing;

/// <summary>
/// The provider conformance suite, written once. A provider's tests run it with a two-line subclass:
/// <code>public sealed class TencentConformance(TencentFixture f) : StreamProviderConformanceTests&lt;TencentStreamProvider&gt;(f), IClassFixture&lt;TencentFixture&gt;;</code>
/// Behaviour that only one provider has belongs in that provider's own tests.
/// </summary>
/// <typeparam name="TProvider">The provider covered.</typeparam>
public abstract class StreamProviderConformanceTests<TProvider>(StreamProviderFixture<TProvider> fixture)
    where TProvider : class, IStreamProvider
{
    private static readonly CancellationToken Cancelled = new(canceled: true);

    /// <summary>The fixture.</summary>
    protected StreamProviderFixture<TProvider> Fixture { get; } = fixture;

    private IStreamProvider Provider => Fixture.Provider;

    private DateTimeOffset InAnHour => Fixture.Clock.GetUtcNow().AddHours(1);

    /// <summary>The provider names itself and declares coherent capabilities.</summary>
    [Fact]
    public void Capabilities_are_coherent()
    {
        Provider.Name.Should().NotBeNullOrWhiteSpace();
        ProviderCapabilities caps = Provider.Capabilities;
        caps.Supports(ProviderFeatures.PushUrls).Should().Be(caps.PushProtocols.Count > 0, "push protocols are listed exactly when push URLs are supported");
        caps.Supports(ProviderFeatures.PlayUrls).Should().Be(caps.PlayProtocols.Count > 0, "play protocols are listed exactly when play URLs are supported");
        caps.PushProtocols.Should().OnlyHaveUniqueItems();
        caps.PlayProtocols.Should().OnlyHaveUniqueItems();
    }

    /// <summary>Every push protocol gives an absolute URL of its scheme naming the stream, expiring when asked.</summary>
    [Fact]
    public void Push_urls_round_trip_for_every_protocol()
    {
        foreach (StreamProtocol protocol in Provider.Capabilities.PushProtocols)
        {
            PushUrl url = Provider.CreatePushUrl(Fixture.SampleStream, InAnHour, protocol);
            url.Protocol.Should().Be(protocol);
            url.ExpiresAt.Should().Be(InAnHour);
            Uri.TryCreate(url.Url, UriKind.Absolute, out Uri? parsed).Should().BeTrue($"{protocol} push URL '{url.Url}' is absolute");
            parsed!.Scheme.Should().Be(SchemeOf(protocol));
            url.Url.Should().Contain(Fixture.SampleStream.Name);
            Provider.CreatePushUrl(Fixture.SampleStream, InAnHour, protocol).Should().Be(url, "signing is a pure function of its inputs");
            if (protocol == StreamProtocol.Rtmp)
            {
                (url.Server + url.StreamKey).Should().Be(url.Url, "OBS's server and stream key put together are the push URL");
                url.Server.Should().EndWith(Fixture.SampleStream.App + "/");
                url.StreamKey.Should().StartWith(Fixture.SampleStream.Name);
            }
        }
    }

    /// <summary>A signed URL changes with its expiry and with its stream.</summary>
    [SkippableFact]
    public void Push_url_signature_depends_on_expiry_and_stream()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.PushUrls), $"{Provider.Name} makes no push URLs.");
        Skip.IfNot(Fixture.SignsUrls, $"{Provider.Name}'s URLs are not signed in this fixture.");

        StreamProtocol protocol = Provider.Capabilities.PushProtocols[0];
        string url = Provider.CreatePushUrl(Fixture.SampleStream, InAnHour, protocol).Url;
        Provider.CreatePushUrl(Fixture.SampleStream, InAnHour.AddSeconds(1), protocol).Url.Should().NotBe(url);
        var other = new StreamId(Fixture.SampleStream.App, Fixture.SampleStream.Name + "x");
        string otherUrl = Provider.CreatePushUrl(other, InAnHour, protocol).Url;
        otherUrl.Should().NotBe(url);
        QueryOf(otherUrl).Should().NotBe(QueryOf(url), "the signature covers the stream name");
    }

    /// <summary>An expiry now or in the past is refused, naming the parameter and the value, before anything else.</summary>
    [Fact]
    public void Expiry_in_the_past_is_refused()
    {
        DateTimeOffset past = Fixture.Clock.GetUtcNow().AddSeconds(-1);
        if (Provider.Capabilities.Supports(ProviderFeatures.PushUrls))
        {
            Action push = () => Provider.CreatePushUrl(Fixture.SampleStream, past);
            push.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "expiresAt" && e.Message.Contains(past.ToString("O")));
        }

        if (Provider.Capabilities.Supports(ProviderFeatures.PlayUrls))
        {
            Action play = () => Provider.CreatePlayUrls(Fixture.SampleStream, Fixture.Clock.GetUtcNow());
            play.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "expiresAt");
        }
    }

    /// <summary>Play URLs: one per playable protocol by default, ordered and filtered per player, renditions named.</summary>
    [SkippableFact]
    public void Play_urls_cover_protocols_clients_and_renditions()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.PlayUrls), $"{Provider.Name} makes no play URLs.");

        PlayUrlSet all = Provider.CreatePlayUrls(Fixture.SampleStream, InAnHour);
        all.ExpiresAt.Should().Be(InAnHour);
        all.Stream.Should().Be(Fixture.SampleStream);
        all.Urls.Select(u => u.Protocol).Should().BeEquivalentTo(Provider.Capabilities.PlayProtocols);
        foreach (PlayUrl url in all.Urls)
        {
            Uri.TryCreate(url.Url, UriKind.Absolute, out Uri? parsed).Should().BeTrue($"{url.Protocol} play URL '{url.Url}' is absolute");
            parsed!.Scheme.Should().BeOneOf(SchemeOf(url.Protocol), url.Protocol is StreamProtocol.Hls or StreamProtocol.HttpFlv ? "https" : SchemeOf(url.Protocol));
            url.Url.Should().Contain(Fixture.SampleStream.Name);
            all[url.Protocol].Should().Be(url.Url);
        }

        PlayUrlSet mini = Provider.CreatePlayUrls(Fixture.SampleStream, InAnHour, new PlayUrlOptions { Client = PlayClient.MiniProgram });
        mini.Urls.Select(u => u.Protocol).Should().OnlyContain(p => p == StreamProtocol.Rtmp || p == StreamProtocol.HttpFlv, "<live-player> plays RTMP and FLV only");
        PlayUrlSet web = Provider.CreatePlayUrls(Fixture.SampleStream, InAnHour, new PlayUrlOptions { Client = PlayClient.Web });
        web.Urls.Select(u => u.Protocol).Should().NotContain(StreamProtocol.Rtmp, "browsers do not play RTMP");

        StreamProtocol first = Provider.Capabilities.PlayProtocols[0];
        PlayUrlSet rendition = Provider.CreatePlayUrls(Fixture.SampleStream, InAnHour, new PlayUrlOptions { Protocols = [first], Rendition = "hd" });
        rendition.Urls.Should().ContainSingle().Which.Url.Should().Contain(Fixture.SampleStream.Name + "_hd");
    }

    /// <summary>What the provider cannot do fails with <see cref="NotSupportedException"/> naming provider and capability.</summary>
    [Fact]
    public async Task Unsupported_calls_name_provider_and_capability()
    {
        // A provider without push (play) URLs at all names that capability; one with them names the protocol it lacks.
        bool pushes = Provider.Capabilities.Supports(ProviderFeatures.PushUrls);
        foreach (StreamProtocol protocol in Enum.GetValues<StreamProtocol>().Except(Provider.Capabilities.PushProtocols))
        {
            Action push = () => Provider.CreatePushUrl(Fixture.SampleStream, InAnHour, protocol);
            push.Should().Throw<NotSupportedException>().Where(e => e.Message.Contains(Provider.Name) && e.Message.Contains(pushes ? protocol.ToString() : "push URLs"));
        }

        bool plays = Provider.Capabilities.Supports(ProviderFeatures.PlayUrls);
        foreach (StreamProtocol protocol in Enum.GetValues<StreamProtocol>().Except(Provider.Capabilities.PlayProtocols))
        {
            Action play = () => Provider.CreatePlayUrls(Fixture.SampleStream, InAnHour, new PlayUrlOptions { Protocols = [protocol] });
            play.Should().Throw<NotSupportedException>().Where(e => e.Message.Contains(Provider.Name) && e.Message.Contains(plays ? protocol.ToString() : "play URLs"));
        }

        foreach ((ProviderFeatures feature, Func<Task> call) in FeatureCalls(CancellationToken.None))
        {
            if (!Provider.Capabilities.Supports(feature))
            {
                (await call.Should().ThrowAsync<NotSupportedException>($"{feature} is not in the capabilities"))
                    .Where(e => e.Message.Contains(Provider.Name));
            }
        }
    }

    /// <summary>Every supported asynchronous call gives up at once on a cancelled token.</summary>
    [Fact]
    public async Task Cancellation_is_respected()
    {
        foreach ((ProviderFeatures feature, Func<Task> call) in FeatureCalls(Cancelled))
        {
            if (Provider.Capabilities.Supports(feature) && feature != ProviderFeatures.CostEstimate)
            {
                await call.Should().ThrowAsync<OperationCanceledException>($"{feature} was called with a cancelled token");
            }
        }
    }

    /// <summary>A callback that carries no valid signature or token is refused.</summary>
    [SkippableFact]
    public async Task Unsigned_callback_is_refused()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.Callbacks), $"{Provider.Name} takes no callbacks.");

        var forged = new CallbackRequest
        {
            Method = "POST",
            ContentType = "application/x-www-form-urlencoded",
            Body = $"call=publish&app={Fixture.SampleStream.App}&name={Fixture.SampleStream.Name}",
        };
        Func<Task> parse = async () => await Provider.ParseCallbackAsync(forged);
        await parse.Should().ThrowAsync<CallbackVerificationException>();
    }

    /// <summary>A cost estimate is dated, sourced, non-negative and its lines add up.</summary>
    [SkippableFact]
    public void Cost_estimate_adds_up()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.CostEstimate), $"{Provider.Name} has no price table.");

        CostEstimate estimate = Provider.EstimateCost(new UsageProfile { PeakViewers = 100, BitrateKbps = 1500, HoursPerDay = 2 });
        estimate.Provider.Should().Be(Provider.Name);
        estimate.Currency.Should().MatchRegex("^[A-Z]{3}$");
        estimate.PriceTableSource.Should().NotBeNullOrWhiteSpace();
        estimate.Total.Should().BePositive();
        estimate.LineItems.Sum(l => l.Total).Should().Be(estimate.Total);
        estimate.TotalsByBillingMode.Should().ContainKey(estimate.BillingMode).WhoseValue.Should().Be(estimate.Total);
        estimate.TotalsByBillingMode.Values.Should().OnlyContain(t => t >= estimate.Total, "the cheapest billing mode is chosen");
    }

    /// <summary>
    /// Forbid, state, resume: a forbidden stream reads <see cref="StreamStatus.Forbidden"/> (another stream does not),
    /// and no longer once resumed.
    /// </summary>
    [SkippableFact]
    public async Task Forbidden_stream_reads_forbidden_until_resumed()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.StreamControl), $"{Provider.Name} cannot forbid streams.");
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.StreamState), $"{Provider.Name} reports no stream state.");

        StreamId stream = Fixture.SampleStream;
        var bystander = new StreamId(stream.App, stream.Name + "_other");
        (await Provider.GetStreamStateAsync(stream)).Status.Should().NotBe(StreamStatus.Forbidden, "nothing has forbidden {0} yet", stream);

        await Provider.ForbidStreamAsync(stream, InAnHour);
        StreamState whileForbidden;
        StreamState other;
        try
        {
            whileForbidden = await Provider.GetStreamStateAsync(stream);
            other = await Provider.GetStreamStateAsync(bystander);
        }
        finally
        {
            await Provider.ResumeStreamAsync(stream);
        }

        StreamState resumed = await Provider.GetStreamStateAsync(stream);
        whileForbidden.Stream.Should().Be(stream);
        other.Status.Should().NotBe(StreamStatus.Forbidden, "forbidding {0} leaves {1} alone", stream, bystander);
        resumed.Stream.Should().Be(stream);
        resumed.Status.Should().NotBe(StreamStatus.Forbidden, "{0} was resumed", stream);
        if (Fixture.ForbiddenStateGap is { } gap)
        {
            whileForbidden.Status.Should().NotBe(StreamStatus.Forbidden, "the fixture declares that {0} cannot report a forbid ({1}), yet it did: remove the declaration", Provider.Name, gap);
            Skip.If(true, $"{Provider.Name} forbids and resumes, but its stream state cannot say Forbidden (known defect): {gap}");
        }

        whileForbidden.Status.Should().Be(StreamStatus.Forbidden, "{0} was forbidden until {1:O}", stream, InAnHour);
    }

    /// <summary>
    /// A vendor-signed publish and unpublish parse to their kind, stream and provider; a redelivery keeps the event id,
    /// the unpublish has its own; one character off in a signature is refused; no signature reaches the raw payload.
    /// </summary>
    [SkippableFact]
    public async Task Signed_callbacks_round_trip_with_stable_ids()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.Callbacks), $"{Provider.Name} takes no callbacks.");
        StreamId stream = Fixture.SampleStream;
        CallbackRequest? publish = Fixture.CreateSignedCallback(stream, StreamEventKind.Published, 1);
        Skip.If(publish is null, $"{Fixture.GetType().Name} builds no signed {Provider.Name} callbacks.");
        CallbackRequest redelivery = Fixture.CreateSignedCallback(stream, StreamEventKind.Published, 2)!;
        CallbackRequest unpublish = Fixture.CreateSignedCallback(stream, StreamEventKind.Unpublished, 1)!;

        StreamEvent published = await Provider.ParseCallbackAsync(publish);
        StreamEvent redelivered = await Provider.ParseCallbackAsync(redelivery);
        StreamEvent unpublished = await Provider.ParseCallbackAsync(unpublish);

        foreach ((StreamEvent e, StreamEventKind kind) in new[] { (published, StreamEventKind.Published), (redelivered, StreamEventKind.Published), (unpublished, StreamEventKind.Unpublished) })
        {
            e.Kind.Should().Be(kind);
            e.Stream.Should().Be(stream);
            e.Provider.Should().Be(Provider.Name);
            e.EventId.Should().NotBeNullOrWhiteSpace();
        }

        redelivered.EventId.Should().Be(published.EventId, "a redelivery is the same event, to be handled once");
        unpublished.EventId.Should().NotBe(published.EventId, "ending a push is another event than starting it");

        foreach ((CallbackRequest request, StreamEvent parsed) in new[] { (publish, published), (redelivery, redelivered), (unpublish, unpublished) })
        {
            IReadOnlyList<string> signatures = Fixture.SignaturesOf(request);
            signatures.Should().NotBeEmpty("a signed callback carries a signature or token");
            foreach (string signature in signatures)
            {
                signature.Should().NotBeNullOrEmpty();
                Carries(request, signature).Should().BeTrue("the fixture names a signature the callback carries");
                (parsed.RawPayload ?? string.Empty).Should().NotContain(signature, "the raw payload ({0}) keeps no signature", parsed.VendorEventType);
                CallbackRequest tampered = Replaced(request, signature, Tamper.OffByOne(signature));
                Func<Task> parse = async () => await Provider.ParseCallbackAsync(tampered);
                await parse.Should().ThrowAsync<CallbackVerificationException>("{0} {1} with one character of its signature changed is forged", Provider.Name, parsed.Kind);
            }
        }
    }

    /// <summary>
    /// A domain whose CNAME (served by a real DNS server, dnsmasq) reaches the target the vendor expects is
    /// <see cref="CnameVerdict.Ok"/>; one pointing elsewhere is <see cref="CnameVerdict.Mismatch"/>.
    /// </summary>
    [SkippableFact]
    [Trait("Category", RealParts.Category)]
    public async Task Domain_status_checks_the_vendors_cname_against_real_dns()
    {
        Skip.IfNot(Provider.Capabilities.Supports(ProviderFeatures.Domains), $"{Provider.Name} has no domains.");
        Skip.If(Fixture.DomainsWithCname.Count < 2, $"{Fixture.GetType().Name} names no two domains with an expected CNAME.");
        RealParts.Require(RealParts.Dnsmasq);

        (string good, string goodTarget) = Fixture.DomainsWithCname[0];
        (string bad, string badTarget) = Fixture.DomainsWithCname[1];
        const string Elsewhere = "elsewhere.conformance.test";
        Fixture.Dns.ServeCname(good, goodTarget);
        Fixture.Dns.ServeCname(bad, Elsewhere);
        await Fixture.Dns.StartAsync();

        DomainStatus ok = await Provider.GetDomainStatusAsync(good);
        ok.Domain.Name.Should().Be(good);
        ok.Domain.ExpectedCname.Should().Be(goodTarget, "the vendor expects this target for {0}", good);
        ok.Cname.Should().NotBeNull("a domain with an expected CNAME is checked");
        ok.Cname!.Verdict.Should().Be(CnameVerdict.Ok, ok.Cname.Reason);
        ok.Cname.Chain.Should().Contain(goodTarget);
        ok.IsHealthy.Should().BeTrue();

        DomainStatus mismatch = await Provider.GetDomainStatusAsync(bad);
        mismatch.Domain.ExpectedCname.Should().Be(badTarget);
        mismatch.Cname.Should().NotBeNull();
        mismatch.Cname!.Verdict.Should().Be(CnameVerdict.Mismatch, mismatch.Cname.Reason);
        mismatch.Cname.Chain.Should().Contain(Elsewhere);
        mismatch.IsHealthy.Should().BeFalse();

        Fixture.Dns.Checks.Should().Contain([(good, goodTarget), (bad, badTarget)], "the provider asks the fixture's DNS server, not another");
    }

    /// <summary>
    /// Relays in each direction the provider offers: started for the sample stream with an end time, read back by id and
    /// in the list with the same direction, stream and redacted remote (never the stream key), stopped, and stopped again
    /// without error; once stopped it is gone from the list or listed as stopped or ended.
    /// </summary>
    [SkippableFact]
    public async Task Relays_start_read_list_and_stop()
    {
        ProviderFeatures relays = Provider.Capabilities.Features & (ProviderFeatures.PushRelay | ProviderFeatures.PullRelay);
        Skip.If(relays == ProviderFeatures.None, $"{Provider.Name} has no relays.");
        Skip.If(Fixture.RelayRemotes is null, $"{Fixture.GetType().Name} names no relay remotes (RelayRemotes).");
        (Uri target, Uri source) = Fixture.RelayRemotes!.Value;
        StreamId stream = Fixture.SampleStream;

        var requests = new List<RelayRequest>();
        if (relays.HasFlag(ProviderFeatures.PushRelay))
        {
            requests.Add(RelayRequest.PushTo(stream, target, InAnHour));
        }

        if (relays.HasFlag(ProviderFeatures.PullRelay))
        {
            requests.Add(RelayRequest.PullFrom(source, stream, InAnHour));
        }

        foreach (RelayRequest request in requests)
        {
            string key = request.RemoteUrl.Segments[^1];
            RelayTask started = await Provider.StartRelayAsync(request);
            started.Id.Should().NotBeNullOrWhiteSpace();
            started.Direction.Should().Be(request.Direction);
            started.Stream.Should().Be(stream);
            started.Remote.Should().Be(RelayUrls.Redact(request.RemoteUrl));
            started.Status.Should().BeOneOf(RelayStatus.Starting, RelayStatus.Running);
            started.ToString().Should().NotContain(key, "a relay never shows the remote's key").And.NotContain("secret");

            RelayTask read = await Provider.GetRelayAsync(started.Id);
            read.Should().BeEquivalentTo(new { started.Id, started.Direction, started.Stream, started.Remote }, "{0} relay {1} reads back as started", request.Direction, started.Id);
            read.Status.Should().NotBe(RelayStatus.Failed);
            read.ToString().Should().NotContain(key).And.NotContain("secret");

            List<RelayTask> listed = await Provider.ListRelaysAsync().ToListAsync();
            listed.Should().ContainSingle(r => r.Id == started.Id).Which.Should().BeEquivalentTo(new { started.Direction, started.Stream, started.Remote });

            await Provider.StopRelayAsync(started.Id);
            await Provider.StopRelayAsync(started.Id);
            List<RelayTask> after = await Provider.ListRelaysAsync().ToListAsync();
            after.Should().NotContain(r => r.Id == started.Id && r.Status != RelayStatus.Stopped && r.Status != RelayStatus.Ended, "a stopped relay no longer runs");
        }
    }

    /// <summary>
    /// In each direction the provider offers, a private remote (the refusal names the option that allows it), a scheme
    /// no relay takes and an end time in the past are refused before any call; so is a blank relay id.
    /// </summary>
    [SkippableFact]
    public async Task Bad_relay_requests_are_refused_naming_the_problem()
    {
        ProviderFeatures relays = Provider.Capabilities.Features & (ProviderFeatures.PushRelay | ProviderFeatures.PullRelay);
        Skip.If(relays == ProviderFeatures.None, $"{Provider.Name} has no relays.");
        StreamId stream = Fixture.SampleStream;
        var remote = new Uri("rtmp://relay.example.com/live/key");

        foreach (RelayDirection direction in new[] { RelayDirection.Push, RelayDirection.Pull }.Where(d => relays.HasFlag(d == RelayDirection.Push ? ProviderFeatures.PushRelay : ProviderFeatures.PullRelay)))
        {
            RelayRequest Make(Uri url, DateTimeOffset? endsAt = null) =>
                direction == RelayDirection.Push ? RelayRequest.PushTo(stream, url, endsAt) : RelayRequest.PullFrom(url, stream, endsAt);

            Func<Task> privateRemote = () => Provider.StartRelayAsync(Make(new Uri("rtmp://192.168.10.20/live/key")));
            string refusal = (await privateRemote.Should().ThrowAsync<ArgumentException>()).Which.Message;
            (Fixture.RelayOptionOwners ?? [Provider.Name]).Should().Contain(owner => refusal.Contains($"LiveCloud:{owner}:AllowPrivateRelayTargets", StringComparison.Ordinal), "the refusal names the option that allows it: {0}", refusal);
            Func<Task> scheme = () => Provider.StartRelayAsync(Make(new Uri("ftp://relay.example.com/live/key")));
            await scheme.Should().ThrowAsync<ArgumentException>();
            Func<Task> past = () => Provider.StartRelayAsync(Make(remote, Fixture.Clock.GetUtcNow()));
            await past.Should().ThrowAsync<ArgumentOutOfRangeException>();
        }

        Func<Task> blank = () => Provider.StopRelayAsync(" ");
        await blank.Should().ThrowAsync<ArgumentException>();
    }

    private IEnumerable<(ProviderFeatures Feature, Func<Task> Call)> FeatureCalls(CancellationToken token)
    {
        StreamId s = Fixture.SampleStream;
        var task = new RecordingTask("conformance-task", s, Fixture.Clock.GetUtcNow());
        yield return (ProviderFeatures.Domains, async () => await Provider.ListDomainsAsync(token).ToListAsync(token));
        yield return (ProviderFeatures.Domains, () => Provider.GetDomainStatusAsync("play.example.com", token));
        yield return (ProviderFeatures.Recording, () => Provider.StartRecordingAsync(s, null, token));
        yield return (ProviderFeatures.Recording, () => Provider.StopRecordingAsync(task, token));
        yield return (ProviderFeatures.Recording, async () => await Provider.ListRecordingsAsync(s, null, null, token).ToListAsync(token));
        yield return (ProviderFeatures.StreamState, async () => await Provider.ListOnlineStreamsAsync(token).ToListAsync(token));
        yield return (ProviderFeatures.StreamState, () => Provider.GetStreamStateAsync(s, token));
        yield return (ProviderFeatures.StreamControl, () => Provider.ForbidStreamAsync(s, null, token));
        yield return (ProviderFeatures.StreamControl, () => Provider.ResumeStreamAsync(s, token));
        yield return (ProviderFeatures.StreamControl, () => Provider.DropStreamAsync(s, token));
        yield return (ProviderFeatures.Callbacks, async () => await Provider.ParseCallbackAsync(new CallbackRequest(), token));
        var target = new Uri("rtmp://relay.example.com/live/conformance_key");
        yield return (ProviderFeatures.PushRelay, () => Provider.StartRelayAsync(RelayRequest.PushTo(s, target, Fixture.Clock.GetUtcNow().AddHours(1)), token));
        yield return (ProviderFeatures.PullRelay, () => Provider.StartRelayAsync(RelayRequest.PullFrom(target, s, Fixture.Clock.GetUtcNow().AddHours(1)), token));

        // Reading and stopping need either kind of relay; a provider with only pull relays is asked under PullRelay.
        ProviderFeatures relays = Provider.Capabilities.Supports(ProviderFeatures.PullRelay) && !Provider.Capabilities.Supports(ProviderFeatures.PushRelay)
            ? ProviderFeatures.PullRelay
            : ProviderFeatures.PushRelay;
        yield return (relays, () => Provider.GetRelayAsync("conformance-relay", token));
        yield return (relays, async () => await Provider.ListRelaysAsync(token).ToListAsync(token));
        yield return (relays, () => Provider.StopRelayAsync("conformance-relay", token));
        yield return (ProviderFeatures.CostEstimate, () => Task.FromResult(Provider.EstimateCost(new UsageProfile { PeakViewers = 1, BitrateKbps = 1, HoursPerDay = 1 })));
    }

    private static string SchemeOf(StreamProtocol protocol) => protocol switch
    {
        StreamProtocol.Rtmp => "rtmp",
        StreamProtocol.HttpFlv or StreamProtocol.Hls => "http",
        StreamProtocol.WebRtc => "webrtc",
        StreamProtocol.Srt => "srt",
        StreamProtocol.Artc => "artc",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    // Whether value occurs in the request's body, query or headers.
    private static bool Carries(CallbackRequest request, string value) =>
        request.Body.Contains(value, StringComparison.Ordinal)
        || request.Query.Values.Any(v => v.Contains(value, StringComparison.Ordinal))
        || request.Headers.Values.Any(v => v.Contains(value, StringComparison.Ordinal));

    // The request with every occurrence of value in its body, query and headers replaced.
    private static CallbackRequest Replaced(CallbackRequest request, string value, string replacement) => request with
    {
        Body = request.Body.Replace(value, replacement, StringComparison.Ordinal),
        Query = request.Query.ToDictionary(p => p.Key, p => p.Value.Replace(value, replacement, StringComparison.Ordinal), StringComparer.Ordinal),
        Headers = request.Headers.ToDictionary(p => p.Key, p => p.Value.Replace(value, replacement, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase),
    };

    private static string QueryOf(string url) => url.Contains('?', StringComparison.Ordinal) ? url[url.IndexOf('?', StringComparison.Ordinal)..] : string.Empty;
}
