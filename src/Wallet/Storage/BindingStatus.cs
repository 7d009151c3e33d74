namespace PaySim.Wallet.Storage;

internal static class BindingStatus
{
    public const string Starting = "starting";
    public const string OtpSent = "otp_sent";
    public const string Confirmed = "confirmed";
    public const string Failed = "failed";
}
