using System.Diagnostics;
using System.Text.Json;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Interop;

/// <summary>An outside gRPC client: scripts/python/step_up.py drives Authorize → 1A → SMS → AuthenticatePayment.</summary>
public sealed class PythonStepUpTests
{
    [ToolFact(ExternalTools.PythonGrpc)]
    public async Task ThePythonScript_BindsAndPaysWithStepUp_AndTheIssuerHoldsThePaymentOnce()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1, cardholders: 20));
        var root = FolderCycleFinder.RepositoryRoot();
        var start = new ProcessStartInfo(ExternalTools.Require(ExternalTools.PythonGrpc),
        [
            Path.Combine(root, "scripts", "python", "step_up.py"),
            "--control", sim.Host.ControlUri.ToString().TrimEnd('/'),
            "--issuer", sim.Host.IssuerNodes[0].Uri.Authority,
            "--sms", sim.Host.SmsUri.Authority,
            "--protos", Path.Combine(root, "protos"),
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["no_proxy"] = "127.0.0.1,localhost";
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        using var python = Process.Start(start)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = python.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = python.StandardError.ReadToEndAsync(cts.Token);
        await python.WaitForExitAsync(cts.Token);
        Assert.True(python.ExitCode == 0, $"step_up.py exited {python.ExitCode}: {await stdout} {await stderr}");

        using var result = JsonDocument.Parse((await stdout).Trim());
        Assert.True(result.RootElement.GetProperty("ok").GetBoolean());
        var authorizationId = result.RootElement.GetProperty("authorizationId").GetString();
        var entry = Assert.Single(sim.Host.GetLedger("", 100).Entries);
        Assert.Equal((authorizationId, 12_345L, "order-py-1", "held"), (entry.AuthorizationId, entry.AuthorizedMinor, entry.OrderReference, entry.State));
        Assert.StartsWith("chl_", result.RootElement.GetProperty("challengeId").GetString());
    }
}
