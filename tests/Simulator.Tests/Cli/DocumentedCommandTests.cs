using PaySim.Simulator.Cli;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Faults.Serving;

namespace PaySim.Simulator.Tests.Cli;

/// <summary>
/// Every <c>dotnet run --project src/Simulator -- …</c> that README.md and docs/ show parses without an error, a serve
/// command's options pass the checks a start makes, and the fault profile it names is a shipped one that loads: a
/// renamed flag or profile, or a value out of range, fails here, not on a user's first try.
/// </summary>
public sealed class DocumentedCommandTests
{
    public static TheoryData<string, string[]> Commands() => DocumentedCommands.TheoryDataOf("src/Simulator");

    [Fact]
    public void TheDocsShowTheCommands_TheExtractorFindsThem()
    {
        var commands = DocumentedCommands.Of("src/Simulator");

        Assert.InRange(commands.Count, 15, 1000);
        Assert.Contains(commands, c => c.Args.SequenceEqual(["cardholders", "--count", "100000", "--seed", "42", "--format", "csv"]));
        Assert.Contains(commands, c => c.Args.Count == 0); // "dotnet run --project src/Simulator" alone: serve with the defaults
    }

    [Theory]
    [InlineData(new[] { "--nodes", "5", "--resend-cooldown", "5s" }, 5)]
    [InlineData(new[] { "serve", "--nodes", "2" }, 2)]
    [InlineData(new string[0], 3)]
    public void ReadServeOptions_GivesWhatAStartWouldRead(string[] args, int nodes)
    {
        var options = CliApp.ReadServeOptions(args);

        Assert.NotNull(options);
        Assert.Equal(nodes, options.Nodes);
        Assert.Empty(options.Validate());
    }

    [Theory]
    [InlineData("cardholders", "--count", "5")]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    public void ReadServeOptions_OfAnotherCommandOrHelp_IsNull_AndRunsNothing(params string[] args)
    {
        Assert.Null(CliApp.ReadServeOptions(args));
    }

    [Fact]
    public void ReadServeOptions_WithAValueAStartRefuses_GivesItsError()
    {
        var options = CliApp.ReadServeOptions(["--nodes", "99"]);

        Assert.Contains(options!.Validate(), e => e.Contains("nodes", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void DocumentedCommand_Parses_ItsOptionsPassAStartsChecks_AndItsProfileLoads(string where, string[] args)
    {
        var parse = CliApp.Build(TextWriter.Null, TextWriter.Null, null).Parse(args);

        Assert.True(parse.Errors.Count == 0, $"{where}: `{string.Join(' ', args)}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        if (CliApp.ReadServeOptions(args) is { } options)
        {
            var errors = options.Validate();
            Assert.True(errors.Count == 0, $"{where}: `{string.Join(' ', args)}`: {string.Join("; ", errors)}");
        }

        var profile = Array.IndexOf(args, "--profile");
        if (profile >= 0)
        {
            Assert.True(FaultProfiles.Names().Contains(args[profile + 1]), $"{where}: --profile {args[profile + 1]} is no shipped profile; shipped: {string.Join(", ", FaultProfiles.Names())}");
            Assert.NotEmpty(FaultProfiles.Load(args[profile + 1], FaultRuleContext.ForIssuers(3)).Rules);
        }
    }
}
