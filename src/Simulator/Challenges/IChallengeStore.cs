namespace PaySim.Simulator.Challenges;

/// <summary>Open payment challenges by id, shared by every node (and with Redis state, every process).</summary>
internal interface IChallengeStore
{
    /// <summary>Keeps the challenge for <paramref name="keepFor"/> at least (the OTP's life and its resends).</summary>
    void Add(PaymentChallenge challenge, TimeSpan keepFor);

    PaymentChallenge? Get(string challengeId);

    /// <summary>Marks the challenge completed; true for the one caller that did it, false if it was completed or dead before.</summary>
    bool TryComplete(string challengeId);

    /// <summary>No code will complete it any more (too many wrong ones); a resend is refused.</summary>
    void MarkDead(string challengeId);

    void Clear();
}
