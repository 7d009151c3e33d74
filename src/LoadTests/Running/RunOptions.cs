using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Sharding;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Running;

/// <summary>How to run a compiled plan: where the reports go and what the console shows.</summary>
internal sealed record RunOptions
{
    /// <summary>The report folder; null = reports/&lt;utc-timestamp&gt;-&lt;plan&gt;/ under the working directory.</summary>
    public string? ReportDir { get; init; }

    public bool ShowProgress { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>null = <see cref="HttpWalletClient"/>.</summary>
    public WalletClientFactory? WalletClientFactory { get; init; }

    /// <summary>Which share of the plan's load this process sends (<c>--shard i/n</c>); default the whole.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.Whole;

    /// <summary><c>--otlp URL</c>: push the per-second figures to an OpenTelemetry collector (null = off).</summary>
    public Uri? Otlp { get; init; }

    /// <summary><c>--out json=PATH</c>: every counted request written as k6's JSON lines (<see cref="JsonLinesOutput"/>; null = off).</summary>
    public OutTarget? Out { get; init; }

    /// <summary>
    /// <c>--reset-simulator</c>: before the load, remove every fault rule on the external simulator and bring every node
    /// back up (<see cref="SimulatorReset"/>); shard 1 does it for every shard.
    /// </summary>
    public bool ResetSimulator { get; init; }

    /// <summary>The command that plays this run again (<see cref="RunAgain"/>), written into the summary and the reports; null = none.</summary>
    public string? Command { get; init; }
}
