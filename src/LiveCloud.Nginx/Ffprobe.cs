using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace LiveCloud.Nginx;

/// <summary>Reads a media file's duration with ffprobe, bounded in time.</summary>
internal static class Ffprobe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The duration, or <see langword="null"/> when ffprobe is missing, fails or takes too long.</summary>
    public static async Task<TimeSpan?> DurationAsync(string ffprobe, string path, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ffprobe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", path })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return null; // not installed
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
                Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                string text = (await stdout.ConfigureAwait(false)).Trim();
                await stderr.ConfigureAwait(false);
                return process.ExitCode == 0 && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                return null;
            }
        }
    }
}
