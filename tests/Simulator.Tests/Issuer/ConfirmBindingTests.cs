using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Issuer;

/// <summary>ConfirmBinding on memory state; the same scenarios run on Redis state in State/RedisConfirmBindingTests.</summary>
public sealed class ConfirmBindingTests
{
    [Fact]
    public void Concurrent_confirms_with_the_right_code_all_get_00_and_one_token()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        ConfirmBindingScenarios.Concurrent_right_codes_all_get_the_one_token([issuer.Engine], issuer.State, card, () => issuer.LastOtp(card));
    }

    [Fact]
    public void A_confirmed_binding_gives_its_token_only_for_the_code_that_confirmed_it()
    {
        var issuer = new TestIssuer();
        var card = issuer.First(Persona.Healthy);
        ConfirmBindingScenarios.A_confirmed_binding_gives_its_token_only_for_the_accepted_code(issuer.Engine, issuer.Engine, issuer.State, card, () => issuer.LastOtp(card));
    }
}
