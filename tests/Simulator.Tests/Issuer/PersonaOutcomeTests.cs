using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

public sealed class PersonaOutcomeTests
{
    public static TheoryData<string> PersonaNames => new(Personas.Generated.Select(Personas.Name));

    public static TheoryData<string> MagicCodes => new(MagicCards.All.Select(m => m.ExpectedResponseCode));

    [Theory]
    [MemberData(nameof(PersonaNames))]
    public void EveryPersona_YieldsTheCodeAndReasonItsRecordPromises(string persona)
    {
        var issuer = new TestIssuer();
        Assert.True(Personas.TryParse(persona, out var p), persona);
        foreach (var card in issuer.Registry.All.Where(c => c.Persona == p).Take(5))
        {
            var (code, reason) = issuer.Flow(card);
            Assert.Equal(card.ExpectedResponseCode, code);
            Assert.Equal(card.ExpectedDeclineReason, reason);
        }
    }

    [Theory]
    [MemberData(nameof(MagicCodes))]
    public void EveryMagicCard_YieldsItsDocumentedCodeAndReason(string code)
    {
        var issuer = new TestIssuer(cardholders: 10);
        var card = issuer.Magic(code);

        var outcome = issuer.Flow(card);

        Assert.Equal(code, outcome.Code);
        Assert.Equal(card.ExpectedDeclineReason, outcome.Reason);
    }

    [Theory]
    [InlineData("00", "")]
    [InlineData("55", "OTP_WRONG")]
    public void MagicCards_BehaveTheSameUnderEverySeed(string code, string reason)
    {
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var issuer = new TestIssuer(cardholders: 5);
            _ = seed;
            Assert.Equal((code, reason), issuer.Flow(issuer.Magic(code)));
        }
    }

    [Fact]
    public void MagicOtpCard_ExhaustsItsAttempts_AfterThreeCodes()
    {
        var issuer = new TestIssuer(cardholders: 5);
        var card = issuer.Magic("55");
        var start = issuer.Start(card);
        var otp = issuer.LastOtp(card)!;

        Assert.Equal(PaySim.Contracts.Issuer.V1.DeclineReason.OtpWrong, issuer.Engine.ConfirmBinding(start.BindingId, otp, "").Reason);
        Assert.Equal(PaySim.Contracts.Issuer.V1.DeclineReason.OtpWrong, issuer.Engine.ConfirmBinding(start.BindingId, otp, "").Reason);
        Assert.Equal(PaySim.Contracts.Issuer.V1.DeclineReason.OtpAttemptsExceeded, issuer.Engine.ConfirmBinding(start.BindingId, otp, "").Reason);
    }
}
