using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 6: a resilient wallet wired to issuer-1 alone passed node-loss, which always took issuer-2 down. The
/// run's seed now picks the lost node: the same wallet still passes a seed that loses a node it never calls, and fails
/// the seed that loses its only node.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class NodeLossSeedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-node-seed-").FullName;

    [Fact]
    public async Task Run_NodeLossAgainstAWalletWiredToIssuer1Only_FailsForTheSeedThatLosesIssuer1()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Nodes = 3, IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 11 });
        await using var wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 1,
            Port = 0,
            // The integration mistake: one issuer node configured, the others forgotten.
            IssuerUris = [simulator.IssuerNodes.Single(n => n.Name == "issuer-1").Uri],
            DatabasePath = Path.Combine(_dir, "wallet.db"),
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });

        // --seed 1 loses issuer-2, a node this wallet never calls: nothing shows, as with the old fixed plan.
        var spared = await RunAsync("1", wallet, simulator);
        // --seed 0 loses issuer-1, its only node.
        var lost = await RunAsync("0", wallet, simulator);

        Assert.True(spared.Code == ExitCodes.AllClaimsHold, spared.Output);
        Assert.Equal(["node issuer-2 down", "node issuer-2 down ended"], spared.Timeline);
        Assert.Contains("node events: seed 1 picks issuer-2 of 3 issuer nodes to go down at 2500ms", spared.Output, StringComparison.Ordinal);
        Assert.True(lost.Code == ExitCodes.ClaimFailed, lost.Output);
        Assert.Equal(["node issuer-1 down", "node issuer-1 down ended"], lost.Timeline);
        var successRate = lost.Summary["claims"]!.AsArray().Single(c => c!["expression"]!.GetValue<string>() == "success_rate >= 99%")!;
        Assert.False(successRate["pass"]!.GetValue<bool>(), lost.Output);
        // Every payment in the outage failed: the wallet had nowhere else to go.
        Assert.True(successRate["observed"]!.GetValue<double>() < 0.9, lost.Output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(int Code, string Output, JsonObject Summary, string[] Timeline)> RunAsync(string seed, WalletHost wallet, SimulatorHost simulator)
    {
        var folder = Path.Combine(_dir, "report-seed-" + seed);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var code = await LoadTestsCli.InvokeAsync(
            [
                "run", "--plan", "node-loss", "--duration", "10s", "--settle", "2s", "--seed", seed, "--no-progress", "--report-dir", folder,
                "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString(),
            ],
            stdout, stderr, timeout.Token);
        var output = $"seed {seed}: exit {code}\n{stdout}\n{stderr}";
        var file = Path.Combine(folder, "summary.json");
        Assert.True(File.Exists(file), output);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsObject();
        var timeline = summary["faultTimeline"]!.AsArray().Select(e => e!["what"]!.GetValue<string>()).ToArray();
        return (code, output, summary, timeline);
    }
}
