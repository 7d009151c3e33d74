using PaySim.Simulator.Cli;

namespace PaySim.Simulator.Tests.Faults;

public sealed class FaultCliTests
{
    [Fact]
    public async Task UnknownProfile_PrintsOneLineListingTheProfiles_AndExitsWith2()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(
            ["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--cardholders", "10", "--profile", "issuer-on-fire"],
            stdout,
            stderr);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--profile", line);
        Assert.Contains("issuer-outage", line);
    }

    [Fact]
    public async Task NonPositiveMaxActiveFaults_IsABadFlagWithExitCode2()
    {
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(
            ["serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--max-active-faults", "0"],
            new StringWriter(),
            stderr);

        Assert.Equal(2, code);
        Assert.Contains("--max-active-faults: must be 1..1000000, or left out for no limit (was 0)", stderr.ToString());
    }
}
