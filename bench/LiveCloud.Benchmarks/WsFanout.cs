using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace LiveCloud.Benchmarks;

/// <summary>
/// WebSocket fan-out of the live-rooms sample: <c>--viewers</c> (default 2,000) listeners connect to one room's
/// <c>/api/rooms/{id}/ws</c> (at most 64 connecting at once), each with one 4 KiB receive buffer (a bounded client); once
/// all are idle, the host (its token from <c>--created</c>, the saved answer of <c>POST /api/rooms</c>) sends one warm-up and <c>--messages</c> (default 5) measured chat messages a second apart, and every
/// delivery's latency (host send → viewer receive, one clock: this process) is kept. Memory per idle connection is the
/// app's resident memory (VmRSS of <c>--pid</c>) after the viewers connected and settled, less before, ÷ viewers.
/// Writes JSON to <c>--out</c>; exits 1 when a message did not reach every viewer.
/// </summary>
public static class WsFanout
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        Uri baseAddress = new(Text(args, "--base") ?? throw new ArgumentException("--base URL is required"));
        // The room and its host token from the answer of POST /api/rooms (a file: a token on the command line shows in ps).
        using JsonDocument created = JsonDocument.Parse(await File.ReadAllTextAsync(Text(args, "--created") ?? throw new ArgumentException("--created FILE (the answer of POST /api/rooms) is required")).ConfigureAwait(false));
        string room = created.RootElement.GetProperty("id").GetString()!;
        string hostToken = created.RootElement.GetProperty("hostToken").GetString()!;
        int pid = int.Parse(Text(args, "--pid") ?? "0", CultureInfo.InvariantCulture);
        int viewers = int.Parse(Text(args, "--viewers") ?? "2000", CultureInfo.InvariantCulture);
        int messages = int.Parse(Text(args, "--messages") ?? "5", CultureInfo.InvariantCulture);
        string? output = Text(args, "--out");
        var socketUri = new Uri($"ws://{baseAddress.Authority}/api/rooms/{room}/ws");

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await Task.Delay(1000, stop.Token).ConfigureAwait(false);
        long rssBefore = Herd.RssKiB(pid);

        // Each viewer records when it received each marker message (index in the message's text).
        long[][] received = [.. Enumerable.Range(0, viewers).Select(_ => new long[messages])];
        var sockets = new ClientWebSocket[viewers];
        var readers = new Task[viewers];
        int connectFailures = 0;
        var connecting = Stopwatch.StartNew();
        using (var gate = new SemaphoreSlim(64))
        {
            var connects = new Task[viewers];
            for (int i = 0; i < viewers; i++)
            {
                int n = i;
                await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                connects[n] = Task.Run(async () =>
                {
                    try
                    {
                        var socket = new ClientWebSocket();
                        socket.Options.KeepAliveInterval = TimeSpan.Zero;
                        await socket.ConnectAsync(socketUri, stop.Token).ConfigureAwait(false);
                        sockets[n] = socket;
                        readers[n] = ReadAsync(socket, received[n], stop.Token);
                    }
                    catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
                    {
                        Interlocked.Increment(ref connectFailures);
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
            }

            await Task.WhenAll(connects).ConfigureAwait(false);
        }

        double connectSeconds = connecting.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(3), stop.Token).ConfigureAwait(false); // idle: hello, state, history, viewers delivered
        long rssIdle = Herd.RssKiB(pid);

        using var host = new ClientWebSocket();
        host.Options.SetRequestHeader("Authorization", "Bearer " + hostToken);
        await host.ConnectAsync(socketUri, stop.Token).ConfigureAwait(false);
        Task hostReader = ReadAsync(host, new long[messages], stop.Token);
        await Task.Delay(500, stop.Token).ConfigureAwait(false);
        // One message first that is not measured: the server's and this client's code paths are warm, as in a running app.
        await host.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "chat", text = "warm-up" }), WebSocketMessageType.Text, true, stop.Token).ConfigureAwait(false);
        await Task.Delay(1500, stop.Token).ConfigureAwait(false);
        long[] sentAt = new long[messages];
        for (int m = 0; m < messages; m++)
        {
            byte[] frame = JsonSerializer.SerializeToUtf8Bytes(new { type = "chat", text = $"fanout #{m}" });
            sentAt[m] = Stopwatch.GetTimestamp();
            await host.SendAsync(frame, WebSocketMessageType.Text, true, stop.Token).ConfigureAwait(false);
            await Task.Delay(1000, stop.Token).ConfigureAwait(false);
        }

        await Task.Delay(2000, stop.Token).ConfigureAwait(false);
        var latencies = new List<double>();
        var perMessage = new List<double>[messages];
        int missing = 0;
        for (int m = 0; m < messages; m++)
        {
            perMessage[m] = [];
            for (int i = 0; i < viewers; i++)
            {
                long at = Volatile.Read(ref received[i][m]);
                if (at == 0)
                {
                    missing++;
                }
                else
                {
                    perMessage[m].Add(Stopwatch.GetElapsedTime(sentAt[m], at).TotalMilliseconds);
                }
            }

            latencies.AddRange(perMessage[m]);
            perMessage[m].Sort();
        }

        latencies.Sort();
        long rssAfter = Herd.RssKiB(pid);
        await stop.CancelAsync();
        foreach (ClientWebSocket? socket in sockets)
        {
            socket?.Abort();
            socket?.Dispose();
        }

        host.Abort();
        await Task.WhenAll(readers.Where(r => r is not null).Append(hostReader)).ConfigureAwait(false);

        var result = new
        {
            Viewers = viewers,
            Connected = viewers - connectFailures,
            ConnectSeconds = Math.Round(connectSeconds, 2),
            Messages = messages,
            Deliveries = latencies.Count,
            Missing = missing,
            P50Ms = Percentile(latencies, 0.50),
            P99Ms = Percentile(latencies, 0.99),
            MaxMs = latencies.Count > 0 ? Math.Round(latencies[^1], 1) : double.NaN,
            P99MsPerMessage = perMessage.Select(l => Percentile(l, 0.99)).ToArray(),
            LoadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
            RssBeforeKiB = rssBefore,
            RssIdleKiB = rssIdle,
            RssAfterKiB = rssAfter,
            KiBPerConnection = viewers > connectFailures && rssBefore > 0 ? Math.Round((double)(rssIdle - rssBefore) / (viewers - connectFailures), 1) : double.NaN,
        };
        string json = JsonSerializer.Serialize(result, Indented);
        Console.WriteLine(json);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, json).ConfigureAwait(false);
        }

        return connectFailures == 0 && missing == 0 ? 0 : 1;
    }

    // Reads frames with one 4 KiB buffer; a chat frame "fanout #m" marks message m received.
    private static async Task ReadAsync(ClientWebSocket socket, long[] received, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // A frame larger than the buffer (a long history) keeps its first half; the rest is read over the second.
                    int at = count < buffer.Length ? count : buffer.Length / 2;
                    result = await socket.ReceiveAsync(buffer.AsMemory(at), cancellationToken).ConfigureAwait(false);
                    count = Math.Min(at + result.Count, buffer.Length);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                }
                while (!result.EndOfMessage);

                long now = Stopwatch.GetTimestamp();
                ReadOnlySpan<byte> frame = buffer.AsSpan(0, count);
                int mark = frame.IndexOf("\"fanout #"u8);
                if (frame.StartsWith("{\"type\":\"chat\""u8) && mark >= 0)
                {
                    int m = 0;
                    for (int i = mark + 9; i < frame.Length && frame[i] is >= (byte)'0' and <= (byte)'9'; i++)
                    {
                        m = (m * 10) + (frame[i] - '0');
                    }

                    if (m < received.Length && received[m] == 0)
                    {
                        Volatile.Write(ref received[m], now);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);

    private static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
