namespace PaySim.LoadTests.Cluster;

/// <summary>What a run talks to: the wallet instances, the simulator's control plane and its SMS inbox.</summary>
internal interface ITargetCluster : IAsyncDisposable
{
    string Kind { get; }

    IReadOnlyList<Uri> WalletUrls { get; }

    /// <summary>Each wallet URL's instance name (its X-Served-By) where the target knows it (embedded), else null.</summary>
    IReadOnlyList<string?> WalletInstanceNames { get; }

    /// <summary>The simulator's issuer nodes by name (issuer-1..); empty when an external simulator did not list them.</summary>
    IReadOnlyList<string> IssuerNodeNames { get; }

    Uri ControlUri { get; }

    Uri SmsUri { get; }

    /// <summary>The wallet's integration mode when known (embedded), else null.</summary>
    string? WalletMode { get; }

    /// <summary>Crashes and freezes wallet instances (child processes, or the user's hooks); null when there is no way to.</summary>
    IWalletInstanceControl? WalletControl { get; }
}
