using LiveCloud.Http;
using LiveCloud.Testing.Emulators.Aliyun;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace LiveCloud.Aliyun.Tests;

public sealed class LoggingTests
{
    [Theory]
    [InlineData(AliyunSignatureVersion.Acs3)]
    [InlineData(AliyunSignatureVersion.V1)]
    public async Task Logs_name_the_action_but_never_secrets_or_signatures(AliyunSignatureVersion version)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        await using AliyunLiveEmulator emulator = await AliyunTestSetup.StartEmulatorAsync(clock);
        AliyunOptions options = AliyunTestSetup.Options(emulator.BaseAddress, version);
        options.SecurityToken = "STS-TOKEN-SECRET";
        emulator.Credentials["testid"] = "testsecret";
        var logger = new FakeLogger();
        logger.ControlLevel(LogLevel.Trace, true);
        var pipeline = new VendorHttpPipeline("Aliyun", new HttpClient { BaseAddress = options.Endpoint }, options.Resilience, logger, TimeProvider.System);
        var provider = new AliyunStreamProvider(options, pipeline, clock);

        emulator.Then(AliyunLiveEmulator.ThrottlingUser);
        await provider.ListDomainsAsync().ToListAsync();
        emulator.SecurityTokens["testid"] = "another-token";
        Func<Task> denied = () => provider.GetStreamStateAsync(new StreamId("live", "room_1001"));
        await denied.Should().ThrowAsync<LiveCloudException>("the emulator now expects another security token");

        IReadOnlyList<FakeLogRecord> logs = logger.Collector.GetSnapshot();
        logs.Should().Contain(r => r.Message.Contains("DescribeLiveUserDomains") && r.Message.Contains("Throttling.User"));
        foreach (FakeLogRecord record in logs)
        {
            string all = record.Message + string.Join(" ", record.StructuredState?.Select(kv => kv.Value) ?? []);
            all.Should().NotContain("testsecret").And.NotContain("STS-TOKEN-SECRET").And.NotContain("Signature=").And.NotContain("PushKey");
        }
    }
}
