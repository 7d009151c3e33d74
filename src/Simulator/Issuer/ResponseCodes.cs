namespace PaySim.Simulator.Issuer;

/// <summary>ISO 8583 response codes the issuer answers with.</summary>
internal static class ResponseCodes
{
    public const string Approved = "00";
    public const string DoNotHonour = "05";
    public const string InvalidAmount = "13";
    public const string InvalidCard = "14";
    public const string FormatError = "30";
    public const string InsufficientFunds = "51";
    public const string ExpiredCard = "54";
    public const string WrongPinOrOtp = "55";
    public const string NotPermitted = "57";
    public const string SuspectedFraud = "59";
    public const string OverLimit = "61";
    public const string FrequencyExceeded = "65";

    /// <summary>Additional authentication required: the payment waits for AuthenticatePayment.</summary>
    public const string AuthenticationRequired = "1A";
    public const string IssuerUnavailable = "91";
    public const string DuplicateTransmission = "94";
    public const string SystemError = "96";
}
