namespace PaySim.Benchmarks.Tools;

/// <summary>A macro-benchmark helper started by scripts/perf.sh as its own process.</summary>
internal interface ITool
{
    string Name { get; }

    /// <summary>One line: the options, with defaults.</summary>
    string Usage { get; }

    /// <summary>The option names this tool accepts (without the leading dashes).</summary>
    IReadOnlyCollection<string> Options { get; }

    Task<int> RunAsync(ToolArguments args);
}
