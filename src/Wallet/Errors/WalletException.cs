namespace PaySim.Wallet.Errors;

/// <summary>Carries a <see cref="WalletError"/> from a service to the API layer, which writes it as JSON.</summary>
internal sealed class WalletException(WalletError error) : Exception(error.Message)
{
    public WalletError Error { get; } = error;

    public static WalletException Invalid(string message) => new(new WalletError(422, ErrorCodes.InvalidRequest, message));
}
