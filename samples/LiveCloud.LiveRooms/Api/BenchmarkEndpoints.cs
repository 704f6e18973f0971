namespace LiveCloud.LiveRooms.Api;

/// <summary>
/// The load test's ceiling (scripts/bench.sh): <c>GET /api/bench/fixed/{bytes}</c> answers a fixed JSON object of exactly
/// that many bytes, cached, so the same process, routing and Kestrel path show what <c>GET /api/rooms/{id}</c> could reach
/// with no work of its own. Mapped only when <c>LiveRooms:BenchmarkEndpoints</c> is on.
/// </summary>
public static class BenchmarkEndpoints
{
    /// <summary>The largest body the endpoint makes.</summary>
    public const int MaxBytes = 64 * 1024;

    private const string Prefix = "{\"pad\":\"";
    private const string Suffix = "\"}";

    // One cached body: the load test asks for one size at a time.
    private static byte[] s_body = [];

    /// <summary>Maps <c>/api/bench/fixed/{bytes}</c>.</summary>
    public static void MapBenchmarkEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/bench/fixed/{bytes:int}", Fixed);

    private static IResult Fixed(int bytes)
    {
        if (bytes < Prefix.Length + Suffix.Length || bytes > MaxBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad size.",
                detail: $"bytes must be from {Prefix.Length + Suffix.Length} to {MaxBytes}; got {bytes}.");
        }

        byte[] body = Volatile.Read(ref s_body);
        if (body.Length != bytes)
        {
            body = System.Text.Encoding.ASCII.GetBytes(Prefix + new string('x', bytes - Prefix.Length - Suffix.Length) + Suffix);
            Volatile.Write(ref s_body, body);
        }

        // The same content type as the JSON answers of the API, so the headers weigh the same too.
        return TypedResults.Bytes(body, "application/json; charset=utf-8");
    }
}
