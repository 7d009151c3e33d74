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

    // The same export as the simulator's: a filter rarer than its bounded scan writes what it found and one note, exit 0.
    [Fact]
    public async Task Cardholders_WithAFilterRarerThanTheScan_WritesFewerRows_AndOneNote()
    {
        var (code, output, err) = await CliRunner.RunAsync("cardholders", "--locale", "en", "--zh-cn-share", "0.9999", "--count", "100");

        Assert.Equal(0, code);
        Assert.Equal(6, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("note: wrote 5 of 100 cardholders: only 5 of the first 110,000 generated match --locale en with --zh-cn-share 0.9999 (the scan stops at --count × 1,000 + 10,000 cards); lower --zh-cn-share or drop a filter", err.TrimEnd('\r', '\n'));
    }

    [Fact]
    public async Task Cardholders_LocaleAndFormat_IgnoreLetterCase()
    {
        var (code, upper, err) = await CliRunner.RunAsync("cardholders", "--count", "20", "--format", "CSV", "--locale", "EN");
        var (_, lower, _) = await CliRunner.RunAsync("cardholders", "--count", "20", "--format", "csv", "--locale", "en");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Equal(lower, upper);
        Assert.StartsWith("index,pan,", upper, StringComparison.Ordinal);
        Assert.Equal(21, upper.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
