using PaySim.Wallet.Integration;

namespace PaySim.Wallet.Tests.Integration;

public sealed class IssuerKeysTests
{
    [Fact]
    public void Authorize_SameUserAndClientKey_GivesTheSameIssuerKey() =>
        Assert.Equal(IssuerKeys.Authorize("u_1", "order-42"), IssuerKeys.Authorize("u_1", "order-42"));

    [Fact]
    public void Authorize_DiffersByUserByClientKeyAndFromCapture()
    {
        var keys = new[]
        {
            IssuerKeys.Authorize("u_1", "order-42"),
            IssuerKeys.Authorize("u_2", "order-42"),
            IssuerKeys.Authorize("u_1", "order-43"),
            IssuerKeys.Capture("u_1", "order-42"),
            IssuerKeys.Refund("u_1", "p_1", "order-42"),
        };

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Authorize_DoesNotLeakTheClientKey() =>
        Assert.DoesNotContain("secret-client-key", IssuerKeys.Authorize("u_1", "secret-client-key"), StringComparison.Ordinal);
}
