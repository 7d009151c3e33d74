using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 1, end to end: the run is given two wallet URLs and one of them never answers a call, so one
/// instance serves everything. The silent instance counts at zero: Jain 0.5, the largest share 100%, lb-fairness fails.
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class WalletFairnessRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-fairness-").FullName;

    [Fact]
    public async Task LbFairness_GivenTwoWalletUrlsOfWhichOneNeverAnswers_CountsItAtZeroAndFailsBothWalletFairnessClaims()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 15 });
        await using var wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 1,
            Port = 0,
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = Path.Combine(_dir, "wallet.db"),
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });
        await using var silent = await VanishingInstance.StartAsync();
        var folder = Path.Combine(_dir, "report");

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "run", "--plan", "lb-fairness", "--duration", "6s", "--settle", "5s", "--no-progress", "--report-dir", folder,
            "--wallet-url", wallet.Instances[0].Uri.ToString(), "--wallet-url", silent.Uri.ToString(),
            "--simulator-url", simulator.ControlUri.ToString());

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal(1, silent.HealthChecks);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
        var instances = summary["walletInstances"]!.AsArray().Select(w => w!.AsObject()).ToArray();
        Assert.Equal(2, instances.Length);
        var served = instances.Single(w => w["name"]!.GetValue<string>() == wallet.Instances[0].Name);
        var never = instances.Single(w => w["name"]!.GetValue<string>() == silent.Uri.ToString());
        Assert.True(served["replies"]!.GetValue<long>() > 50, summary["walletInstances"]!.ToJsonString());
        Assert.Equal(1.0, served["share"]!.GetValue<double>());
        Assert.Equal(0, never["replies"]!.GetValue<long>());
        Assert.Equal(0.0, never["share"]!.GetValue<double>());
        Assert.False(never["answered"]!.GetValue<bool>());
        Assert.Equal(0.5, summary["figures"]!["wallet_jain_fairness"]!.GetValue<double>());
        Assert.Equal(1.0, summary["figures"]!["wallet_max_node_share"]!.GetValue<double>());
        Assert.Equal(0.5, summary["fairness"]!["walletJain"]!.GetValue<double>());
        var claims = summary["claims"]!.AsArray().ToDictionary(c => c!["expression"]!.GetValue<string>(), c => c!["pass"]!.GetValue<bool>());
        Assert.False(claims["wallet_jain_fairness >= 0.95"]);
        Assert.False(claims["wallet_max_node_share <= 55%"]);
        // Every call still got an answer (from the one instance): only the fairness claims fail.
        Assert.True(claims["success_rate >= 99.5%"], stdout);
        Assert.Equal(2, claims.Count(c => !c.Value));
        Assert.Contains("(never answered)", stdout, StringComparison.Ordinal);
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
}
