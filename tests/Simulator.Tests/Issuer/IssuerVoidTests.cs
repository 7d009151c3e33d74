using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

public sealed class IssuerVoidTests
{
    [Fact]
    public void Void_ReleasesTheWholeHold_BackToTheBalance_AndMoneyStaysConserved()
    {
        var (issuer, card, token) = Bound();
        var auth = issuer.Engine.Authorize(token, 7_000, card.Currency, "m", "o-1", "a-1");

        var reply = issuer.Engine.Void(auth.AuthorizationId, "v-1");

        Assert.Equal(("00", 7_000L), (reply.Code, reply.ReleasedMinor));
        Assert.Equal(card.BalanceMinor, issuer.State.Ledger.AvailableMinor(card.Pan));
        var inv = issuer.State.Ledger.Invariants();
        Assert.Equal((0L, 7_000L, 0L, true), (inv.HeldMinor, inv.ReleasedMinor, inv.CapturedMinor, inv.MoneyConserved));
    }

    [Fact]
    public void Void_WithTheSameKeyTwice_ReturnsTheFirstResult_AndAKeyReusedForAnotherAuthorizationIs94()
    {
        var (issuer, card, token) = Bound();
        var first = issuer.Engine.Authorize(token, 1_000, card.Currency, "m", "o-1", "");
        var second = issuer.Engine.Authorize(token, 2_000, card.Currency, "m", "o-2", "");

        var voided = issuer.Engine.Void(first.AuthorizationId, "v-1");
        var replay = issuer.Engine.Void(first.AuthorizationId, "v-1");
        var reused = issuer.Engine.Void(second.AuthorizationId, "v-1");

        Assert.Same(voided, replay);
        Assert.Equal(("94", DeclineReason.IdempotencyKeyReused), (reused.Code, reused.Reason));
        Assert.Equal(2_000, issuer.State.Ledger.Invariants().HeldMinor);
    }

    [Fact]
    public void Void_OfAnAuthorizationAlreadyReleased_UnderAnotherKey_Answers00_AndMovesNoMoney()
    {
        var (issuer, card, token) = Bound();
        var auth = issuer.Engine.Authorize(token, 3_000, card.Currency, "m", "o-1", "");
        issuer.Engine.Void(auth.AuthorizationId, "v-1");

        var again = issuer.Engine.Void(auth.AuthorizationId, "v-2");
        var keyless = issuer.Engine.Void(auth.AuthorizationId, "");

        Assert.Equal(("00", 3_000L), (again.Code, again.ReleasedMinor));
        Assert.Equal(("00", 3_000L), (keyless.Code, keyless.ReleasedMinor));
        Assert.Equal(card.BalanceMinor, issuer.State.Ledger.AvailableMinor(card.Pan));
        Assert.Equal(3_000, issuer.State.Ledger.Invariants().ReleasedMinor);
    }

    [Fact]
    public void Void_OfACapturedAuthorization_Is57AuthorizationCaptured_AndReleasesNothing()
    {
        var (issuer, card, token) = Bound();
        var auth = issuer.Engine.Authorize(token, 4_000, card.Currency, "m", "o-1", "");
        var partial = issuer.Engine.Authorize(token, 4_000, card.Currency, "m", "o-2", "");
        issuer.Engine.Capture(auth.AuthorizationId, 0, "");
        issuer.Engine.Capture(partial.AuthorizationId, 1_000, "");

        var full = issuer.Engine.Void(auth.AuthorizationId, "v-1");
        var part = issuer.Engine.Void(partial.AuthorizationId, "v-2");

        Assert.Equal(("57", DeclineReason.AuthorizationCaptured, 0L), (full.Code, full.Reason, full.ReleasedMinor));
        Assert.Equal(("57", DeclineReason.AuthorizationCaptured), (part.Code, part.Reason));
        var inv = issuer.State.Ledger.Invariants();
        Assert.Equal((3_000L, 5_000L, 0L, true), (inv.HeldMinor, inv.CapturedMinor, inv.ReleasedMinor, inv.MoneyConserved));
    }

    [Fact]
    public void Void_OfAnUnknownAuthorization_Is14AuthorizationUnknown_AsCaptureIs()
    {
        var issuer = new TestIssuer();

        var reply = issuer.Engine.Void("auth_00000000ff", "v-1");
        var capture = issuer.Engine.Capture("auth_00000000ff", 0, "c-1");

        Assert.Equal(("14", DeclineReason.AuthorizationUnknown), (reply.Code, reply.Reason));
        Assert.Equal((capture.Code, capture.Reason), (reply.Code, reply.Reason));
    }

    [Fact]
    public void Capture_AfterAVoid_HasNothingLeftToCapture()
    {
        var (issuer, card, token) = Bound();
        var auth = issuer.Engine.Authorize(token, 5_000, card.Currency, "m", "o-1", "");
        issuer.Engine.Void(auth.AuthorizationId, "");

        var capture = issuer.Engine.Capture(auth.AuthorizationId, 0, "");

        Assert.Equal(("13", 0L), (capture.Code, capture.CapturedMinor));
        Assert.Equal(card.BalanceMinor, issuer.State.Ledger.AvailableMinor(card.Pan));
    }

    [Fact]
    public void DuplicateCharges_AreCountedPerCard_TwoCardsPayingOneOrderAreNotADuplicate()
    {
        var issuer = new TestIssuer();
        var cards = issuer.Registry.All.Where(c => c.Persona == Persona.Healthy).Take(2).ToArray();
        var tokens = cards.Select(issuer.Bind).ToArray();

        issuer.Engine.Authorize(tokens[0], 1_000, cards[0].Currency, "shop", "order-1", "");
        issuer.Engine.Authorize(tokens[1], 1_000, cards[1].Currency, "shop", "order-1", "");
        Assert.Equal(0, issuer.State.Ledger.Invariants().DuplicateCharges);

        issuer.Engine.Authorize(tokens[1], 1_000, cards[1].Currency, "shop", "order-1", "");
        var inv = issuer.State.Ledger.Invariants();
        Assert.Equal(1, inv.DuplicateCharges);
        Assert.Contains($"card ****{cards[1].Pan[^4..]}: merchant 'shop' order 'order-1' was charged 2 times", inv.Violations);
    }

    [Fact]
    public void DuplicateCharges_ARepeatReleasedByVoid_IsNotADuplicateAnyMore()
    {
        var (issuer, card, token) = Bound();
        issuer.Engine.Authorize(token, 1_000, card.Currency, "shop", "order-1", "");
        var repeat = issuer.Engine.Authorize(token, 1_000, card.Currency, "shop", "order-1", "");
        Assert.Equal(1, issuer.State.Ledger.Invariants().DuplicateCharges);

        issuer.Engine.Void(repeat.AuthorizationId, "");

        Assert.Equal(0, issuer.State.Ledger.Invariants().DuplicateCharges);
    }

    private static (TestIssuer Issuer, CardholderRecord Card, string Token) Bound()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        return (issuer, card, issuer.Bind(card));
    }
}
