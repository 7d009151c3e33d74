using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd;
using PaySim.LoadTests.Tests.Support;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// instance-crash as an operator runs it against a wallet they deployed: two wallet processes behind the shipped
/// HAProxy config, the run reaching them through one URL, and the crash done by --wallet-hook commands (curl to a
/// small operator endpoint that SIGKILLs and restarts the process, as kubectl would delete and recreate a pod).
/// </summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class HaproxyWalletCrashTests : IDisposable
{
    private static string Haproxy => ExternalTools.Require(ExternalTools.Haproxy);
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-haproxy-crash-").FullName;

    [ToolFact(ExternalTools.Haproxy, ExternalTools.Curl)]
    public async Task InstanceCrash_ThroughHaproxyWithHooks_RunsEachHookAtItsTimeAndReconcilesEveryMinorUnit()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 21 });
        var template = new WalletOptions
        {
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = Path.Combine(_dir, "wallet.db"),
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
            MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Critical,
        };
        await using var wallet1 = await WalletProcess.StartAsync(template, 1, timeout.Token);
        await using var wallet2 = await WalletProcess.StartAsync(template, 2, timeout.Token);
        await using var proxy = await HaproxyProcess.StartAsync(Haproxy, [wallet1.Uri, wallet2.Uri], timeout.Token);
        await HealthyForAsync(proxy.Uri, TimeSpan.FromSeconds(3), timeout.Token);
        await using var operatorApp = await StartOperatorAsync(new ProcessWalletControl([wallet1, wallet2]));
        var operatorUri = operatorApp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var folder = Path.Combine(_dir, "report");

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "run", "--plan", "instance-crash", "--duration", "15s", "--no-progress", "--report-dir", folder,
            "--wallet-url", proxy.Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString(),
            "--wallet-hook", $"crash=curl -fsS -X POST {operatorUri}/crash/{{instance}}",
            "--wallet-hook", $"restart=curl -fsS -X POST {operatorUri}/restart/{{instance}}");

        Assert.True(File.Exists(Path.Combine(folder, "summary.json")), $"exit {code}\n{stdout}\n{stderr}");
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "summary.json")))!.AsObject();
        var hooks = summary["faultTimeline"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["what"]!.GetValue<string>().StartsWith("wallet", StringComparison.Ordinal)).ToArray();
        Assert.Equal(["wallet wallet-2 crash", "wallet wallet-2 crash ended"], hooks.Select(h => h["what"]!.GetValue<string>()));
        Assert.All(hooks, h => Assert.Equal(0, h["exitCode"]!.GetValue<int>()));
        Assert.Equal($"curl -fsS -X POST {operatorUri}/crash/wallet-2", hooks[0]["command"]!.GetValue<string>());
        Assert.StartsWith("one URL", summary["target"]!["walletBalancing"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, summary["walletInstances"]!.AsArray().Count);
        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        foreach (var field in new[] { "excessCharges", "lostPayments", "orphanHolds", "stuckPending" })
        {
            Assert.Equal(0, summary["reconciliation"]![field]!.GetValue<long>());
        }
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

    /// <summary>
    /// HAProxy starts its servers up and judges them by its checks (rise 2, fall 2, every second); a fresh child
    /// process may miss its first checks while it warms up. Waits until the proxy has answered /health without a
    /// break for <paramref name="span"/>, so the run's own health check meets a settled proxy.
    /// </summary>
    private static async Task HealthyForAsync(Uri proxy, TimeSpan span, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var since = System.Diagnostics.Stopwatch.StartNew();
        while (since.Elapsed < span)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var reply = await http.GetAsync(new Uri(proxy, "/health"), ct);
                if (!reply.IsSuccessStatusCode)
                {
                    since.Restart();
                }
            }
            catch (HttpRequestException)
            {
                since.Restart();
            }

            await Task.Delay(100, ct);
        }
    }

    /// <summary>What an operator's tooling does for the hooks: POST /crash/{instance}, POST /restart/{instance}; 500 when the action failed.</summary>
    private static async Task<WebApplication> StartOperatorAsync(IWalletInstanceControl wallets)
    {
        var app = await FakeHttpServer.StartAsync(server =>
        {
            server.MapPost("/{action}/{instance}", async (string action, string instance, CancellationToken ct) =>
            {
                var done = await wallets.RunAsync(instance, action, ct);
                return done.Error is null ? Results.Text(done.Command) : Results.Text(done.Error, statusCode: 500);
            });
        });
        return app;
    }
}
