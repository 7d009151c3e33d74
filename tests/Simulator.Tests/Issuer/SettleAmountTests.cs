using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

/// <summary>Capture and Refund amounts on memory state; the same scenario runs on Redis state in State/RedisSettleAmountTests.</summary>
public sealed class SettleAmountTests
{
    [Fact]
    public void Negative_capture_and_refund_amounts_are_refused_naming_amount_minor_and_move_nothing()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        SettleAmountScenarios.Negative_amounts_are_refused_naming_the_field_and_move_nothing(issuer.Engine, issuer.State, card, issuer.Bind(card));
    }
}
