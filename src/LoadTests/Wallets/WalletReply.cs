namespace PaySim.LoadTests.Wallets;

/// <summary>
/// What one wallet call returned. <see cref="Status"/> is the HTTP status (0 when no reply arrived);
/// <see cref="Code"/> is the wallet's stable error code (<c>{"error":{"code":...}}</c>), or
/// "timeout"/"connection_failed" when the call never got an answer.
/// </summary>
public sealed record WalletReply<T>(bool Ok, T? Value, int Status, string? Code, string? Message, string? ServedBy)
{
    /// <summary>The code of a resend the wallet client cannot make (see <see cref="IWalletClient.ResendOtpAsync"/>).</summary>
    public const string ResendNotSupported = "resend_not_supported";

    /// <summary>The code of a history the wallet client cannot read (see <see cref="IWalletClient.GetHistoryAsync"/>).</summary>
    public const string HistoryNotSupported = "history_not_supported";

    /// <summary>The code of a payment authentication the wallet client cannot make (see <see cref="IWalletClient.AuthenticatePaymentAsync"/>).</summary>
    public const string StepUpNotSupported = "step_up_not_supported";

    /// <summary>
    /// The code of a call the wallet client has no method for (the <see cref="IWalletClient"/> defaults of the calls only
    /// the password-reset and qr-pay scenarios make: docs/your-wallet.md).
    /// </summary>
    public const string CallNotSupported = "call_not_supported";

    /// <summary>
    /// What <see cref="Code"/> starts with when a failed reply carried no wallet error code (<c>http_502</c>: an HTML page
    /// from a proxy, an empty body): the status alone, not the wallet's word.
    /// </summary>
    public const string NoCodePrefix = "http_";

    /// <summary>The code <see cref="HttpWalletClient.LoginAsync"/> gives a login the wallet answered with a device challenge (202) instead of a session.</summary>
    public const string DeviceVerificationRequired = "device_verification_required";

    /// <summary>Bytes of the reply's body as received (0 when no reply arrived): the steps' data-transfer figure.</summary>
    public long Bytes { get; init; }

    /// <summary>How long the wallet asks the caller to wait before trying again (<c>retryAfterMs</c> or <c>Retry-After</c>), when it says so.</summary>
    public long? RetryAfterMs { get; init; }

    /// <summary>
    /// The issuer's ISO 8583 response code behind a decline (<c>{"error":{"issuerCode":"65"}}</c>, docs/your-wallet.md),
    /// when the wallet passes it on: how a risk decline (65, 61, 59, 57) is told from the wallet's own refusals.
    /// </summary>
    public string? IssuerCode { get; init; }

    /// <summary>
    /// True only for <see cref="NotImplementedByClient"/>: the wallet client (adapter) has no such call, so nothing was
    /// sent and the wallet is not judged. A reply that came from the wallet is never this, whatever its code: a wallet
    /// answering <c>501 resend_not_supported</c> over HTTP gave its answer, and it is judged like any other.
    /// </summary>
    public bool ClientCannot { get; init; }

    /// <summary>
    /// A failed reply that came over HTTP, as text: the request (method, URL, framing headers, body sent) and the
    /// reply (status, headers that matter, body), bodies clipped. Set by <see cref="HttpWalletClient"/> for non-2xx
    /// replies only; null for successes, for calls that got no reply and for adapters that do not fill it. A run that
    /// cannot prepare prints the first one.
    /// </summary>
    public string? Exchange { get; init; }

    public static WalletReply<T> Success(T value, int status, string? servedBy) => new(true, value, status, null, null, servedBy);

    public static WalletReply<T> Failure(int status, string code, string? message, string? servedBy) => new(false, default, status, code, message, servedBy);

    /// <summary>
    /// What the <see cref="IWalletClient"/> defaults answer for a call the adapter does not implement (501 with
    /// <paramref name="code"/>, <see cref="ClientCannot"/> set): the adapter can't, the wallet was not asked.
    /// </summary>
    public static WalletReply<T> NotImplementedByClient(string code, string message) => Failure(501, code, message, null) with { ClientCannot = true };

    public WalletReply<TOther> As<TOther>() => new(Ok, default, Status, Code, Message, ServedBy) { Bytes = Bytes, RetryAfterMs = RetryAfterMs, IssuerCode = IssuerCode, ClientCannot = ClientCannot, Exchange = Exchange };
}
