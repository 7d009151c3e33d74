namespace PaySim.Simulator.Sms;

/// <summary>What each phone has received, with a per-phone sequence so readers can wait for the next one.</summary>
internal interface ISmsInbox
{
    SmsMessageRecord Deliver(string messageId, string phone, string text, string sender, string correlationId, DateTimeOffset sentAt, DateTimeOffset deliveredAt);

    IReadOnlyList<SmsMessageRecord> List(string phone, int limit = 0);

    long LastSequence(string phone);

    /// <summary>The first message with a sequence above <paramref name="afterSequence"/>, or null after the timeout.</summary>
    Task<SmsMessageRecord?> WaitAsync(string phone, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken);

    void Clear();
}
