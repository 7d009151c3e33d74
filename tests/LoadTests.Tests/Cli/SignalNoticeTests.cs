using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.Cli;

/// <summary>The first signal's line promises a report only where there is load to stop (a dry run said it would revert faults).</summary>
public sealed class SignalNoticeTests
{
    [Theory]
    [InlineData(SignalNotice.Load, "run", "--plan", "smoke")]
    [InlineData(SignalNotice.Load, "selftest", "--plans", "smoke")]
    [InlineData(SignalNotice.Plain, "run", "--plan", "smoke", "--dry-run")]
    [InlineData(SignalNotice.Plain, "run", "--dry-run=true")]
    [InlineData(SignalNotice.Plain, "selftest", "--dry-run")]
    [InlineData(SignalNotice.Plain, "run", "--help")]
    [InlineData(SignalNotice.Plain, "merge", "a", "b")]
    [InlineData(SignalNotice.Plain, "plans")]
    [InlineData(SignalNotice.Plain)]
    public void Only_a_command_that_plays_load_promises_to_revert_faults_and_write_a_report(string expected, params string[] args) =>
        Assert.Equal(expected, SignalNotice.For(args));
}
