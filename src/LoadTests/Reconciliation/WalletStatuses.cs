namespace PaySim.LoadTests.Reconciliation;

/// <summary>How the reconciliation reads a wallet's transaction statuses (lower-cased): still in flight, or over without money kept.</summary>
internal static class WalletStatuses
{
    public static readonly IReadOnlySet<string> Pending = new HashSet<string>(StringComparer.Ordinal) { "pending", "processing", "in_progress" };

    public static readonly IReadOnlySet<string> NoMoney = new HashSet<string>(StringComparer.Ordinal)
    {
        "declined", "failed", "voided", "void", "cancelled", "canceled", "rejected", "reversed", "released",
        // SMS step-up: waiting for the cardholder's code (nothing is held until it comes, and nothing is in flight), or
        // closed because it never came.
        "pending_authentication", "expired",
    };

    /// <summary>A payment the wallet says went through, or a refund it says was made.</summary>
    public static bool Done(string status) => !Pending.Contains(status) && !NoMoney.Contains(status);
}
