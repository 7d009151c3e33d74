using System.Text.Json.Nodes;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Tests.Cli;
using PaySim.LoadTests.Tests.EndToEnd.BrokenWallet;
using PaySim.Simulator.Hosting;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Hosting;

namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary>
/// Issue 15, bug 2, end to end: a wallet that misreads the approval (every payment answered 402 although the issuer
/// approved it) fails on <c>unexpected_decline</c>; declines a planned fault explains stay correct answers.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DeclineRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-lt-declines-").FullName;

    [Fact]
    public async Task Run_AgainstAWalletThatMisreadsEveryApprovalAsADecline_FailsEveryPaymentAsUnexpectedDecline()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { IssuerPort = 0, SmsPort = 0, ControlPort = 0, Seed = 21 });
        await using var wallet = await WalletHost.StartAsync(new WalletOptions
        {
            Instances = 1,
            Port = 0,
            IssuerUris = simulator.IssuerNodes.Select(n => n.Uri).ToArray(),
            DatabasePath = Path.Combine(_dir, "wallet.db"),
            PasswordHashIterations = 1_000,
            PinHashIterations = 1_000,
        });
        await using var misread = await TamperingProxy.StartAsync(
            wallet.Instances[0].Uri,
            rewrite: (request, status, _) => request.Method == "POST" && request.Path == "/payments" && status is >= 200 and < 300
                ? TamperingProxy.Error(402, "declined", servedBy: null)
                : null);
        var plan = await WritePlanAsync(faults: "", claims: "\"success_rate >= 99%\", \"step:pay ok_rate >= 99%\"");
        var folder = Path.Combine(_dir, "misread");

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "run", "--plan", plan, "--no-progress", "--settle", "1s", "--report-dir", folder,
            "--wallet-url", misread.Uri.ToString(), "--simulator-url", simulator.ControlUri.ToString());

        Assert.True(code == ExitCodes.ClaimFailed, $"exit {code}\n{stdout}\n{stderr}");
        var summary = Read(folder);
        var payments = summary["walletCalls"]!["pay"]!.GetValue<long>();
        Assert.True(payments >= 20, summary["walletCalls"]!.ToJsonString());
        Assert.Equal(payments, misread.Tampered);
        var scenario = summary["scenarios"]!.AsArray().Single()!;
        Assert.Equal(0, scenario["ok"]!.GetValue<long>());
        Assert.Equal(payments, scenario["fail"]!.GetValue<long>());
        Assert.Equal(payments, scenario["statusCodes"]!["unexpected_decline"]!.GetValue<long>());
        var pay = scenario["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "pay")!;
        Assert.Equal(0, pay["ok"]!.GetValue<long>());
        Assert.Equal(payments, pay["statusCodes"]!["unexpected_decline"]!.GetValue<long>());
        var claims = summary["claims"]!.AsArray().ToDictionary(c => c!["expression"]!.GetValue<string>(), c => c!);
        Assert.False(claims["success_rate >= 99%"]["pass"]!.GetValue<bool>());
        Assert.Equal(0, claims["success_rate >= 99%"]["observed"]!.GetValue<double>());
        Assert.False(claims["step:pay ok_rate >= 99%"]["pass"]!.GetValue<bool>());
        Assert.Contains($"unexpected_decline:{payments}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DeclinesAPlannedFaultExplains_AreCorrectAnswers()
    {
        var plan = await WritePlanAsync(
            faults: """{ "name": "bank-says-no", "node": "*", "method": "Authorize", "probability": 0.4, "decline": { "code": "51" } }""",
            claims: "\"success_rate == 100%\", \"step:pay ok_rate == 100%\"");
        var folder = Path.Combine(_dir, "explained");

        var (code, stdout, stderr) = await CliRunner.RunAsync("run", "--plan", plan, "--no-progress", "--settle", "1s", "--report-dir", folder);

        Assert.True(code == ExitCodes.AllClaimsHold, $"exit {code}\n{stdout}\n{stderr}");
        var pay = Read(folder)["scenarios"]!.AsArray().Single()!["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "pay")!;
        Assert.True(pay["statusCodes"]!["insufficient_funds"]!.GetValue<long>() >= 3, pay.ToJsonString());
        Assert.Null(pay["statusCodes"]!["unexpected_decline"]);
        Assert.Equal(0, pay["fail"]!.GetValue<long>());
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

    /// <summary>Payments at 10/s for 4 s by 5 prepared users with healthy cards; embedded unless the run names a target.</summary>
    private async Task<string> WritePlanAsync(string faults, string claims)
    {
        var plan = Path.Combine(_dir, $"declines-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(plan, $$"""
            { "name": "declines", "duration": "4s", "warmUp": "0s", "seed": 5, "rate": 10,
              "target": { "embedded": { "nodes": 1, "walletInstances": 1, "walletMode": "resilient" } },
              "personas": { "healthy": 1 }, "preboundCards": 5,
              "scenarios": [ { "name": "payment" } ],
              "faults": [ {{faults}} ],
              "claims": [ {{claims}} ] }
            """);
        return plan;
    }

    private static JsonObject Read(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!.AsObject();
}
