using PaySim.TestSupport;

namespace PaySim.Simulator.Tests.State;

/// <summary>
/// scripts/perf/redis-hold-profile.sh, which docs/benchmarks.md uses to show where redis-server's time per
/// Authorize goes: it must run the simulator's own hold script (read from RedisLedger.cs) and its variants, and
/// every call of the hold must be an approved hold (an account HSET, an id INCR and an authorization HSET each).
/// </summary>
public sealed class RedisHoldProfileScriptTests
{
    [ToolFact(ExternalTools.RedisServer)]
    public async Task Profile_RunsTheLedgersHoldScript_EveryCallAnApprovedHold()
    {
        var (exit, stdout, stderr) = await RunAsync("--calls", "320", "--rounds", "1");

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .ToDictionary(l => l.Split(' ', 2)[0], l => l);
        Assert.Equal(["empty", "formats", "four-calls", "hold-no-auth", "hold"], rows.Keys);
        foreach (var row in rows.Values)
        {
            var perCall = double.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(perCall > 0, row);
        }

        // 320 holds (a multiple of the 16 that redis-benchmark pipelines, so none are added): one HMGET and one INCR each; two HSETs each (account, authorization) plus the account's opening.
        Assert.Contains("hmget ", rows["hold"], StringComparison.Ordinal);
        Assert.Contains("(320 calls)", rows["hold"].Split("hmget ")[1].Split(';')[0], StringComparison.Ordinal);
        Assert.Contains("(641 calls)", rows["hold"].Split("hset ")[1].Split(';')[0], StringComparison.Ordinal);
        Assert.Contains("(320 calls)", rows["hold"].Split("incr ")[1].Split(';')[0], StringComparison.Ordinal);
        // Without the authorization's HSET: the account's only.
        Assert.Contains("(321 calls)", rows["hold-no-auth"].Split("hset ")[1].Split(';')[0], StringComparison.Ordinal);
        Assert.Contains("(1280 calls)", rows["four-calls"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--calls x", "redis-hold-profile: --calls must be a whole number from 100 to 10000000 (was 'x')")]
    [InlineData("--rounds 0", "redis-hold-profile: --rounds must be a whole number from 1 to 20 (was '0')")]
    [InlineData("--bogus", "redis-hold-profile: unknown option '--bogus'; allowed: --calls N, --rounds R")]
    public async Task BadFlag_IsOneLineAndExit2(string flags, string expected)
    {
        var (exit, stdout, stderr) = await RunAsync(flags.Split(' '));

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal(expected, stderr.TrimEnd('\n'));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = FolderCycleFinder.RepositoryRoot();
        var run = await ChildProcess.RunAsync("bash", [Path.Combine(root, "scripts", "perf", "redis-hold-profile.sh"), .. args], TimeSpan.FromMinutes(2), root);
        return (run.ExitCode, run.Stdout, run.Stderr);
    }
}
