using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace LiveCloud.Signing;

/// <summary>
/// The parts of a URL a signer has computed (host, path, the signature in an inline buffer), able to write the URL
/// through a <see cref="UrlWriter"/>. <see cref="UrlWriter.Create{TParts}(in TParts)"/> calls <see cref="Write"/> twice:
/// once to measure, once into the string's own memory.
/// </summary>
public interface IUrlParts
{
    /// <summary>Appends the URL's pieces to <paramref name="writer"/>, the same pieces on every call.</summary>
    /// <param name="writer">The writer.</param>
    void Write(ref UrlWriter writer);
}

/// <summary>
/// Writes a signed URL with the URL string as its only allocation: the same <see cref="IUrlParts.Write"/> first measures
/// (nothing is copied), then writes into the memory of the string <see cref="string.Create{TState}(int, TState, System.Buffers.SpanAction{char, TState})"/>
/// allocates. The hot path of every URL signer.
/// </summary>
public ref struct UrlWriter
{
    private readonly Span<char> _buffer;
    private readonly bool _measureOnly;

    private UrlWriter(Span<char> buffer, bool measureOnly)
    {
        _buffer = buffer;
        _measureOnly = measureOnly;
        Position = 0;
    }

    /// <summary>How many characters have been appended (measured or written).</summary>
    public int Position { readonly get; private set; }

    /// <summary>The URL <paramref name="parts"/> write, as a new string (its one allocation).</summary>
    /// <typeparam name="TParts">The signer's parts: a struct, so the calls are direct.</typeparam>
    /// <param name="parts">The parts.</param>
    public static string Create<TParts>(in TParts parts)
        where TParts : struct, IUrlParts
    {
        var measure = new UrlWriter(Span<char>.Empty, measureOnly: true);
        TParts copy = parts;
        copy.Write(ref measure);
        return string.Create(measure.Position, copy, static (span, p) =>
        {
            var writer = new UrlWriter(span, measureOnly: false);
            p.Write(ref writer);
            Debug.Assert(writer.Position == span.Length, "measured and written lengths agree");
        });
    }

    /// <summary>Appends <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    public void Append(scoped ReadOnlySpan<char> text)
    {
        if (!_measureOnly)
        {
            text.CopyTo(_buffer[Position..]);
        }

        Position += text.Length;
    }
}

/// <summary>24 characters inline (no allocation): a Unix time in decimal or hex, for a signer's parts.</summary>
[InlineArray(24)]
public struct InlineChars24
{
    private char _c;
}

/// <summary>32 characters inline (no allocation): an MD5 in hex, for a signer's parts.</summary>
[InlineArray(32)]
public struct InlineChars32
{
    private char _c;
}

/// <summary>64 characters inline (no allocation): a SHA-256 or HMAC-SHA256 in hex, for a signer's parts.</summary>
[InlineArray(64)]
public struct InlineChars64
{
    private char _c;
}
