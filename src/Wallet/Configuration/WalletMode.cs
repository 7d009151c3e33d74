namespace PaySim.Wallet.Configuration;

/// <summary>How the wallet integrates with the issuer nodes (see docs/wallet.md, "Modes").</summary>
public enum WalletMode
{
    /// <summary>Round-robin per operation, no deadlines, no retries, no health checks, no issuer idempotency keys.</summary>
    Naive,

    /// <summary>Client-side balancing with health checks, deadlines, budgeted retries and end-to-end idempotency keys.</summary>
    Resilient,
}
