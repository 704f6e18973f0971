using LiveCloud.Testing;

namespace LiveCloud.Tests.Testing;

/// <summary>The rule for tests that need a real program: a visible skip on a developer's machine, a failure under CI, never a silent pass.</summary>
public sealed class RealPartsTests
{
    [Fact]
    public void Nothing_missing_means_no_reason_and_no_skip()
    {
        RealParts.MissingReason(["nginx", "ffmpeg"], _ => true).Should().BeNull();
        Action require = () => RealParts.Require(missingReason: null, underCi: true);
        require.Should().NotThrow();
    }

    [Fact]
    public void The_reason_names_what_is_missing_and_the_script_that_installs_it()
    {
        RealParts.MissingReason(["nginx", "ffmpeg"], t => t != "nginx").Should().Be("nginx is not installed; run scripts/prereqs.sh");
        RealParts.MissingReason(["nginx", "ffmpeg", "dnsmasq"], _ => false).Should().Be("nginx, ffmpeg and dnsmasq are not installed; run scripts/prereqs.sh");
    }

    [Fact]
    public void A_missing_program_skips_outside_CI()
    {
        Action require = () => RealParts.Require("nginx is not installed; run scripts/prereqs.sh", underCi: false);
        require.Should().Throw<SkipException>().WithMessage("nginx is not installed; run scripts/prereqs.sh");
    }

    [Fact]
    public void A_missing_program_fails_under_CI()
    {
        Action require = () => RealParts.Require("nginx is not installed; run scripts/prereqs.sh", underCi: true);
        require.Should().Throw<InvalidOperationException>().WithMessage("nginx is not installed; run scripts/prereqs.sh*CI=true*");
    }

    [Fact]
    public void A_program_that_cannot_exist_is_reported_missing() =>
        RealParts.MissingReason("livecloud-no-such-program").Should().Be("livecloud-no-such-program is not installed; run scripts/prereqs.sh");
}
