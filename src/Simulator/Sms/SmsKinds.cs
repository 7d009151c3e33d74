namespace PaySim.Simulator.Sms;

/// <summary>What an SMS is (<c>SmsMessage.kind</c>): a verification code, or a notice after a capture or refund.</summary>
internal static class SmsKinds
{
    public const string Otp = "otp";
    public const string Transaction = "transaction";

    /// <summary>WaitForMessage's kind that takes every message.</summary>
    public const string Any = "any";

    public static readonly string[] Wanted = [Otp, Transaction, Any];

    /// <summary>Whether a message of <paramref name="kind"/> is one a reader waiting for <paramref name="wanted"/> takes ("" counts as otp).</summary>
    public static bool Matches(string? kind, string wanted) =>
        wanted == Any || string.Equals(string.IsNullOrEmpty(kind) ? Otp : kind, wanted, StringComparison.Ordinal);

    /// <summary>A WaitForMessage kind: "" is otp; null for one that is not otp, transaction or any.</summary>
    public static string? ParseWanted(string? wanted) =>
        string.IsNullOrEmpty(wanted) ? Otp : Array.IndexOf(Wanted, wanted) >= 0 ? wanted : null;
}
