using PaySim.Simulator.Cli;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Faults.Serving;

namespace PaySim.Simulator.Tests.Cli;

/// <summary>
/// Every <c>dotnet run --project src/Simulator -- …</c> that README.md and docs/ show parses without an error, and the
/// fault profile it names is a shipped one that loads: a renamed flag or profile fails here, not on a user's first try.
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
    [MemberData(nameof(Commands))]
    public void DocumentedCommand_Parses_AndItsProfileLoads(string where, string[] args)
    {
        var parse = CliApp.Build(TextWriter.Null, TextWriter.Null, null).Parse(args);

        Assert.True(parse.Errors.Count == 0, $"{where}: `{string.Join(' ', args)}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        var profile = Array.IndexOf(args, "--profile");
        if (profile >= 0)
        {
            Assert.True(FaultProfiles.Names().Contains(args[profile + 1]), $"{where}: --profile {args[profile + 1]} is no shipped profile; shipped: {string.Join(", ", FaultProfiles.Names())}");
            Assert.NotEmpty(FaultProfiles.Load(args[profile + 1], FaultRuleContext.ForIssuers(3)).Rules);
        }
    }
}
