using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using LiveCloud.Json;

namespace LiveCloud.Http;

/// <summary>
/// A vendor's answer, read whole (up to <see cref="VendorApiClient.MaxResponseBytes"/>) and handed to the adapter's
/// error reader and then to its result reader. The JSON body is parsed once, on first use.
/// </summary>
public sealed class VendorResponse : IDisposable
{
    private readonly HttpResponseMessage _message;
    private JsonDocument? _json;
    private string? _text;

    private VendorResponse(HttpResponseMessage message, ReadOnlyMemory<byte> body, string operation, string provider)
    {
        _message = message;
        Body = body;
        Operation = operation;
        Provider = provider;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status => _message.StatusCode;

    /// <summary>Whether the status is 2xx.</summary>
    public bool IsSuccessStatusCode => _message.IsSuccessStatusCode;

    /// <summary>The raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body's media type, e.g. <c>application/json</c>.</summary>
    public string? MediaType => _message.Content.Headers.ContentType?.MediaType;

    /// <summary>The body as UTF-8 text.</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(Body.Span);

    /// <summary>The vendor action this answers.</summary>
    public string Operation { get; }

    /// <summary>The provider.</summary>
    public string Provider { get; }

    /// <summary>
    /// The body's JSON root, parsed on first use (valid until the answer is disposed, after the reader returns).
    /// </summary>
    /// <exception cref="LiveCloudException">The body is not JSON; the message names the provider, action and status.</exception>
    public JsonElement Json => TryGetJson(out JsonElement root)
        ? root
        : throw new LiveCloudException($"{Provider} {Operation} answered HTTP {(int)Status} with a body that is not JSON ({Body.Length} bytes).") { Provider = Provider, Status = Status, IsTransient = (int)Status >= 500 };

    /// <summary>Parses the body as JSON when it is JSON.</summary>
    /// <param name="root">The root, when it parsed.</param>
    public bool TryGetJson(out JsonElement root)
    {
        if (_json is null && !Body.IsEmpty)
        {
            try
            {
                _json = JsonFields.Parse(Body);
            }
            catch (JsonException)
            {
                // Not JSON: the caller decides what that means (an HTML error page from a proxy, an empty body…).
            }
        }

        root = _json?.RootElement ?? default;
        return _json is not null;
    }

    /// <summary>A response header's first value; <see langword="null"/> when absent.</summary>
    /// <param name="name">The header name.</param>
    public string? Header(string name) =>
        _message.Headers.TryGetValues(name, out IEnumerable<string>? values) || _message.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <summary>The <c>Retry-After</c> delay, when the vendor sent one.</summary>
    public TimeSpan? RetryAfter => _message.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose() => _json?.Dispose();

    /// <summary>Reads the whole body, refusing one over <paramref name="maxBytes"/>.</summary>
    internal static async Task<VendorResponse> ReadAsync(HttpResponseMessage message, int maxBytes, string operation, string provider, CancellationToken cancellationToken)
    {
        if (message.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(operation, provider, message.StatusCode, maxBytes);
        }

        Stream stream = await message.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (message.Content.Headers.ContentLength is long length)
            {
                // The usual case: one array of exactly the body's size.
                byte[] body = new byte[length];
                int read = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return new VendorResponse(message, body.AsMemory(0, read), operation, provider);
            }

            var buffer = new MemoryStream();
            byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > maxBytes)
                    {
                        throw TooLarge(operation, provider, message.StatusCode, maxBytes);
                    }

                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return new VendorResponse(message, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), operation, provider);
        }
    }

    private static LiveCloudException TooLarge(string operation, string provider, HttpStatusCode status, int maxBytes) =>
        new($"{provider} {operation} answered HTTP {(int)status} with a body over {maxBytes} bytes.") { Provider = provider, Status = status };
}
