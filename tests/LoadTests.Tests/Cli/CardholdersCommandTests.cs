namespace PaySim.LoadTests.Tests.Cli;

public sealed class CardholdersCommandTests
{
    [Fact]
    public async Task Cardholders_WithTheSameSeed_PrintsTheSameCsvAsTheSimulatorsExport()
    {
        var (code, first, _) = await CliRunner.RunAsync("cardholders", "--count", "25", "--seed", "7", "--format", "csv");
        var (_, second, _) = await CliRunner.RunAsync("cardholders", "--count", "25", "--seed", "7", "--format", "csv");

        Assert.Equal(0, code);
        var lines = first.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(26, lines.Length);
        Assert.StartsWith("index,pan,", lines[0], StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Cardholders_WithABadFormat_ExitsTwo()
    {
        var (code, _, err) = await CliRunner.RunAsync("cardholders", "--format", "xml");

        Assert.Equal(2, code);
        Assert.Contains("xml", err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
