using LiveCloud.Configuration;

namespace LiveCloud.WeChat;

/// <summary>Which WeChat endpoint issues the access token.</summary>
public enum WeChatTokenMode
{
    /// <summary>
    /// <c>POST /cgi-bin/stable_token</c> (WeChat's recommendation): asking again returns the same token while it is valid,
    /// so other services of the same mini-program calling it do not invalidate this one.
    /// </summary>
    Stable,

    /// <summary>
    /// <c>GET /cgi-bin/token</c>: every issue invalidates the previous token (after a five-minute overlap), so only one
    /// service per mini-program may use it.
    /// </summary>
    Classic,
}

/// <summary>
/// Settings of the WeChat mini-program live provider (configuration section <c>LiveCloud:WeChat</c>).
/// <see cref="ToString"/> never shows <see cref="AppSecret"/>, <see cref="MessageToken"/> or <see cref="EncodingAesKey"/>.
/// </summary>
public sealed class WeChatOptions : VendorOptions
{
    /// <summary>The provider type's name, also its default provider and section name, <c>WeChat</c>.</summary>
    public const string ProviderName = "WeChat";

    /// <summary>The default API endpoint, <c>https://api.weixin.qq.com/</c>.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.weixin.qq.com/");

    /// <summary>
    /// The most <c>getliveinfo</c> calls a day the status poller may plan for: half of WeChat's documented 100,000 a day,
    /// leaving the rest to replays, state look-ups and other services of the same mini-program.
    /// </summary>
    public const int MaxPollCallsPerDay = 50_000;

    /// <summary>The mini-program's AppID (<c>wx</c> and 16 letters or digits). Required.</summary>
    public string? AppId { get; set; }

    /// <summary>The mini-program's AppSecret. Required; never logged.</summary>
    public string? AppSecret { get; set; }

    /// <summary>Which endpoint issues access tokens; <see cref="WeChatTokenMode.Stable"/> by default.</summary>
    public WeChatTokenMode TokenMode { get; set; } = WeChatTokenMode.Stable;

    /// <summary>
    /// How long before its expiry an access token is replaced (default 5 minutes, from 30 seconds to 30 minutes). A token
    /// is kept for at least half its lifetime whatever this says, so a token issued close to its end is not asked for again
    /// at once.
    /// </summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the status poller reads the room list (default 60 s, at least 10 s). Together with
    /// <see cref="PollPages"/> it must stay within <see cref="MaxPollCallsPerDay"/>.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many pages of 100 rooms (newest start time first) each poll reads (default 1, at most 10): rooms beyond them
    /// are not watched.
    /// </summary>
    public int PollPages { get; set; } = 1;

    /// <summary>
    /// The Token of the mini-program's message push (消息推送) configuration; message-push callbacks are supported only when
    /// it is set. Never logged.
    /// </summary>
    public string? MessageToken { get; set; }

    /// <summary>
    /// The EncodingAESKey (43 characters) of the message push configuration, for safe and compatible mode. When set,
    /// every message must arrive encrypted (<c>encrypt_type=aes</c>); when not, only plain-text mode is accepted. Never logged.
    /// </summary>
    public string? EncodingAesKey { get; set; }

    /// <summary>How far a message's <c>timestamp</c> may be from now, either way (default 5 minutes, from 30 s to 1 h).</summary>
    public TimeSpan MessageMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The API endpoint; <see cref="DefaultEndpoint"/> unless a test points it at an emulator.</summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>How many <c>getliveinfo</c> calls a day the poller makes with these settings.</summary>
    public long PollCallsPerDay => PollInterval <= TimeSpan.Zero ? long.MaxValue : (long)Math.Ceiling(TimeSpan.FromDays(1) / PollInterval) * Math.Max(PollPages, 0);

    /// <inheritdoc />
    protected override void Validate(OptionChecks check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (string.IsNullOrWhiteSpace(AppId))
        {
            check.Fail(nameof(AppId), "is required (the mini-program's AppID, wx followed by 16 letters or digits).");
        }
        else
        {
            check.That(IsAppId(AppId), nameof(AppId), $"'{AppId}' is not a mini-program AppID (wx followed by 16 letters or digits).");
        }

        check.Required(AppSecret, nameof(AppSecret));
        check.That(Enum.IsDefined(TokenMode), nameof(TokenMode), $"must be Stable or Classic; got {TokenMode}.");
        check.InRange(TokenRefreshMargin, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30), nameof(TokenRefreshMargin));
        check.InRange(PollInterval, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), nameof(PollInterval));
        check.InRange(PollPages, 1, 10, nameof(PollPages));
        if (PollInterval >= TimeSpan.FromSeconds(10) && PollPages is >= 1 and <= 10)
        {
            check.That(
                PollCallsPerDay <= MaxPollCallsPerDay,
                nameof(PollInterval),
                $"{PollInterval} with {PollPages} page(s) per poll makes {PollCallsPerDay} getliveinfo calls a day; keep it within {MaxPollCallsPerDay} (half of WeChat's daily quota of 100,000) with a longer interval or fewer pages.");
        }

        if (EncodingAesKey is { Length: > 0 } key)
        {
            check.That(WeChatMessageCrypto.TryDecodeKey(key, out _), nameof(EncodingAesKey), "must be the 43-character EncodingAESKey from the message push settings (base64 of 32 bytes without its '=').");
            check.That(!string.IsNullOrWhiteSpace(MessageToken), nameof(MessageToken), $"is required when {check.PathOf(nameof(EncodingAesKey))} is set.");
        }

        check.InRange(MessageMaxAge, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), nameof(MessageMaxAge));
        check.HttpUrl(Endpoint, nameof(Endpoint), DefaultEndpoint);
    }

    /// <summary>Shows the non-secret settings; secrets appear only as whether they are set.</summary>
    public override string ToString() =>
        $"WeChatOptions {{ AppId = {AppId}, AppSecret = {Secret.Mask(AppSecret)}, TokenMode = {TokenMode}, TokenRefreshMargin = {TokenRefreshMargin}, " +
        $"PollInterval = {PollInterval}, PollPages = {PollPages}, MessageToken = {Secret.Mask(MessageToken)}, EncodingAesKey = {Secret.Mask(EncodingAesKey)}, " +
        $"MessageMaxAge = {MessageMaxAge}, Endpoint = {Endpoint} }}";

    /// <summary>Whether <paramref name="value"/> looks like a mini-program AppID: <c>wx</c> and 16 ASCII letters or digits.</summary>
    internal static bool IsAppId(string? value) =>
        value is { Length: 18 } && value.StartsWith("wx", StringComparison.Ordinal) && value.AsSpan(2).IndexOfAnyExcept(AppIdChars) < 0;

    private static readonly System.Buffers.SearchValues<char> AppIdChars =
        System.Buffers.SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
}
