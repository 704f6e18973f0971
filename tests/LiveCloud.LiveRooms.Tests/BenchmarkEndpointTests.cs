using System.Net;
using System.Text.Json;

namespace LiveCloud.LiveRooms.Tests;

/// <summary>The load test's ceiling endpoint (scripts/bench.sh): absent unless switched on, exact in size when on.</summary>
[Trait("Category", "RealParts")]
public sealed class BenchmarkEndpointTests
{
    [SkippableFact]
    public async Task FixedJson_IsNotMapped_ByDefault()
    {
        RoomsApp app = await RoomsApp.StartAsync();
        try
        {
            using HttpResponseMessage response = await app.Client.GetAsync("/api/bench/fixed/253");
            response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }

    [SkippableFact]
    public async Task FixedJson_AnswersExactlyTheAskedBytes_AsJson_WhenSwitchedOn()
    {
        RoomsApp app = await RoomsApp.StartAsync(extraArgs: "--LiveRooms:BenchmarkEndpoints=true");
        try
        {
            foreach (int bytes in new[] { 253, 1000, 253 })
            {
                using HttpResponseMessage response = await app.Client.GetAsync($"/api/bench/fixed/{bytes}");
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
                byte[] body = await response.Content.ReadAsByteArrayAsync();
                body.Length.Should().Be(bytes);
                using JsonDocument document = JsonDocument.Parse(body);
                document.RootElement.ValueKind.Should().Be(JsonValueKind.Object);
            }

            using HttpResponseMessage tooBig = await app.Client.GetAsync("/api/bench/fixed/100000000");
            tooBig.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        finally
        {
            await app.DisposeAsync();
            app.DeleteData();
        }
    }
}
