using System.Buffers;
using System.Globalization;
using System.Text;
using LiveCloud.Json;

namespace LiveCloud.Nginx;

/// <summary>Renders the nginx.conf the provider relies on, from validated options.</summary>
internal static class NginxConfig
{
    /// <summary>The nginx-rtmp recorder the recording calls drive.</summary>
    public const string Recorder = "rec1";

    /// <summary>The recorded files' extension.</summary>
    public const string RecordingExtension = ".flv";

    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    public static string Render(NginxOptions options, NginxUrlSigner signer, string workDirectory, bool runWorkersAsRoot)
    {
        string hls = Full(options.ResolvedHlsDirectory);
        string rec = Full(options.ResolvedRecordingsDirectory);
        var hook = new Uri(options.HookBaseUrl!);
        string hookPathAndQuery = hook.PathAndQuery + (string.IsNullOrEmpty(hook.Query) ? "?" : "&") + NginxUrlSigner.HookTokenParameter + "=" + signer.HookToken;
        string hookUrl = "http://" + hook.Authority + hookPathAndQuery;
        string app = options.AppName;
        string port(int p) => p.ToString(CultureInfo.InvariantCulture);

        var c = new StringBuilder();
        c.Append("# Written by LiveCloud.Nginx (NginxRtmpServer); rewritten at every start.\n");
        c.Append(CultureInfo.InvariantCulture, $"load_module \"{options.ModulePath}\";\n");
        if (runWorkersAsRoot)
        {
            // Started as root: workers would drop to an unprivileged user that cannot write the HLS and
            // recording folders under a root-owned work directory (see docs/vendors/nginx-rtmp.md).
            c.Append("user root;\n");
        }

        c.Append("daemon off;\nmaster_process on;\nworker_processes 1;\n");
        c.Append(CultureInfo.InvariantCulture, $"pid \"{workDirectory}/nginx.pid\";\n");
        c.Append(CultureInfo.InvariantCulture, $"error_log \"{workDirectory}/logs/error.log\" notice;\n");
        c.Append("events { worker_connections 1024; }\n\n");

        c.Append("rtmp {\n  server {\n");
        c.Append(CultureInfo.InvariantCulture, $"    listen {port(options.RtmpPort)};\n");
        c.Append("    chunk_size 4096;\n");
        c.Append(CultureInfo.InvariantCulture, $"    application {app} {{\n");
        c.Append("      live on;\n");
        c.Append("      notify_method post;\n");
        c.Append(CultureInfo.InvariantCulture, $"      on_publish \"{hookUrl}\";\n");
        c.Append(CultureInfo.InvariantCulture, $"      on_play \"{hookUrl}\";\n");
        c.Append(CultureInfo.InvariantCulture, $"      on_publish_done \"{hookUrl}\";\n");
        c.Append(CultureInfo.InvariantCulture, $"      on_record_done \"{hookUrl}\";\n");
        c.Append(CultureInfo.InvariantCulture, $"      hls on;\n      hls_path \"{hls}\";\n      hls_fragment 1s;\n      hls_playlist_length 10s;\n");
        c.Append(CultureInfo.InvariantCulture, $"      recorder {Recorder} {{\n        record all manual;\n        record_path \"{rec}\";\n        record_unique on;\n        record_suffix {RecordingExtension};\n      }}\n");
        c.Append("    }\n  }\n}\n\n");

        c.Append("http {\n  access_log off;\n  server_tokens off;\n");
        foreach (string temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            c.Append(CultureInfo.InvariantCulture, $"  {temp}_temp_path \"{workDirectory}/temp/{temp}\";\n");
        }

        c.Append("  types {\n    application/vnd.apple.mpegurl m3u8;\n    video/mp2t ts;\n    video/x-flv flv;\n  }\n");
        c.Append(CultureInfo.InvariantCulture, $"  upstream livecloud_hooks {{ server {hook.Authority}; }}\n");
        c.Append("  server {\n");
        c.Append(CultureInfo.InvariantCulture, $"    listen {options.HttpListenAddress}:{port(options.HttpPort)};\n");
        c.Append("    location = /stat { allow 127.0.0.1; allow ::1; deny all; rtmp_stat all; }\n");
        c.Append("    location /control { allow 127.0.0.1; allow ::1; deny all; rtmp_control all; }\n");
        // /hls/{sig}/{e}/{stream}.m3u8 and /hls/{sig}/{e}/{stream}-N.ts: the stream is what precedes the last -N.ts.
        c.Append(CultureInfo.InvariantCulture, $"    location ~ \"^/hls/(?<lc_sig>[A-Za-z0-9_-]{{{NginxUrlSigner.SignatureLength}}})/(?<lc_e>[0-9]{{1,12}})/(?<lc_file>(?<lc_stream>[A-Za-z0-9_=.-]+?)(?:-[0-9]+\\.ts|\\.m3u8))$\" {{\n");
        c.Append("      auth_request /_livecloud_hls_auth;\n");
        c.Append("      add_header Cache-Control no-cache;\n");
        // Web players (hls.js, mpegts.js) fetch from the page's origin; the URL's signature is the access control.
        c.Append("      add_header Access-Control-Allow-Origin * always;\n");
        c.Append(CultureInfo.InvariantCulture, $"      alias \"{hls}/$lc_file\";\n    }}\n");
        c.Append("    location /hls/ { return 403; }\n");
        c.Append("    location = /_livecloud_hls_auth {\n      internal;\n      proxy_pass_request_body off;\n      proxy_set_header Content-Length \"\";\n");
        c.Append(CultureInfo.InvariantCulture, $"      proxy_pass \"http://livecloud_hooks{hookPathAndQuery}&call=hls&app={app}&name=$lc_stream&e=$lc_e&sig=$lc_sig\";\n    }}\n");
        c.Append(CultureInfo.InvariantCulture, $"    location /recordings/ {{ add_header Access-Control-Allow-Origin * always; alias \"{rec}/\"; }}\n");
        c.Append("    location / { return 404; }\n");
        c.Append("  }\n}\n");
        return c.ToString();
    }

