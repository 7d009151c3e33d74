using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

public sealed class IssuerEngineTests
{
    [Fact]
    public void Authorize_WithSameIdempotencyKeyTwice_HoldsFundsOnce()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var token = issuer.Bind(card);

        var first = issuer.Engine.Authorize(token, 5_000, card.Currency, "m", "o-1", "key-1");
        var second = issuer.Engine.Authorize(token, 5_000, card.Currency, "m", "o-1", "key-1");

        Assert.Equal("00", first.Code);
        Assert.Same(first, second);
        Assert.Equal(5_000, issuer.State.Ledger.Invariants().HeldMinor);
        Assert.Equal(card.BalanceMinor - 5_000, issuer.State.Ledger.AvailableMinor(card.Pan));
    }

    [Fact]
    public void Authorize_WithSameKeyButDifferentRequest_IsRefusedAsKeyReused()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var token = issuer.Bind(card);
        issuer.Engine.Authorize(token, 5_000, card.Currency, "m", "o-1", "key-1");

        var reused = issuer.Engine.Authorize(token, 6_000, card.Currency, "m", "o-1", "key-1");

        Assert.Equal("94", reused.Code);
        Assert.Equal(DeclineReason.IdempotencyKeyReused, reused.Reason);
        Assert.Equal(5_000, issuer.State.Ledger.Invariants().HeldMinor);
    }

    [Fact]
    public void Authorize_ConcurrentCallsWithOneKey_MoveMoneyOnce()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var token = issuer.Bind(card);

        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
            ids.Add(issuer.Engine.Authorize(token, 700, card.Currency, "m", "o", "k").AuthorizationId));

        Assert.Single(ids.Distinct());
        Assert.Equal(700, issuer.State.Ledger.Invariants().HeldMinor);
    }

    [Fact]
    public void TwoApprovedAuthorizationsForOneOrder_CountAsADuplicateCharge_UntilOneIsRefunded()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var token = issuer.Bind(card);
        issuer.Engine.Authorize(token, 1_000, card.Currency, "m", "order-7", "a");
        var second = issuer.Engine.Authorize(token, 1_000, card.Currency, "m", "order-7", "b");
        issuer.Engine.Authorize(token, 1_000, card.Currency, "other-merchant", "order-7", "c");

        Assert.Equal(1, issuer.State.Ledger.Invariants().DuplicateCharges);
        Assert.True(issuer.State.Ledger.Invariants().MoneyConserved);

        issuer.Engine.Capture(second.AuthorizationId, 0, "");
        issuer.Engine.Refund(second.AuthorizationId, 0, "");

        Assert.Equal(0, issuer.State.Ledger.Invariants().DuplicateCharges);
    }

    [Fact]
    public void StartBinding_SendsTheOtpToTheReservedPhone_NotTheTypedOne()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);

        var start = issuer.Engine.StartBinding(card.Pan, card.Expiry, card.Cvv, card.HolderName, card.IdNumber, "+86 " + card.Phone, "");

        Assert.Equal("00", start.Code);
        Assert.Single(issuer.State.Inbox.List(card.Phone));
        Assert.Equal(card.Phone[..3] + "****" + card.Phone[^4..], start.MaskedPhone);
    }

    [Theory]
    [InlineData("pan", "14", DeclineReason.PanUnknown)]
    [InlineData("cvv", "05", DeclineReason.CvvMismatch)]
    [InlineData("expiry", "54", DeclineReason.Expired)]
    public void StartBinding_WithAWrongField_DeclinesWithItsReason(string field, string code, DeclineReason reason)
    {
        var issuer = new TestIssuer();
        var c = issuer.First(Persona.Healthy);
        var pan = field == "pan" ? PaySim.Simulator.Cards.Luhn.Complete("621234567890123") : c.Pan;
        var cvv = field == "cvv" ? (c.Cvv == "000" ? "001" : "000") : c.Cvv;
        var expiry = field == "expiry" ? "01/29" : c.Expiry;

        var start = issuer.Engine.StartBinding(pan, expiry, cvv, c.HolderName, c.IdNumber, c.Phone, "");

        Assert.Equal((code, reason), (start.Code, start.Reason));
    }

    [Fact]
    public void Capture_MoreThanAuthorized_IsRefused_AndRefund_MoreThanCaptured_IsRefused()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        var token = issuer.Bind(card);
        var auth = issuer.Engine.Authorize(token, 1_000, card.Currency, "m", "", "");

        Assert.Equal("13", issuer.Engine.Capture(auth.AuthorizationId, 1_001, "").Code);
        Assert.Equal(600, issuer.Engine.Capture(auth.AuthorizationId, 600, "").CapturedMinor);
        Assert.Equal("13", issuer.Engine.Refund(auth.AuthorizationId, 601, "").Code);
        Assert.Equal(600, issuer.Engine.Refund(auth.AuthorizationId, 0, "").RefundedMinor);
        Assert.Equal("14", issuer.Engine.Capture("auth_nope", 1, "").Code);

        var inv = issuer.State.Ledger.Invariants();
        Assert.True(inv.MoneyConserved);
        Assert.Equal(400, inv.HeldMinor);
        Assert.Equal(card.BalanceMinor - 400, issuer.State.Ledger.AvailableMinor(card.Pan));
    }

    [Fact]
    public void Authorize_OverTheDailyLimit_Declines61_AndTheLimitResetsNextDay()
    {
        var issuer = new TestIssuer();
        var card = issuer.Registry.All.First(c => c.Persona == Persona.Healthy && c.BalanceMinor > c.DailyLimitMinor);
        var token = issuer.Bind(card);

        Assert.Equal("00", issuer.Engine.Authorize(token, card.DailyLimitMinor, card.Currency, "m", "", "").Code);
        Assert.Equal("61", issuer.Engine.Authorize(token, 1, card.Currency, "m", "", "").Code);
        issuer.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal("00", issuer.Engine.Authorize(token, 1, card.Currency, "m", "", "").Code);
    }
}
