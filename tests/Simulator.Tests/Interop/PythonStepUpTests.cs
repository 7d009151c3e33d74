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
        var start = new System.Diagnostics.ProcessStartInfo(ExternalTools.Require(ExternalTools.PythonGrpc),
        [
            Path.Combine(root, "scripts", "python", "step_up.py"),
            "--control", sim.Host.ControlUri.ToString().TrimEnd('/'),
            "--issuer", sim.Host.IssuerNodes[0].Uri.Authority,
            "--sms", sim.Host.SmsUri.Authority,
            "--protos", Path.Combine(root, "protos"),
        ]);
        start.Environment["no_proxy"] = "127.0.0.1,localhost";
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        var python = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(60));
        Assert.True(python.ExitCode == 0, $"step_up.py exited {python.ExitCode}: {python.Output}");

        using var result = JsonDocument.Parse(python.Stdout.Trim());
        Assert.True(result.RootElement.GetProperty("ok").GetBoolean());
        var authorizationId = result.RootElement.GetProperty("authorizationId").GetString();
        var entry = Assert.Single(sim.Host.GetLedger("", 100).Entries);
        Assert.Equal((authorizationId, 12_345L, "order-py-1", "held"), (entry.AuthorizationId, entry.AuthorizedMinor, entry.OrderReference, entry.State));
        Assert.StartsWith("chl_", result.RootElement.GetProperty("challengeId").GetString());
    }
}
