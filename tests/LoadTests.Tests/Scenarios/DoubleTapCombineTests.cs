using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>What the app makes of a double tap's two replies (client.doubleTap): the one that paid, else an answer over no answer, else the first.</summary>
public sealed class DoubleTapCombineTests
{
    private static readonly WalletFlows.Tap Paid = Reply(WalletReply<PaymentDone>.Success(new PaymentDone("p-1", "completed"), 201, "wallet-1"));
    private static readonly WalletFlows.Tap Replayed = Reply(WalletReply<PaymentDone>.Success(new PaymentDone("p-1", "completed"), 200, "wallet-2"));
    private static readonly WalletFlows.Tap InProgress = Reply(WalletReply<PaymentDone>.Failure(409, "payment_in_progress", "still running", "wallet-2") with { RetryAfterMs = 500 });
    private static readonly WalletFlows.Tap Declined = Reply(WalletReply<PaymentDone>.Failure(402, "insufficient_funds", "no money", "wallet-1"));
    private static readonly WalletFlows.Tap Unavailable = Reply(WalletReply<PaymentDone>.Failure(503, "issuer_unavailable", "down", "wallet-1"));
    private static readonly WalletFlows.Tap Threw = new(null, null, null);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "paid", "in progress", "paid" },
        { "in progress", "paid", "paid" },
        { "paid", "replayed", "paid" },
        { "replayed", "paid", "replayed" },
        { "in progress", "declined", "declined" },
        { "declined", "in progress", "declined" },
        { "unavailable", "in progress", "unavailable" },
        { "in progress", "unavailable", "in progress" },
        { "threw", "paid", "paid" },
        { "threw", "declined", "declined" },
        { "threw", "in progress", "threw" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Combine_PrefersThePaidTap_ThenAnAnswer_ThenTheFirst(string first, string second, string expected)
    {
        Assert.Equal(Named(expected), WalletFlows.Combine(Named(first), Named(second)));
    }

    private static WalletFlows.Tap Reply(WalletReply<PaymentDone> reply) => new(reply, null, null);

    private static WalletFlows.Tap Named(string name) => name switch
    {
        "paid" => Paid,
        "replayed" => Replayed,
        "in progress" => InProgress,
        "declined" => Declined,
        "unavailable" => Unavailable,
        _ => Threw,
    };
}
