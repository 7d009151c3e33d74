namespace PaySim.Simulator.Sms;

/// <summary>What each phone has received, with a per-phone sequence so readers can wait for the next one.</summary>
internal interface ISmsInbox
{
    /// <summary>Delivers a message of <paramref name="kind"/> (<see cref="SmsKinds"/>); only an otp message has its code parsed out.</summary>
    SmsMessageRecord Deliver(string messageId, string phone, string text, string sender, string correlationId, DateTimeOffset sentAt, DateTimeOffset deliveredAt, string kind = SmsKinds.Otp);

    IReadOnlyList<SmsMessageRecord> List(string phone, int limit = 0);

    long LastSequence(string phone);

    /// <summary>The first message of <paramref name="kind"/> (or <see cref="SmsKinds.Any"/>) with a sequence above <paramref name="afterSequence"/>, or null after the timeout.</summary>
    Task<SmsMessageRecord?> WaitAsync(string phone, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken, string kind = SmsKinds.Any);

    void Clear();
}
