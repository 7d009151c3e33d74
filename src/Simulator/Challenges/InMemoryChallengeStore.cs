using System.Collections.Concurrent;

namespace PaySim.Simulator.Challenges;

internal sealed class InMemoryChallengeStore : IChallengeStore
{
    private readonly ConcurrentDictionary<string, PaymentChallenge> _challenges = new(StringComparer.Ordinal);

    public void Add(PaymentChallenge challenge, TimeSpan keepFor) => _challenges[challenge.Id] = challenge;

    public PaymentChallenge? Get(string challengeId) => _challenges.GetValueOrDefault(challengeId ?? "");

    public bool TryComplete(string challengeId)
    {
        while (_challenges.TryGetValue(challengeId, out var c))
        {
            if (c.Completed || c.Dead)
            {
                return false;
            }

            if (_challenges.TryUpdate(challengeId, c with { Completed = true }, c))
            {
                return true;
            }
        }

        return false;
    }

    public void MarkDead(string challengeId)
    {
        while (_challenges.TryGetValue(challengeId, out var c) && !c.Dead && !c.Completed)
        {
            if (_challenges.TryUpdate(challengeId, c with { Dead = true }, c))
            {
                return;
            }
        }
    }

    public void Clear() => _challenges.Clear();
}
