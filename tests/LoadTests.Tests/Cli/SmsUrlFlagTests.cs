using PaySim.LoadTests.Cli;

namespace PaySim.LoadTests.Tests.Cli;

public sealed class SmsUrlFlagTests
{
    [Fact]
    public async Task Run_WithAnSmsUrlButNoExternalTarget_ExitsTwoWithOneLineNamingTheFlag()
    {
        var (code, _, err) = await CliRunner.RunAsync("run", "--plan", "smoke", "--no-progress", "--sms-url", "http://127.0.0.1:7201");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--sms-url", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAnSmsUrlThatIsNotAUrl_ExitsTwoWithOneLineNamingTheFlag()
    {
        var (code, _, err) = await CliRunner.RunAsync(
            "run", "--plan", "smoke", "--no-progress", "--wallet-url", "http://127.0.0.1:1", "--simulator-url", "http://127.0.0.1:1", "--sms-url", "not a url");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--sms-url", err, StringComparison.Ordinal);
    }
}
