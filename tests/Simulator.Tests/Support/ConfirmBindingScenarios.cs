using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.State;

namespace PaySim.Simulator.Tests.Support;

/// <summary>ConfirmBinding's promises, run on memory state and on Redis state (one engine, or two processes of one issuer).</summary>
internal static class ConfirmBindingScenarios
{
    /// <summary>
    /// 24 concurrent confirms with the right code and 2 with a wrong one, over the engines: every right one gets 00 and the
    /// one token, each wrong one 55 OTP_WRONG without it; afterwards a wrong code is still only wrong (no attempt was burned
    /// into a lockout) and the right code still answers the token.
    /// </summary>
    public static void Concurrent_right_codes_all_get_the_one_token(IReadOnlyList<IssuerEngine> engines, IIssuerState state, CardholderRecord card, Func<string?> lastOtp)
    {
        var start = engines[0].StartBinding(card.Pan, card.Expiry, card.Cvv, card.InputHolderName, card.InputIdNumber, card.InputPhone, "");
        Assert.Equal("00", start.Code);
        var otp = lastOtp()!;
        var wrong = otp == "000000" ? "111111" : "000000";
        var codes = Enumerable.Range(0, 26).Select(i => i is 5 or 17 ? wrong : otp).ToArray();
        using var go = new Barrier(codes.Length);
        var replies = new ConfirmBindingOutcome[codes.Length];
        var threads = codes.Select((code, i) => new Thread(() =>
        {
            go.SignalAndWait();
            replies[i] = engines[i % engines.Count].ConfirmBinding(start.BindingId, code, "");
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var right = replies.Where((_, i) => codes[i] == otp).ToList();
        Assert.All(right, r => Assert.Equal(("00", DeclineReason.Unspecified, "card bound"), (r.Code, r.Reason, r.Message)));
        var token = Assert.Single(right.Select(r => r.CardToken).Distinct());
        Assert.StartsWith("tok_", token, StringComparison.Ordinal);
        Assert.All(replies.Where((_, i) => codes[i] == wrong), r => Assert.Equal(("55", DeclineReason.OtpWrong, ""), (r.Code, r.Reason, r.CardToken)));
        Assert.Equal(card.Pan, state.Bindings.ResolveTokenUncached(token));
        Assert.Equal(token, state.Bindings.Get(start.BindingId)!.CardToken);

        var after = engines[^1].ConfirmBinding(start.BindingId, wrong, "");
        Assert.Equal(("55", DeclineReason.OtpWrong, ""), (after.Code, after.Reason, after.CardToken));
        Assert.Equal(token, engines[0].ConfirmBinding(start.BindingId, otp, "").CardToken);
    }

    /// <summary>A confirmed binding answers a replay of the code that confirmed it with its token; any other code, empty included, is 55 OTP_WRONG without it, and the binding stays bound.</summary>
    public static void A_confirmed_binding_gives_its_token_only_for_the_accepted_code(IssuerEngine first, IssuerEngine second, IIssuerState state, CardholderRecord card, Func<string?> lastOtp)
    {
        var start = first.StartBinding(card.Pan, card.Expiry, card.Cvv, card.InputHolderName, card.InputIdNumber, card.InputPhone, "");
        var otp = lastOtp()!;
        var bound = first.ConfirmBinding(start.BindingId, otp, "");
        Assert.Equal("00", bound.Code);

        foreach (var code in new[] { otp == "000000" ? "111111" : "000000", "", "   ", otp + "0" })
        {
            var r = second.ConfirmBinding(start.BindingId, code, "");
            Assert.Equal(("55", DeclineReason.OtpWrong, "wrong verification code", "", 0), (r.Code, r.Reason, r.Message, r.CardToken, r.AttemptsLeft));
        }

        var replay = second.ConfirmBinding(start.BindingId, " " + otp + " ", "retry-1");
        Assert.Equal(("00", bound.CardToken, bound.Last4, bound.Network), (replay.Code, replay.CardToken, replay.Last4, replay.Network));
        Assert.Equal("binding already confirmed", first.ResendOtp(start.BindingId).Message);
        Assert.Equal(card.Pan, state.Bindings.ResolveTokenUncached(bound.CardToken));
        Assert.Equal("00", second.Authorize(bound.CardToken, 100, card.Currency, "m-1", "o-1", "").Code);
    }
}
