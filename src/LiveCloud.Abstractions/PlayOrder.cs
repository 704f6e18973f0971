namespace LiveCloud;

/// <summary>Orders and filters play protocols for the player that will use them.</summary>
internal static class PlayOrder
{
    // <live-player> plays RTMP and FLV only; RTMP first (lowest latency in the mini-program).
    private static readonly StreamProtocol[] MiniProgram = [StreamProtocol.Rtmp, StreamProtocol.HttpFlv];

    // Browsers: HLS plays everywhere (hls.js, Safari), FLV through mpegts.js, then the low-latency ones.
    private static readonly StreamProtocol[] Web = [StreamProtocol.Hls, StreamProtocol.HttpFlv, StreamProtocol.WebRtc, StreamProtocol.Artc];

    public static IReadOnlyList<StreamProtocol> Select(IReadOnlyList<StreamProtocol> available, PlayClient client)
    {
        StreamProtocol[]? preferred = client switch
        {
            PlayClient.MiniProgram => MiniProgram,
            PlayClient.Web => Web,
            _ => null,
        };
        if (preferred is null)
        {
            return available;
        }

        var ordered = new List<StreamProtocol>(preferred.Length);
        foreach (StreamProtocol protocol in preferred)
        {
            if (available.Contains(protocol))
            {
                ordered.Add(protocol);
            }
        }

        return ordered;
    }
}