    internal static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    /// <summary>
    /// Whether <paramref name="fileName"/> is named as nginx-rtmp's recorder names this stream's files,
    /// <c>{stream}-{unix seconds}.flv</c> (<c>record_unique on</c>); <paramref name="start"/> is when it started, or
    /// <see langword="null"/> when the number is beyond year 9999 (no recording of this server's).
    /// </summary>
    internal static bool TryParseRecordingName(string fileName, string stream, out DateTimeOffset? start)
    {
        start = null;
        if (!fileName.StartsWith(stream + "-", StringComparison.Ordinal) || !fileName.EndsWith(RecordingExtension, StringComparison.Ordinal))
        {
            return false;
        }

        ReadOnlySpan<char> stamp = fileName.AsSpan(stream.Length + 1, fileName.Length - stream.Length - 1 - RecordingExtension.Length);
        if (stamp.IsEmpty || stamp.ContainsAnyExcept(AsciiDigits))
        {
            return false;
        }

        if (long.TryParse(stamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) && seconds <= JsonFields.MaxUnixSeconds)
        {
            start = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return true;
    }

    /// <summary>
    /// A recorded file as its name says: served at <c>http://{PublicHost}:{HttpPort}/recordings/{file}</c>, started at
    /// <paramref name="start"/>; its size and duration are unknown until the file is read.
    /// </summary>
    internal static RecordedFile Recording(NginxOptions options, StreamId stream, string fileName, DateTimeOffset start) =>
        new(stream, new Uri($"http://{options.PublicHost}:{options.HttpPort.ToString(CultureInfo.InvariantCulture)}/recordings/{Uri.EscapeDataString(fileName)}"), start, TimeSpan.Zero, null, "flv");

    /// <summary>The name of the file <paramref name="file"/> (from <see cref="Recording"/>) was made from.</summary>
    internal static string FileName(RecordedFile file) => Uri.UnescapeDataString(file.PlaybackUrl.Segments[^1]);
}
