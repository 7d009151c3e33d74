using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace PaySim.Benchmarks;

/// <summary>Runs the BenchmarkDotNet suite with the command-line arguments given.</summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        // BenchmarkDotNet's default out-of-process toolchain looks for "<AssemblyName>.csproj" to
        // generate its host project; ours is Benchmarks.csproj building PaySim.Benchmarks, so it
        // would fail. The in-process toolchain measures in this process (same runtime, Release,
        // server GC) and needs no second build of the whole graph.
        if (!args.Any(a => a is "--inProcess" or "-i" or "--toolchain" or "--runtimes" or "-r"))
        {
            args = [.. args, "--inProcess"];
        }

        // One summary per class: each class has its own baseline, and a joined table would
        // compute every ratio against whichever baseline came first.
        var config = DefaultConfig.Instance.WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args, config);
        foreach (var summary in summaries)
        {
            if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            {
                return 1;
            }
        }

        return 0;
    }
}
