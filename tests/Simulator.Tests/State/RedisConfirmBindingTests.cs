using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.State;

/// <summary>ConfirmBinding on Redis state, over two processes of one issuer: the scenarios Issuer/ConfirmBindingTests runs on memory.</summary>
[Collection(RedisCollection.Name)]
public sealed class RedisConfirmBindingTests(RedisServerFixture redis)
{
    [ToolFact(ExternalTools.RedisServer)]
    public void Concurrent_confirms_with_the_right_code_over_two_processes_all_get_00_and_one_token()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            for (var n = 0; n < 5; n++)
            {
                var card = a.Healthy(n);
                ConfirmBindingScenarios.Concurrent_right_codes_all_get_the_one_token([a.Engine, b.Engine], a.State, card, () => a.LastOtp(card));
            }
        }
    }

    [ToolFact(ExternalTools.RedisServer)]
    public void A_confirmed_binding_gives_its_token_only_for_the_code_that_confirmed_it()
    {
        var (a, b) = RedisTestIssuer.Pair(redis);
        using (a)
        using (b)
        {
            var card = a.Healthy();
            ConfirmBindingScenarios.A_confirmed_binding_gives_its_token_only_for_the_accepted_code(a.Engine, b.Engine, b.State, card, () => a.LastOtp(card));
        }
    }
}
