namespace PaySim.TestSupport;

/// <summary><c>haproxy -c -f FILE</c> (Debian's haproxy package, installed by scripts/install-deps.sh): does HAProxy accept a config.</summary>
public static class HaproxyCheck
{
    /// <summary>Exit 0 when the config is valid; the output says what HAProxy found either way.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file)
    {
        var run = await ChildProcess.RunAsync(ExternalTools.Require(ExternalTools.Haproxy), ["-c", "-f", file], TimeSpan.FromSeconds(20));
        return (run.ExitCode, run.Output);
    }
}
