using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaySim.LoadTests.Cli;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>deploy/grafana/paysim.json and deploy/prometheus/prometheus.yml: every series the dashboard queries exists on a live /metrics, and the scrape config is valid.</summary>
[Collection(EndToEnd.EndToEndCollection.Name)]
public sealed partial class GrafanaDashboardTests
{
    [Fact]
    public async Task EveryMetricTheDashboardQueries_IsServedByALiveSimulatorOrWalletAfterARun()
    {
        var queried = DashboardMetrics();
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 9 });
        var db = Path.Combine(Path.GetTempPath(), $"paysim-grafana-{Guid.NewGuid():N}.db");
        var folder = Path.Combine(Path.GetTempPath(), $"paysim-grafana-{Guid.NewGuid():N}");
        try
        {
            await using var wallet = await WalletHost.StartAsync(new WalletOptions
            {
                Instances = 1,
                Port = 0,
                IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
                DatabasePath = db,
                PasswordHashIterations = 1_000,
                PinHashIterations = 1_000,
            });
            using var stdout = new StringWriter();
            var code = await LoadTestsCli.InvokeAsync(
                ["run", "--plan", "smoke", "--duration", "4s", "--no-progress", "--report-dir", folder, "--wallet-url", wallet.Instances[0].Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString()],
                stdout,
                stdout);
            Assert.True(code == ExitCodes.AllClaimsHold, stdout.ToString());

            using var http = new HttpClient();
            // A fault that fires once, so the fault families have a series too (smoke injects none).
            var rule = await http.PostAsync(new Uri(simulator.ControlUri, "/v1/faults"), new StringContent("""{"name":"tick","method":"Authorize","latency":"1ms"}"""));
            Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync());
            using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(simulator.IssuerNodes[0].Uri))
            {
                await new PaySim.Contracts.Issuer.V1.Issuer.IssuerClient(channel).AuthorizeAsync(new PaySim.Contracts.Issuer.V1.AuthorizeRequest { CardToken = "nope", AmountMinor = 1 });
            }

            var served = SampleNames(await http.GetStringAsync(new Uri(simulator.ControlUri, "/metrics")))
                .Concat(SampleNames(await http.GetStringAsync(new Uri(wallet.Instances[0].Uri, "/metrics"))))
                .ToHashSet(StringComparer.Ordinal);

            Assert.True(queried.Count >= 15, string.Join(", ", queried));
            Assert.True(queried.All(served.Contains), "not on /metrics: " + string.Join(", ", queried.Where(m => !served.Contains(m))));
        }
        finally
        {
            File.Delete(db);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [ToolFact(ExternalTools.Promtool)]
    public async Task ShippedScrapeConfig_PassesPromtoolCheckConfig()
    {
        var (code, output) = await Promtool.CheckConfigAsync(RepoPaths.Of("deploy", "prometheus", "prometheus.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    /// <summary>The series names in every panel query (paysim_… and wallet_…, bucket suffixes included).</summary>
    private static List<string> DashboardMetrics()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("deploy", "grafana", "paysim.json")))!;
        return dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]!.AsArray())
            .SelectMany(t => MetricName().Matches(t!["expr"]!.GetValue<string>()).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> SampleNames(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])]);

    [GeneratedRegex(@"\b(?:paysim|wallet)_[a-z_]+\b")]
    private static partial Regex MetricName();
}
