using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.Wallet.Tests.Hosting;

/// <summary>
/// Every <c>dotnet run --project src/Wallet -- …</c> that README.md and docs/ show parses, and its options pass the
/// checks a start makes: a renamed flag, alias, policy or defect fails here, not on a user's first try. The
/// transcripts of refused starts are left out; a command with <c>--config</c> (the reader's own file) is parsed only.
/// </summary>
public sealed class DocumentedCommandTests
{
    public static TheoryData<string, string[]> Commands() => DocumentedCommands.TheoryDataOf("src/Wallet");

    [Fact]
    public void TheDocsShowTheCommands_TheExtractorFindsThem()
    {
        var commands = DocumentedCommands.Of("src/Wallet");

        Assert.InRange(commands.Count, 8, 1000);
        Assert.Contains(commands, c => c.Args.SequenceEqual(["--instances", "2", "--mode", "resilient", "--db", "/tmp/wallet.db"]));
        Assert.DoesNotContain(commands, c => c.Args.Contains("typo")); // docs/wallet.md shows "--defect typo" refused
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void DocumentedCommand_Parses_AndItsOptionsAreValid(string where, string[] args)
    {
        var parse = WalletCommandLine.Build().Parse(args);

        Assert.True(parse.Errors.Count == 0, $"{where}: `{string.Join(' ', args)}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        if (!args.Contains("--config") && !args.Contains("--help"))
        {
            var ex = Record.Exception(() => WalletCommandLine.ReadOptions(args));
            Assert.True(ex is null, $"{where}: `{string.Join(' ', args)}`: {ex?.Message}");
        }
    }

    [Theory]
    [InlineData("--defect typo", "defects (--defect)")]
    [InlineData("--mode sometimes", "--mode must be naive or resilient (got 'sometimes')")]
    [InlineData("--instances 0", "instances (--instances) must be 1..64")]
    [InlineData("--port many", "--port: \"many\" is not a whole number")]
    [InlineData("--mode naive --defect no-failover", "defects are planted on resilient mode")]
    public void ReadOptions_RefusesWhatAStartRefuses_WithItsLine(string arguments, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => WalletCommandLine.ReadOptions(arguments.Split(' ')));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOptions_FlagsOverTheDefaults()
    {
        var o = WalletCommandLine.ReadOptions(["--instances", "2", "--mode", "resilient", "--policy", "least_requests", "--password-iterations", "1000", "--defect", "no-failover"]);

        Assert.Equal(2, o.Instances);
        Assert.Equal(WalletMode.Resilient, o.Mode);
        Assert.Equal("least_requests", o.BalancingPolicy);
        Assert.Equal(1000, o.PasswordHashIterations);
        Assert.Equal(1000, o.PinHashIterations);
        Assert.Equal(["no-failover"], o.Defects);
    }
}
