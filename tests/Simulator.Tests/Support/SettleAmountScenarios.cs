using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Tests.Support;

/// <summary>Capture and Refund amounts below 0, run on memory state and on Redis state.</summary>
internal static class SettleAmountScenarios
{
    /// <summary>A negative amount (with and without a key) is 13 naming amount_minor, and moves nothing; the key stays free for the real request.</summary>
    public static void Negative_amounts_are_refused_naming_the_field_and_move_nothing(IssuerEngine engine, IIssuerState state, CardholderRecord card, string token)
    {
        var auth = engine.Authorize(token, 10_000, card.Currency, "m-1", "o-neg", "");
        Assert.Equal("00", auth.Code);
        Assert.Equal("00", engine.Capture(auth.AuthorizationId, 4_000, "").Code);
        var before = Totals(state);

        foreach (var amount in new[] { -1L, -5L, long.MinValue })
        {
            foreach (var key in new[] { "", "neg-key" })
            {
                var capture = engine.Capture(auth.AuthorizationId, amount, key);
                Assert.Equal(("13", DeclineReason.InvalidAmount, "amount_minor must be positive, or 0 for the rest", 0L), (capture.Code, capture.Reason, capture.Message, capture.CapturedMinor));
                var refund = engine.Refund(auth.AuthorizationId, amount, key);
                Assert.Equal(("13", DeclineReason.InvalidAmount, "amount_minor must be positive, or 0 for the rest", 0L), (refund.Code, refund.Reason, refund.Message, refund.RefundedMinor));
            }
        }

        Assert.Equal(before, Totals(state));
        Assert.Equal(card.BalanceMinor - 10_000, state.Ledger.AvailableMinor(card.Pan));

        // The key was not spent on the refused calls; an amount over what is left still says so.
        var rest = engine.Capture(auth.AuthorizationId, 0, "neg-key");
        Assert.Equal(("00", 10_000L), (rest.Code, rest.CapturedMinor));
        Assert.Equal("amount exceeds what is left to refund", engine.Refund(auth.AuthorizationId, 10_001, "").Message);
    }

    private static (long Balances, long Held, long Captured, long Refunded, long Released, bool Conserved, long Duplicates) Totals(IIssuerState state)
    {
        var i = state.Ledger.Invariants();
        return (i.BalancesMinor, i.HeldMinor, i.CapturedMinor, i.RefundedMinor, i.ReleasedMinor, i.MoneyConserved, i.DuplicateCharges);
    }
}
