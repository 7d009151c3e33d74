namespace PaySim.LoadTests.Plans;

/// <summary>Command-line values that replace the plan's own.</summary>
internal sealed record PlanOverrides
{
    public TimeSpan? Duration { get; init; }

    public double? Rate { get; init; }

    public string? WalletMode { get; init; }

    public int? Seed { get; init; }

    /// <summary><c>--settle</c>: the longest wait for holds and pending payments to settle before reconciling.</summary>
    public TimeSpan? Settle { get; init; }

    public IReadOnlyList<Uri>? WalletUrls { get; init; }

    public Uri? SimulatorUrl { get; init; }

    /// <summary>The SMS gateway, when the simulator's node list names an address the agent cannot reach (containers).</summary>
    public Uri? SmsUrl { get; init; }

    /// <summary><c>--wallet-hook NAME=COMMAND</c>: wallet-instance actions for an external target; they replace the plan's hooks of the same name.</summary>
    public IReadOnlyDictionary<string, string>? WalletHooks { get; init; }

    /// <summary><c>--allow-remote</c>: an external target may be on another host (<see cref="LocalTarget"/>).</summary>
    public bool AllowRemote { get; init; }

    /// <summary><c>--shard i/n</c>: n processes share the load, so each is checked against the limits for 1/n of it.</summary>
    public int Shards { get; init; } = 1;

    /// <summary><c>--defect NAME</c>: planted wallet defects for the embedded wallet (docs/wallet.md, "Planted defects").</summary>
    public IReadOnlyList<string>? Defects { get; init; }
}
