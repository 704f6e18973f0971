using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace LiveCloud.LiveRooms.Tests.Sockets;

/// <summary>A test client of <c>/api/rooms/{id}/ws</c>: reads frames in the background (unless told not to read at all).</summary>
internal sealed class RoomSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly Task? _reading;

    private RoomSocketClient(ClientWebSocket socket, bool read)
    {
        _socket = socket;
        _reading = read ? Task.Run(ReadAsync) : null;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<RoomSocketClient> ConnectAsync(Uri baseAddress, string roomId, string? token = null, bool read = true, bool tokenInHeader = false)
    {
        var socket = new ClientWebSocket();
        string query = token is null || tokenInHeader ? string.Empty : "?access_token=" + Uri.EscapeDataString(token);
        if (token is not null && tokenInHeader)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        var uri = new Uri($"ws://{baseAddress.Authority}/api/rooms/{roomId}/ws{query}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, timeout.Token);
        return new RoomSocketClient(socket, read);
    }

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.SerializeToUtf8Bytes(frame));

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame of <paramref name="type"/> (skipping others), or a failure naming what came instead.</summary>
    public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? where = null, int seconds = 30)
    {
        var skipped = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                JsonElement frame = await _frames.Reader.ReadAsync(timeout.Token);
                if (frame.GetProperty("type").GetString() == type && (where is null || where(frame.GetProperty("data"))))
                {
                    return frame.GetProperty("data");
                }

                skipped.Add(frame.ToString());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"No '{type}' frame within {seconds} s (closed: {CloseStatus} '{CloseReason}'); got: {string.Join(" | ", skipped.TakeLast(10))}");
        }
    }

    /// <summary>Waits until the server closed the socket; its status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ClosedAsync(int seconds = 30)
    {
        Task reading = _reading ?? Task.CompletedTask;
        await Poll.UntilAsync(() => Task.FromResult(_socket.CloseStatus.HasValue || _socket.State == WebSocketState.Aborted || reading.IsCompleted && _socket.State != WebSocketState.Open), "the server to close the socket", seconds);
        return (_socket.CloseStatus, _socket.CloseStatusDescription);
    }

    private async Task ReadAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using JsonDocument doc = JsonDocument.Parse(message.ToArray());
                    await _frames.Writer.WriteAsync(doc.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public static string Text(JsonElement chat) => chat.GetProperty("text").GetString()!;

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        await _stop.CancelAsync();
        if (_reading is not null)
        {
            await _reading;
        }

        _socket.Dispose();
        _stop.Dispose();
    }
}
