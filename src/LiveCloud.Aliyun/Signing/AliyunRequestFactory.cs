using System.Globalization;

namespace LiveCloud.Aliyun.Signing;

/// <summary>
/// Builds one signed live API request (RPC style: <c>POST /</c>, every parameter in the query, no body),
/// signed with ACS3 or V1. Called once per attempt, so each attempt has a fresh date and nonce.
/// </summary>
internal sealed class AliyunRequestFactory
{
    public const string ApiVersion = "2016-11-01";

    private readonly AliyunOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<string> _nonces;

    public AliyunRequestFactory(AliyunOptions options, TimeProvider time, Func<string> nonces)
    {
        _options = options;
        _time = time;
        _nonces = nonces;
    }

    public Uri Endpoint => _options.Endpoint;

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public HttpRequestMessage Create(string action, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Uri endpoint = _options.Endpoint;
        string accessKeyId = _options.AccessKeyId!;
        string secret = _options.AccessKeySecret!;
        string? token = string.IsNullOrEmpty(_options.SecurityToken) ? null : _options.SecurityToken;
        string date = FormatTimestamp(_time.GetUtcNow());
        string nonce = _nonces();

        var query = new List<KeyValuePair<string, string>>(parameters.Count + 10);
        query.AddRange(parameters);
        if (!string.IsNullOrEmpty(_options.RegionId) && !parameters.Any(p => p.Key == "RegionId"))
        {
            query.Add(new("RegionId", _options.RegionId));
        }

        HttpRequestMessage request;
        if (_options.SignatureVersion == AliyunSignatureVersion.V1)
        {
            query.Add(new("Action", action));
            query.Add(new("Version", ApiVersion));
            query.Add(new("Format", "JSON"));
            query.Add(new("AccessKeyId", accessKeyId));
            query.Add(new("SignatureMethod", AliyunRpcV1Signer.SignatureMethod));
            query.Add(new("SignatureVersion", AliyunRpcV1Signer.SignatureVersion));
            query.Add(new("SignatureNonce", nonce));
            query.Add(new("Timestamp", date));
            if (token is not null)
            {
                query.Add(new("SecurityToken", token));
            }

            string canonical = AliyunRpcV1Signer.CanonicalQuery(query);
            string signature = AliyunRpcV1Signer.Sign(secret, AliyunRpcV1Signer.StringToSign("POST", canonical));
            request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "?" + canonical + "&Signature=" + AliyunPercentEncoding.Encode(signature)));
        }
        else
        {
            var headers = new List<KeyValuePair<string, string>>
            {
                new("host", endpoint.Authority),
                new("x-acs-action", action),
                new("x-acs-version", ApiVersion),
                new("x-acs-date", date),
                new("x-acs-signature-nonce", nonce),
                new("x-acs-content-sha256", AliyunAcs3Signer.EmptyPayloadHash),
            };
            if (token is not null)
            {
                headers.Add(new("x-acs-security-token", token));
            }

            Acs3Signature signature = AliyunAcs3Signer.Sign("POST", endpoint.AbsolutePath, query, headers, accessKeyId, secret);
            string canonicalQuery = AliyunAcs3Signer.CanonicalQuery(query);
            request = new HttpRequestMessage(HttpMethod.Post, canonicalQuery.Length == 0 ? endpoint : new Uri(endpoint, "?" + canonicalQuery));
            foreach (KeyValuePair<string, string> header in headers)
            {
                if (header.Key != "host")
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        }

        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        return request;
    }
}
