namespace PaySim.Wallet.Integration;

/// <summary>
/// One way of integrating with the issuer nodes, chosen by <see cref="Name"/> (YARP style). The services put a
/// derived idempotency key on every request; an integration decides whether it reaches the issuer.
/// </summary>
internal interface IIssuerIntegration : IAsyncDisposable
{
    /// <summary><c>naive</c> or <c>resilient</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether a payment whose issuer calls failed is remembered under its Idempotency-Key, so the caller's retry
    /// resumes it with the same issuer keys instead of starting a new charge.
    /// </summary>
    bool RemembersFailedPayments { get; }

    /// <summary>The issuer calls of one wallet operation (a naive integration pins them to one node).</summary>
    IIssuerSession OpenSession();
}
