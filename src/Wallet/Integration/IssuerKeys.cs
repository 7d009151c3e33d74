using System.Security.Cryptography;
using System.Text;

namespace PaySim.Wallet.Integration;

/// <summary>
/// Issuer idempotency keys derived from what the client sent, so every retry of the same client request —
/// by the wallet's retry policy or by the client with the same Idempotency-Key, on any instance — carries the
/// same key to the issuer and moves money at most once.
/// </summary>
internal static class IssuerKeys
{
    public static string Authorize(string userId, string clientKey) => Derive("pay", userId, clientKey) + ":auth";

    public static string Capture(string userId, string clientKey) => Derive("pay", userId, clientKey) + ":capture";

    /// <summary>The release of a payment's hold: one key per payment, so every instance and every pass voids it once.</summary>
    public static string Void(string userId, string clientKey) => Derive("pay", userId, clientKey) + ":void";

    public static string Refund(string userId, string paymentId, string refundKey) => Derive("refund", userId, paymentId + "\n" + refundKey);

    public static string StartBinding(string bindingId) => "bind:" + bindingId;

    public static string ConfirmBinding(string bindingId, string otp) => "confirm:" + bindingId + ":" + otp;

    private static string Derive(string scope, string userId, string clientKey)
    {
        // Hashing keeps the key short and fixed-size whatever the client sent, and never leaks it to the issuer.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(scope + "\n" + userId + "\n" + clientKey));
        return "w1-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
