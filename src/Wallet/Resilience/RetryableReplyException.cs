namespace PaySim.Wallet.Resilience;

/// <summary>
/// Lets the retry strategy see a business reply worth retrying elsewhere (91 issuer unavailable, 96 system
/// error); when retries run out the reply itself is returned, not this exception.
/// </summary>
internal sealed class RetryableReplyException(object reply) : Exception("retryable issuer reply")
{
    public object Reply { get; } = reply;
}
