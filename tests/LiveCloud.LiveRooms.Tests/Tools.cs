using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>Reads a room's Server-Sent Events in the background.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(2));
    private readonly List<(string Type, string Data)> _events = [];
    private readonly Task _reading;

    public SseReader(HttpClient client, string path)
    {
        _reading = Task.Run(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                await using Stream stream = await response.Content.ReadAsStreamAsync(_stop.Token);
                using var reader = new StreamReader(stream);
                string type = "message";
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        lock (_events)
                        {
                            _events.Add((type, line[6..]));
                        }
                    }
                    else if (line.Length == 0)
                    {
                        type = "message";
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                // Stopped.
            }
        });
    }

    public IReadOnlyList<(string Type, string Data)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
