using System.Text.Json.Nodes;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>deploy/haproxy/haproxy.cfg: valid for haproxy itself, and spreading a plan's load evenly over wallet instances.</summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class HaproxyTests
{
    private static string Haproxy => ExternalTools.Require(ExternalTools.Haproxy);

    [ToolFact(ExternalTools.Haproxy)]
    public async Task ShippedConfig_IsAcceptedByHaproxyCheck()
    {
        var (code, output) = await HaproxyCheck.RunAsync(RepoPaths.Of("deploy", "haproxy", "haproxy.cfg"));

        Assert.True(code == 0, output);
    }

    [Fact]
    public void ShippedConfig_ChecksWalletHealthRoundRobinOnTheDefaultPorts()
    {
        var cfg = File.ReadAllText(RepoPaths.Of("deploy", "haproxy", "haproxy.cfg"));

        Assert.Contains("option httpchk GET /health", cfg, StringComparison.Ordinal);
        Assert.Contains("balance roundrobin", cfg, StringComparison.Ordinal);
        Assert.Contains("bind 127.0.0.1:8080", cfg, StringComparison.Ordinal);
        Assert.Contains("server wallet-1 127.0.0.1:7300 check", cfg, StringComparison.Ordinal);
        Assert.Contains("server wallet-2 127.0.0.1:7301 check", cfg, StringComparison.Ordinal);
        Assert.Contains("stats enable", cfg, StringComparison.Ordinal);
    }

    [ToolFact(ExternalTools.Haproxy)]
    public async Task RenderedConfig_ForOtherPorts_IsStillValid()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paysim-haproxy-check-{Guid.NewGuid():N}.cfg");
        try
        {
            var rendered = HaproxyProcess.Render(File.ReadAllText(RepoPaths.Of("deploy", "haproxy", "haproxy.cfg")), [new Uri("http://127.0.0.1:41001"), new Uri("http://127.0.0.1:41002"), new Uri("http://127.0.0.1:41003")], 41010, 41011);
            File.WriteAllText(file, rendered);

            var (code, output) = await HaproxyCheck.RunAsync(file);

            Assert.True(code == 0, output);
            Assert.Contains("server wallet-3 127.0.0.1:41003 check", rendered, StringComparison.Ordinal);
            Assert.DoesNotContain(rendered.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), l => l.Contains(":7300", StringComparison.Ordinal) || l.Contains(":8080", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [ToolFact(ExternalTools.Haproxy)]
    public async Task LbFairnessPlan_ThroughHaproxyInFrontOfTwoWallets_SpreadsRepliesEvenlyOverInstances()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 9 });
        var db = Path.Combine(Path.GetTempPath(), $"paysim-lt-haproxy-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-lt-haproxy-{Guid.NewGuid():N}");
        try
        {
            await using (var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 2,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            }))
            await using (var proxy = await HaproxyProcess.StartAsync(Haproxy, wallet.Instances.Select(i => i.Uri).ToArray(), timeout.Token))
            {
                var (code, stdout, stderr) = await CliRunner.RunAsync(
                    "run", "--plan", "lb-fairness", "--duration", "6s", "--no-progress", "--report-dir", folder,
                    "--wallet-url", proxy.Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString());

                var summaryFile = Path.Combine(folder, "summary.json");
                Assert.True(File.Exists(summaryFile), $"exit {code}\n{stdout}\n{stderr}");
                var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryFile))!.AsObject();
                var instances = summary["walletInstances"]!.AsArray();
                Assert.Equal(2, instances.Count);
                Assert.All(instances, i => Assert.True(i!["replies"]!.GetValue<long>() > 20, summary["walletInstances"]!.ToJsonString()));
                var jain = summary["figures"]!["wallet_jain_fairness"]!.GetValue<double>();
                Assert.True(jain >= 0.95, $"wallet Jain {jain}: {instances.ToJsonString()}");
                Assert.True(summary["claims"]!.AsArray().Single(c => c!["expression"]!.GetValue<string>() == "wallet_jain_fairness >= 0.95")!["pass"]!.GetValue<bool>());
            }
        }
        finally
        {
            foreach (var f in new[] { db, db + "-wal", db + "-shm" })
            {
                File.Delete(f);
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
