namespace LiveCloud;

/// <summary>The transport protocols a live stream can be pushed or played with.</summary>
public enum StreamProtocol
{
    /// <summary>RTMP: what <c>&lt;live-pusher&gt;</c>, OBS and ffmpeg push; <c>&lt;live-player&gt;</c> plays it.</summary>
    Rtmp,

    /// <summary>HTTP-FLV: low-latency play over HTTP(S); <c>&lt;live-player&gt;</c> and mpegts.js play it.</summary>
    HttpFlv,

    /// <summary>HLS (<c>.m3u8</c>): plays everywhere (Safari natively, hls.js elsewhere), several seconds of latency.</summary>
    Hls,

    /// <summary>WebRTC (Tencent LEB "快直播"): sub-second play and push in browsers.</summary>
    WebRtc,

    /// <summary>SRT: resilient push over lossy networks.</summary>
    Srt,

    /// <summary>ARTC (Aliyun RTS): Aliyun's WebRTC-based low-latency protocol.</summary>
    Artc,
}

/// <summary>Helpers for <see cref="StreamProtocol"/>.</summary>
public static class StreamProtocolNames
{
    /// <summary>The short lower-case name used in JSON and on the command line: <c>rtmp</c>, <c>flv</c>, <c>hls</c>, <c>webrtc</c>, <c>srt</c>, <c>artc</c>.</summary>
    public static string ToShortName(this StreamProtocol protocol) => protocol switch
    {
        StreamProtocol.Rtmp => "rtmp",
        StreamProtocol.HttpFlv => "flv",
        StreamProtocol.Hls => "hls",
        StreamProtocol.WebRtc => "webrtc",
        StreamProtocol.Srt => "srt",
        StreamProtocol.Artc => "artc",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown stream protocol."),
    };

    /// <summary>Parses a short name (case-insensitive) as produced by <see cref="ToShortName"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of the six.</exception>
    public static StreamProtocol Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (StreamProtocol p in Enum.GetValues<StreamProtocol>())
        {
            if (string.Equals(p.ToShortName(), name, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        throw new ArgumentException($"Unknown protocol '{name}'; expected one of rtmp, flv, hls, webrtc, srt, artc.", nameof(name));
    }
}
