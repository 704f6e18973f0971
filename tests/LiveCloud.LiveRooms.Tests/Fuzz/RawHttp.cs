using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveCloud.LiveRooms.Tests.Fuzz;

/// <summary>
/// An HTTP/1.1 request written byte for byte, so a fuzz case can send what no well-behaved client would: repeated
/// headers and query keys, any content type, bad chunked framing, a body that does not match its length.
/// </summary>
internal sealed class RawRequest
{
    public string Method { get; init; } = "POST";

    /// <summary>The request target as sent (path and query, already escaped as the case wants).</summary>
    public required string Target { get; init; }

    public List<(string Name, string Value)> Headers { get; init; } = [];

    public byte[] Body { get; init; } = [];

    /// <summary>Sends the body as one chunk of <c>Transfer-Encoding: chunked</c> instead of with a Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>When set, these bytes are sent instead of a request built from the fields (framing abuse).</summary>
    public byte[]? Raw { get; init; }

    /// <summary>Half-closes the connection after sending (a truncated request).</summary>
    public bool CloseAfterSending { get; init; }

    public byte[] ToBytes(string host)
    {
        if (Raw is not null)
        {
            return Raw;
        }

        var head = new StringBuilder();
        head.Append(Method).Append(' ').Append(Target).Append(" HTTP/1.1\r\n");
        if (!Headers.Any(h => string.Equals(h.Name, "Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: ").Append(host).Append("\r\n");
        }

        foreach ((string name, string value) in Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        bool framed = Headers.Any(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || h.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
        byte[] body = Body;
        if (!framed && Chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
            var chunked = new MemoryStream();
            if (body.Length > 0)
            {
                chunked.Write(Encoding.ASCII.GetBytes(body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                chunked.Write(body);
                chunked.Write("\r\n"u8);
            }

            chunked.Write("0\r\n\r\n"u8);
            body = chunked.ToArray();
        }
        else if (!framed && (body.Length > 0 || Method is "POST" or "PUT"))
        {
            head.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        head.Append("\r\n");
        byte[] headBytes = Encoding.UTF8.GetBytes(head.ToString());
        byte[] all = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(all, 0);
        body.CopyTo(all, headBytes.Length);
        return all;
    }

    /// <summary>The request as printable text: non-ASCII and control bytes escaped, long runs cut.</summary>
    public string Describe(int max = 700)
    {
        byte[] bytes = ToBytes("127.0.0.1");
        var text = new StringBuilder();
        foreach (byte b in bytes.AsSpan(0, Math.Min(bytes.Length, max)))
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n\n    ",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return bytes.Length > max ? $"{text}… ({bytes.Length} bytes in all)" : text.ToString();
    }
}

/// <summary>
/// A keep-alive HTTP/1.1 connection that sends <see cref="RawRequest"/>s and reads each answer's status (and body,
/// framed by Content-Length or chunked). Status 0: the server closed the connection without answering.
/// </summary>
internal sealed class RawHttpConnection(IPEndPoint endPoint) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(20);
    private readonly byte[] _buffer = new byte[256 * 1024];
    private Socket? _socket;
    private NetworkStream? _stream;
    private int _start;
    private int _end;

    public async Task<RawResponse> SendAsync(RawRequest request)
    {
        bool reused = _socket is not null;
        RawResponse response = await SendOnceAsync(request);
        if (response.Status == 0 && reused && !request.CloseAfterSending)
        {
            // The server had closed the kept-alive connection (after a bad request): try once on a fresh one, as clients do.
            response = await SendOnceAsync(request);
        }

        return response;
    }

    private async Task<RawResponse> SendOnceAsync(RawRequest request)
    {
        using var bound = new CancellationTokenSource(AnswerBound);
        if (_socket is null)
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _socket.ConnectAsync(endPoint, bound.Token);
            _stream = new NetworkStream(_socket, ownsSocket: false);
            _start = _end = 0;
        }

        byte[] bytes = request.ToBytes($"127.0.0.1:{endPoint.Port}");
        Socket socket = _socket;
        NetworkStream stream = _stream!;
        Task writing = Task.Run(async () =>
        {
            await stream.WriteAsync(bytes, bound.Token);
            if (request.CloseAfterSending)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        });

        RawResponse response;
        try
        {
            response = await ReadResponseAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            response = new RawResponse(-1, string.Empty, true);
        }
        catch (IOException)
        {
            response = new RawResponse(0, string.Empty, true);
        }
        catch (SocketException)
        {
            response = new RawResponse(0, string.Empty, true);
        }

        bool writeFailed = false;
        try
        {
            await writing.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            writeFailed = true;
        }

        if (response.Close || writeFailed || request.CloseAfterSending)
        {
            Reset();
        }

        return response;
    }

    public ValueTask DisposeAsync()
    {
        Reset();
        return ValueTask.CompletedTask;
    }

    private void Reset()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
    }

    private async Task<RawResponse> ReadResponseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? head = await ReadHeadAsync(cancellationToken);
            if (head is null)
            {
                return new RawResponse(0, string.Empty, true);
            }

            string[] lines = head.Split("\r\n");
            string[] statusLine = lines[0].Split(' ', 3);
            int status = statusLine.Length >= 2 && int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 0;
            long? length = null;
            bool chunked = false, close = false;
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                string name = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    close = value.Contains("close", StringComparison.OrdinalIgnoreCase);
                }
            }

            if (status is >= 100 and < 200)
            {
                continue; // 100 Continue: the real answer follows
            }

            var body = new MemoryStream();
            if (status is 204 or 304)
            {
            }
            else if (chunked)
            {
                while (true)
                {
                    string sizeLine = await ReadLineAsync(cancellationToken) ?? throw new IOException("closed in a chunk");
                    int size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (size == 0)
                    {
                        while ((await ReadLineAsync(cancellationToken) ?? string.Empty).Length > 0)
                        {
                        }

                        break;
                    }

                    await ReadBodyAsync(body, size, cancellationToken);
                    await ReadLineAsync(cancellationToken);
                }
            }
            else if (length is long n)
            {
                await ReadBodyAsync(body, n, cancellationToken);
            }
            else
            {
                close = true;
                while (await FillAsync(cancellationToken))
                {
                    body.Write(_buffer, _start, _end - _start);
                    _start = _end;
                }
            }

            return new RawResponse(status, Encoding.UTF8.GetString(body.ToArray()), close);
        }
    }

    private async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (at >= 0)
            {
                string head = Encoding.Latin1.GetString(_buffer, _start, at);
                _start += at + 4;
                return head;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int at = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8);
            if (at >= 0)
            {
                string line = Encoding.Latin1.GetString(_buffer, _start, at);
                _start += at + 2;
                return line;
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task ReadBodyAsync(MemoryStream body, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException("closed in a body");
            }

            int take = (int)Math.Min(count, _end - _start);
            body.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }
    }

    // Reads more into the buffer (compacting it first); false at the end of the stream.
    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("answer head too large");
        }

        int read = await _stream!.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}

/// <summary>An answer: its status (0 when the server closed without one, -1 when none came in time), body and whether the connection closes.</summary>
internal sealed record RawResponse(int Status, string Body, bool Close);
