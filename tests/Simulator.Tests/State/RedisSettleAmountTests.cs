using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.State;

/// <summary>Capture and Refund amounts on Redis state: the scenario Issuer/SettleAmountTests runs on memory.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisSettleAmountTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public void Negative_capture_and_refund_amounts_are_refused_naming_amount_minor_and_move_nothing()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            SettleAmountScenarios.Negative_amounts_are_refused_naming_the_field_and_move_nothing(b.Engine, a.State, card, RedisTestIssuer.Bind(a, b, card));
        }
    }
}
