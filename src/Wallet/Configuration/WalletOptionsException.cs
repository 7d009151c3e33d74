namespace PaySim.Wallet.Configuration;

/// <summary>Bad <see cref="WalletOptions"/>: <see cref="Exception.Message"/> is one line naming every bad field.</summary>
public sealed class WalletOptionsException : ArgumentException
{
    public WalletOptionsException(IReadOnlyList<string> errors)
        : base("invalid wallet options: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
