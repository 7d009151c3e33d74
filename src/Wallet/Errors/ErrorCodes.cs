namespace PaySim.Wallet.Errors;

/// <summary>The stable error codes of the wallet API (docs/wallet.md, "Error codes"). Clients branch on these.</summary>
public static class ErrorCodes
{
    // wallet-side
    public const string InvalidRequest = "invalid_request";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string TooManyRequests = "too_many_requests";
    public const string LoginLocked = "login_locked";
    public const string WeakPassword = "weak_password";
    public const string WeakPin = "weak_pin";
    public const string PhoneTaken = "phone_taken";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string CardNotFound = "card_not_found";
    public const string BindingNotFound = "binding_not_found";
    public const string BindingNotPending = "binding_not_pending";
    public const string PaymentNotFound = "payment_not_found";
    public const string PaymentInProgress = "payment_in_progress";
    public const string PaymentNotRefundable = "payment_not_refundable";
    public const string PaymentVoided = "payment_voided";
    public const string PaymentReversed = "payment_reversed";
    public const string PaymentNotChallenged = "payment_not_challenged";
    public const string ChallengeExpired = "challenge_expired";
    public const string RefundExceedsPayment = "refund_exceeds_payment";
    public const string IdempotencyKeyMissing = "idempotency_key_missing";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string PinWrong = "pin_wrong";
    public const string PinLocked = "pin_locked";
    public const string InternalError = "internal_error";
    public const string InvalidQr = "invalid_qr";
    public const string QrAmountMissing = "qr_amount_missing";
    public const string ResetCodeInvalid = "reset_code_invalid";
    public const string DeviceCodeInvalid = "device_code_invalid";
    public const string SmsUnavailable = "sms_unavailable";

    // issuer declines (from decline_reason / response code)
    public const string PhoneMismatch = "phone_mismatch";
    public const string IdMismatch = "id_mismatch";
    public const string NameMismatch = "name_mismatch";
    public const string CvvMismatch = "cvv_mismatch";
    public const string CardUnknown = "card_unknown";
    public const string CardExpired = "card_expired";
    public const string CardBlocked = "card_blocked";
    public const string InsufficientFunds = "insufficient_funds";
    public const string OverLimit = "over_limit";
    public const string DoNotHonour = "do_not_honour";
    public const string OtpWrong = "otp_wrong";
    public const string OtpExpired = "otp_expired";
    public const string OtpAttemptsExceeded = "otp_attempts_exceeded";
    public const string ResendTooSoon = "resend_too_soon";
    public const string ResendNotSupported = "resend_not_supported";
    public const string InvalidAmount = "invalid_amount";
    public const string DuplicateRequest = "duplicate_request";
    public const string AuthenticationRequired = "authentication_required";
    public const string Declined = "declined";

    // issuer trouble
    public const string IssuerUnavailable = "issuer_unavailable";
    public const string IssuerError = "issuer_error";
}
