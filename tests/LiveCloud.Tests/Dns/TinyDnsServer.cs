using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveCloud.Dns.Tests;

/// <summary>
/// A minimal authoritative UDP DNS responder on 127.0.0.1, for what dnsmasq will not do: dnsmasq refuses to
/// load a looping <c>--cname</c> configuration ("CNAME loop involving …") and answers CNAME queries its own
/// way, so loops, whole-chain answers, TTLs, slow answers and silence are produced here, on a real socket,
/// with real DNS wire format. It answers CNAME queries from <see cref="Cnames"/> (one link, or the whole chain
/// when <see cref="WholeChain"/>), A queries from <see cref="Addresses"/>, NOERROR with no answer for a name that
/// only has an address, and NXDOMAIN otherwise.
/// </summary>
public sealed class TinyDnsServer : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private int _queries;
    private int _inFlight;
    private int _maxInFlight;

    public TinyDnsServer()
    {
        EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _ = Task.Run(ServeAsync);
    }

    public IPEndPoint EndPoint { get; }

    public ConcurrentDictionary<string, string> Cnames { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentDictionary<string, IPAddress> Addresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Names answered with SERVFAIL.</summary>
    public ConcurrentDictionary<string, bool> ServerFailures { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answer a CNAME query with every link of the chain at once (bounded to 30 records).</summary>
    public bool WholeChain { get; set; }

    /// <summary>Never answer (a black hole).</summary>
    public bool Silent { get; set; }

    public TimeSpan ReplyDelay { get; set; }

    public uint Ttl { get; set; }

    public int Queries => Volatile.Read(ref _queries);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            Interlocked.Increment(ref _queries);
            if (Silent)
            {
                continue;
            }

            _ = Task.Run(() => AnswerAsync(received));
        }
    }

    private async Task AnswerAsync(UdpReceiveResult received)
    {
        int now = Interlocked.Increment(ref _inFlight);
        int max;
        while (now > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
        }

        bool counted = true;
        try
        {
            if (ReplyDelay > TimeSpan.Zero)
            {
                await Task.Delay(ReplyDelay, _stop.Token);
            }

            byte[] reply = BuildReply(received.Buffer);

            // Out of flight before the reply leaves: the client may answer it with its next query at once,
            // and counting both would report more concurrency than the client ever had.
            Interlocked.Decrement(ref _inFlight);
            counted = false;
            await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private byte[] BuildReply(byte[] query)
    {
        // Question: labels from offset 12, then QTYPE, QCLASS.
        int offset = 12;
        var labels = new List<string>();
        while (query[offset] != 0)
        {
            int length = query[offset];
            labels.Add(System.Text.Encoding.ASCII.GetString(query, offset + 1, length));
            offset += length + 1;
        }

        offset++;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        offset += 4;
        string name = string.Join('.', labels);
        byte[] question = query[12..offset];

        var answers = new List<byte[]>();
        int rcode = 0;
        if (ServerFailures.ContainsKey(name))
        {
            rcode = 2;
        }
        else if (type == 5 && Cnames.TryGetValue(name, out string? target))
        {
            answers.Add(Record(name, 5, EncodeName(target)));
            string owner = target;
            while (WholeChain && answers.Count < 30 && Cnames.TryGetValue(owner, out string? next))
            {
                answers.Add(Record(owner, 5, EncodeName(next)));
                owner = next;
            }
        }
        else if (type == 1 && Addresses.TryGetValue(name, out IPAddress? address))
        {
            answers.Add(Record(name, 1, address.GetAddressBytes()));
        }
        else if (!Cnames.ContainsKey(name) && !Addresses.ContainsKey(name))
        {
            rcode = 3;
        }

        using var reply = new MemoryStream();
        reply.Write(query, 0, 2);                                 // id
        reply.WriteByte((byte)(0x84 | (query[2] & 0x01)));       // QR, AA, RD copied
        reply.WriteByte((byte)(0x80 | rcode));                   // RA, RCODE
        WriteUInt16(reply, 1);
        WriteUInt16(reply, (ushort)answers.Count);
        WriteUInt16(reply, 0);
        WriteUInt16(reply, 0);
        reply.Write(question);
        foreach (byte[] answer in answers)
        {
            reply.Write(answer);
        }

        return reply.ToArray();
    }

    private byte[] Record(string owner, ushort type, byte[] data)
    {
        using var record = new MemoryStream();
        record.Write(EncodeName(owner));
        WriteUInt16(record, type);
        WriteUInt16(record, 1);
        Span<byte> ttl = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ttl, Ttl);
        record.Write(ttl);
        WriteUInt16(record, (ushort)data.Length);
        record.Write(data);
        return record.ToArray();
    }

    private static byte[] EncodeName(string name)
    {
        using var bytes = new MemoryStream();
        foreach (string label in name.TrimEnd('.').Split('.'))
        {
            bytes.WriteByte((byte)label.Length);
            bytes.Write(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.WriteByte(0);
        return bytes.ToArray();
    }

    private static void WriteUInt16(Stream stream, ushort value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, value);
        stream.Write(buffer);
    }
}
