namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>The extractor the documented-command tests read the docs with (tests/TestSupport/DocumentedCommands).</summary>
public sealed class DocumentedCommandsExtractorTests
{
    [Fact]
    public void FencedCommand_IsCutAtItsComment_AndAContinuedOneIsJoined()
    {
        var found = DocumentedCommands.InText("x.md",
        [
            "```bash",
            "dotnet run --project src/LoadTests -- run --plan smoke --rate 20   # exits 0",
            "dotnet run --project src/LoadTests -- run --plan instance-crash \\",
            "    --wallet-url http://127.0.0.1:8080 --simulator-url http://127.0.0.1:7000",
            "dotnet run --project src/Simulator -- cardholders --count 5 > cards.csv",
            "dotnet run --project src/Simulator &",
            "```",
        ]);

        Assert.Equal(4, found.Count);
        Assert.Equal(["run", "--plan", "smoke", "--rate", "20"], found[0].Args);
        Assert.Equal("x.md:2", found[0].Where);
        Assert.Equal(["run", "--plan", "instance-crash", "--wallet-url", "http://127.0.0.1:8080", "--simulator-url", "http://127.0.0.1:7000"], found[1].Args);
        Assert.Equal(["cardholders", "--count", "5"], found[2].Args);
        Assert.Equal("src/Simulator", found[3].Project);
        Assert.Empty(found[3].Args);
    }

    [Fact]
    public void QuotedHook_StaysOneArgument_AndTheCommandInsideItIsFoundToo()
    {
        var found = DocumentedCommands.InText("x.md",
        [
            "```bash",
            "dotnet run --project src/LoadTests -- run --wallet-hook crash='pkill -KILL -f \"port 7301\"' --wallet-hook restart='nohup dotnet run --project src/Wallet -- --port 7301 >/dev/null 2>&1 &'",
            "```",
        ]);

        Assert.Equal(2, found.Count);
        Assert.Equal(["run", "--wallet-hook", "crash=pkill -KILL -f \"port 7301\"", "--wallet-hook", "restart=nohup dotnet run --project src/Wallet -- --port 7301 >/dev/null 2>&1 &"], found[0].Args);
        Assert.Equal("src/Wallet", found[1].Project);
        Assert.Equal(["--port", "7301"], found[1].Args);
    }

    [Fact]
    public void InlineCommand_EndsAtTheBacktick_ProseAfterTheProjectIsNoCommand()
    {
        var found = DocumentedCommands.InText("x.md",
        [
            "Run `dotnet run --project src/Simulator -- --issuer-port 8101 --sms-port 8201` first.",
            "The standalone simulator (`dotnet run --project src/Simulator`) has no flag for weights.",
            "Build it with dotnet run --project src/Simulator in Release.",
        ]);

        Assert.Equal(2, found.Count);
        Assert.Equal(["--issuer-port", "8101", "--sms-port", "8201"], found[0].Args);
        Assert.Empty(found[1].Args);
    }

    [Fact]
    public void InstalledTool_IsTheLoadTestsCommand_AndACommandInACommentIsNone()
    {
        var found = DocumentedCommands.InText("x.md",
        [
            "```bash",
            "paysim run --plan smoke --duration 5s      # same verbs and flags as dotnet run --project src/LoadTests --",
            "```",
        ]);

        var only = Assert.Single(found);
        Assert.Equal("src/LoadTests", only.Project);
        Assert.Equal(["run", "--plan", "smoke", "--duration", "5s"], only.Args);
    }

    [Theory]
    [InlineData("dotnet run --project src/Simulator -- [serve] [--nodes 3]")]
    [InlineData("dotnet run --project src/Simulator -- cardholders --count N --seed S")]
    [InlineData("dotnet run --project src/LoadTests -- run --wallet-url ... --simulator-url ...")]
    [InlineData("dotnet run --project src/LoadTests -- run --plan <name>")]
    public void Synopsis_IsNoCommand(string line)
    {
        Assert.Empty(DocumentedCommands.InText("x.md", ["```bash", line, "```"]));
    }

    [Fact]
    public void TranscriptOfARefusal_IsNoCommand_ButAPromptedCommandThatWorksIs()
    {
        var found = DocumentedCommands.InText("x.md",
        [
            "```text",
            "$ dotnet run --project src/Wallet -- --defect typo",
            "error: invalid wallet options: defects (--defect) ...",
            "$ dotnet run --project src/Wallet -- --instances 2",
            "wallet-1 listening on http://127.0.0.1:7300/",
            "```",
        ]);

        Assert.Equal(["--instances", "2"], Assert.Single(found).Args);
    }
}
