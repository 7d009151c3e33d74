using System.Net;
using System.Text.Json.Nodes;

namespace PaySim.LoadEngine.Tests.Reporting;

/// <summary>The command that runs a test again (<see cref="RunSummary.Command"/>) in summary.json, report.md and report.html.</summary>
public sealed class RunCommandReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "paysim-command-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Command_IsInSummaryJson_AndAtTheTopOfBothReports()
    {
        const string command = "dotnet run --project src/LoadTests -- run --plan smoke --wallet-hook 'crash=kill <pid> && echo \"done\"' --seed 7";
        var summary = new RunSummary { Plan = "smoke", StartedUtc = DateTimeOffset.UnixEpoch, Command = command };

        await ReportWriter.WriteAsync(_folder, summary, []);

        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "summary.json")))!.AsObject();
        Assert.Equal(command, json["command"]!.GetValue<string>());
        var read = RunSummary.FromJson(json.ToJsonString());
        Assert.Equal(command, read.Command);
        Assert.False(read.Extra.ContainsKey("command"), "a known field read back as an extra one would be written twice");
        var md = (await File.ReadAllTextAsync(Path.Combine(_folder, "report.md"))).Split('\n');
        Assert.Equal($"Run it again: `{command}`", Array.Find(md, l => l.StartsWith("Run it again", StringComparison.Ordinal)));
        Assert.True(Array.IndexOf(md, $"Run it again: `{command}`") < Array.FindIndex(md, l => l.StartsWith("## Claims", StringComparison.Ordinal)));
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "report.html"));
        Assert.Contains($"<p>Run it again: <code>{WebUtility.HtmlEncode(command)}</code></p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<pid>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandWithABacktick_GetsALongerCodeFenceInMarkdown()
    {
        var summary = new RunSummary { Plan = "p", Command = "x run --wallet-hook 'crash=echo `date`'" };

        await ReportWriter.WriteAsync(_folder, summary, []);

        var md = await File.ReadAllTextAsync(Path.Combine(_folder, "report.md"));
        Assert.Contains("Run it again: `` x run --wallet-hook 'crash=echo `date`' ``", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutACommand_NothingIsWrittenForIt()
    {
        await ReportWriter.WriteAsync(_folder, new RunSummary { Plan = "p" }, []);

        Assert.False(JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "summary.json")))!.AsObject().ContainsKey("command"));
        Assert.DoesNotContain("Run it again", await File.ReadAllTextAsync(Path.Combine(_folder, "report.md")), StringComparison.Ordinal);
        Assert.DoesNotContain("Run it again", await File.ReadAllTextAsync(Path.Combine(_folder, "report.html")), StringComparison.Ordinal);
    }
}
