using PaySim.LoadTests.Cluster;

namespace PaySim.LoadTests.Tests.Cluster;

/// <summary>An external target's wallet hooks: real shell commands with the instance filled in, their exit codes and errors.</summary>
public sealed class HookWalletControlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-hooks-").FullName;

    [UnixFact]
    public async Task AHook_RunsInTheShellWithTheInstanceNameAndReportsExitCodeZero()
    {
        var file = Path.Combine(_dir, "crashed");
        var control = new HookWalletControl(new Dictionary<string, string> { ["crash"] = $"echo killed {{instance}} > {file}" });

        var result = await control.RunAsync("wallet-2", "crash", CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Error);
        Assert.Equal($"echo killed wallet-2 > {file}", result.Command);
        Assert.Equal("killed wallet-2", (await File.ReadAllTextAsync(file)).Trim());
    }

    [UnixFact]
    public async Task AFailingHook_ReportsItsExitCodeAndTheLastLineItPrinted()
    {
        var control = new HookWalletControl(new Dictionary<string, string> { ["freeze"] = "echo 'pod {instance} not found' >&2; exit 3" });

        var result = await control.RunAsync("wallet-9", "freeze", CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exit 3: pod wallet-9 not found", result.Error);
    }

    [Fact]
    public async Task AnActionWithoutAHook_DoesNothingAndSaysSo()
    {
        var control = new HookWalletControl(new Dictionary<string, string> { ["crash"] = "true" });

        var result = await control.RunAsync("wallet-2", "restart", CancellationToken.None);

        Assert.Null(result.ExitCode);
        Assert.StartsWith("no restart hook given", result.Error, StringComparison.Ordinal);
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
