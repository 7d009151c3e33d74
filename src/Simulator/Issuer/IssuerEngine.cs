using System.Globalization;
using System.Text.Json;
using PaySim.Contracts.Issuer.V1;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Cards;
using PaySim.Simulator.Challenges;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Risk;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Issuer;

/// <summary>
/// The issuer's business rules, shared by every node: card and holder checks, OTP by SMS, holds,
/// captures, releases (Void) and refunds, each idempotent per key. Knows nothing of gRPC.
/// </summary>
internal sealed class IssuerEngine(IIssuerState state, SmsGateway sms, OtpOptions otp, TimeProvider time, SeededRandom random, RiskControls? risk = null)
{
    public IIssuerState State => state;

    /// <summary>The risk rules in force and their counters (docs/simulator.md "Risk controls").</summary>
    public RiskControls Risk { get; } = risk ?? new RiskControls();

    public OtpOptions Otp => otp;

    /// <summary>The orders this process declined, and the reattempts that re-sent one (<c>InvariantsReply.declined_reattempts</c>).</summary>
    public IDeclinedOrders Declined { get; } = state is RedisIssuerState shared
        ? new RedisDeclinedOrders(shared.Connection, shared.Keys, shared.Options)
        : new DeclinedOrders();

    public StartBindingOutcome StartBinding(string pan, string expiry, string cvv, string holderName, string idNumber, string phone, string idempotencyKey)
    {
        var fingerprint = string.Join('\u001f', pan, expiry, cvv, holderName, idNumber, phone);
        return Once("StartBinding", idempotencyKey, fingerprint,
            () => DoStartBinding(pan?.Trim() ?? "", expiry?.Trim() ?? "", cvv?.Trim() ?? "", holderName ?? "", idNumber ?? "", phone ?? ""));
    }

    public ConfirmBindingOutcome ConfirmBinding(string bindingId, string code, string idempotencyKey) =>
        Once("ConfirmBinding", idempotencyKey, bindingId + '\u001f' + code, () => DoConfirm(bindingId, code));

    /// <summary>A fresh code for a pending binding, or with <paramref name="challengeId"/> for a payment challenge (set one of them).</summary>
    public ResendOtpOutcome ResendOtp(string bindingId, string challengeId = "")
    {
        if (!string.IsNullOrEmpty(challengeId))
        {
            return string.IsNullOrEmpty(bindingId)
                ? ResendChallengeOtp(challengeId)
                : new ResendOtpOutcome(ResponseCodes.FormatError, DeclineReason.InvalidRequest, "set binding_id or challenge_id, not both");
        }

        var binding = state.Bindings.Get(bindingId ?? "");
        if (binding is null)
        {
            return new ResendOtpOutcome(ResponseCodes.InvalidCard, DeclineReason.BindingUnknown, "no such binding");
        }

        if (binding.CardToken is not null)
        {
            return new ResendOtpOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "binding already confirmed");
        }

        var card = state.Cardholders.FindByPan(binding.Pan)!;
        if (!IssueOtp(binding.Id, card, BindingText(card), out var retryAfter))
        {
            return new ResendOtpOutcome(ResponseCodes.DoNotHonour, DeclineReason.ResendTooSoon, "resend too soon", (int)Math.Ceiling(retryAfter.TotalMilliseconds));
        }

        return new ResendOtpOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "OTP sent");
    }

    // Authorize, Capture, Void and Refund are the load path: without an idempotency key there is nothing to
    // replay, so they skip the fingerprint and the store. The keyed path is a method of its own because
    // a lambda's captured parameters are hoisted into a closure at the entry of the method that holds it.
    // The node that approves a hold is kept with it for the ledger read (GET /v1/ledger).
    // A ledger in Redis (IOneTripHoldLedger) takes the same path as AuthorizeAsync, so both answer alike.
    public AuthorizeOutcome Authorize(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node = "") =>
        state.Ledger is IOneTripHoldLedger
            ? AuthorizeAsync(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node).GetAwaiter().GetResult()
            : Watched(AuthorizeInProcess(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node), cardToken, merchantId, orderReference, idempotencyKey);

    /// <summary>
    /// Authorize without blocking a thread on a shared ledger, in one round trip to it once the card token is
    /// known to this process: <see cref="IOneTripHoldLedger.HoldAsync"/> without an idempotency key,
    /// <see cref="IOneTripHoldLedger.HoldOnceAsync"/> (claim, hold and stored reply in one step) with one.
    /// Declines decided before the hold (amount, currency, blocked, expired, magic cards), a token this process
    /// has not seen yet, and a key another caller is still running take the ordinary path; so does memory state.
    /// </summary>
    public Task<AuthorizeOutcome> AuthorizeAsync(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node = "")
    {
        // Null and "" are the same request (the gRPC layer never passes null; tests may).
        cardToken ??= "";
        merchantId ??= "";
        orderReference ??= "";
        idempotencyKey ??= "";
        if (state.Ledger is not IOneTripHoldLedger ledger)
        {
            return WatchedAsync(AuthorizeInProcess(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node), cardToken, merchantId, orderReference, idempotencyKey);
        }

        var hold = PrepareHold(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node, out var card);
        var rules = Risk.Rules;

        // Risk rules with a window or a challenge, and any risk decline, take the ordinary path (inside the idempotency store).
        if (hold is not { } request || !rules.HoldsDirectly || Assess(card.Card!, request, rules, record: false) is not null)
        {
            return WatchedAsync(AuthorizeInProcess(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node), cardToken, merchantId, orderReference, idempotencyKey);
        }

        return idempotencyKey.Length == 0
            ? HoldAsync(ledger, request)
            : HoldOnceAsync(ledger, request, AuthorizeFingerprint(cardToken, amountMinor, currency, merchantId, orderReference),
                cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node);
    }

    private AuthorizeOutcome AuthorizeInProcess(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node) =>
        string.IsNullOrEmpty(idempotencyKey)
            ? DoAuthorize(cardToken, amountMinor, currency, merchantId ?? "", orderReference ?? "", "", node)
            : AuthorizeOnce(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node);

    private async Task<AuthorizeOutcome> HoldAsync(IOneTripHoldLedger ledger, HoldRequest request)
    {
        var outcome = CountDailyLimit(FromHold(await ledger.HoldAsync(request).ConfigureAwait(false)), request.Node);
        await Declined.ObserveAsync(request.CardToken, request.MerchantId, request.OrderReference, request.IdempotencyKey, outcome.Code).ConfigureAwait(false);
        return outcome;
    }

    private async Task<AuthorizeOutcome> HoldOnceAsync(IOneTripHoldLedger ledger, HoldRequest request, string fingerprint,
        string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node)
    {
        var r = await ledger.HoldOnceAsync(request, "Authorize", fingerprint, AuthorizeReplies).ConfigureAwait(false);
        var outcome = r.State switch
        {
            KeyedHoldState.Held => CountDailyLimit(FromHold(r.Hold), node),
            KeyedHoldState.Replayed => JsonSerializer.Deserialize<AuthorizeOutcome>(r.ReplayJson!)!,
            KeyedHoldState.KeyReused => KeyReused<AuthorizeOutcome>(),
            // Another caller claimed the key through the idempotency store and is still running: wait for it there.
            _ => AuthorizeOnce(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node),
        };
        await Declined.ObserveAsync(cardToken, merchantId, orderReference, idempotencyKey, outcome.Code).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Every Authorize's answer passes here once, whatever path made it, for <see cref="Declined"/>.</summary>
    private AuthorizeOutcome Watched(AuthorizeOutcome outcome, string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey)
    {
        Declined.Observe(cardToken, merchantId, orderReference, idempotencyKey, outcome.Code);
        return outcome;
    }

    /// <summary><see cref="Watched"/> for the gRPC path's synchronous answers: a decline's record in a shared store is awaited, not waited for on a blocked thread (the async paths await <see cref="IDeclinedOrders.ObserveAsync"/> themselves).</summary>
    private Task<AuthorizeOutcome> WatchedAsync(AuthorizeOutcome outcome, string? cardToken, string? merchantId, string? orderReference, string? idempotencyKey)
    {
        var observed = Declined.ObserveAsync(cardToken, merchantId, orderReference, idempotencyKey, outcome.Code);
        return observed.IsCompletedSuccessfully ? Task.FromResult(outcome) : AfterAsync(observed, outcome);

        static async Task<AuthorizeOutcome> AfterAsync(ValueTask observed, AuthorizeOutcome outcome)
        {
            await observed.ConfigureAwait(false);
            return outcome;
        }
    }

    /// <summary>The reply of each hold outcome as the idempotency store keeps it (its JSON), for a ledger that stores it itself.</summary>
    internal static HoldReplies AuthorizeReplies { get; } = MakeAuthorizeReplies();

    private static HoldReplies MakeAuthorizeReplies()
    {
        const string tail = "\"AuthorizationId\":\"\",\"AvailableBalanceMinor\":0}";
        static string Head(AuthorizeOutcome o)
        {
            var json = JsonSerializer.Serialize(o with { AuthorizationId = "", AvailableBalanceMinor = 0 });
            return json.EndsWith(tail, StringComparison.Ordinal)
                ? json[..^tail.Length] + "\"AuthorizationId\":\""
                : throw new InvalidOperationException($"AuthorizeOutcome no longer serializes as its last two values AuthorizationId, AvailableBalanceMinor: {json}");
        }

        return new HoldReplies(
            Head(FromHold(new HoldResult(LedgerOutcome.Approved, "", 0))),
            Head(FromHold(new HoldResult(LedgerOutcome.InsufficientFunds, null, 0))),
            Head(FromHold(new HoldResult(LedgerOutcome.OverLimit, null, 0))),
            Head(FromHold(new HoldResult(LedgerOutcome.InvalidAmount, null, 0))),
            Head(UnknownToken()));
    }

    private static string AuthorizeFingerprint(string cardToken, long amountMinor, string currency, string merchantId, string orderReference) =>
        string.Join('\u001f', cardToken, amountMinor.ToString(CultureInfo.InvariantCulture), currency, merchantId, orderReference);

    /// <summary>The decline of a Capture or Refund whose amount is negative: said before the ledger is asked, so nothing moves and no key is kept.</summary>
    public const string NegativeAmount = "amount_minor must be positive, or 0 for the rest";

    public CaptureOutcome Capture(string authorizationId, long amountMinor, string idempotencyKey) =>
        amountMinor < 0 ? new CaptureOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, NegativeAmount)
        : string.IsNullOrEmpty(idempotencyKey) ? DoCapture(authorizationId, amountMinor) : CaptureOnce(authorizationId, amountMinor, idempotencyKey);

    public RefundOutcome Refund(string authorizationId, long amountMinor, string idempotencyKey) =>
        amountMinor < 0 ? new RefundOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, NegativeAmount)
        : string.IsNullOrEmpty(idempotencyKey) ? DoRefund(authorizationId, amountMinor) : RefundOnce(authorizationId, amountMinor, idempotencyKey);

    /// <summary>Releases what is left of a hold; 57 once captured (refund it instead), 14 for an unknown id.</summary>
    public VoidOutcome Void(string authorizationId, string idempotencyKey) =>
        string.IsNullOrEmpty(idempotencyKey) ? DoVoid(authorizationId) : VoidOnce(authorizationId, idempotencyKey);

    public static string MaskPhone(string phone) =>
        phone.Length <= 7 ? phone : phone[..3] + new string('*', phone.Length - 7) + phone[^4..];

    private StartBindingOutcome DoStartBinding(string pan, string expiry, string cvv, string holderName, string idNumber, string phone)
    {
        var card = Luhn.IsValid(pan) ? state.Cardholders.FindByPan(pan) : null;
        if (card is null || card.Magic == MagicBehaviour.InvalidCard)
        {
            return new StartBindingOutcome(ResponseCodes.InvalidCard, DeclineReason.PanUnknown, "invalid card number");
        }

        if (card.Status == "blocked")
        {
            return new StartBindingOutcome(ResponseCodes.DoNotHonour, DeclineReason.Blocked, "card is blocked");
        }

        if (card.Status == "expired" || IsExpired(card.Expiry, time.GetUtcNow()) || !string.Equals(expiry, card.Expiry, StringComparison.Ordinal))
        {
            return new StartBindingOutcome(ResponseCodes.ExpiredCard, DeclineReason.Expired, "card expired or expiry date wrong");
        }

        if (!string.Equals(cvv, card.Cvv, StringComparison.Ordinal))
        {
            return new StartBindingOutcome(ResponseCodes.DoNotHonour, DeclineReason.CvvMismatch, "security code does not match");
        }

        if (!SameName(holderName, card.HolderName))
        {
            return new StartBindingOutcome(ResponseCodes.DoNotHonour, DeclineReason.NameMismatch, "cardholder name does not match");
        }

        if (!string.Equals(idNumber.Trim(), card.IdNumber, StringComparison.OrdinalIgnoreCase))
        {
            return new StartBindingOutcome(ResponseCodes.DoNotHonour, DeclineReason.IdMismatch, "ID number does not match");
        }

        if (!SamePhone(phone, card.Phone))
        {
            return new StartBindingOutcome(ResponseCodes.DoNotHonour, DeclineReason.PhoneMismatch, "phone does not match the reserved phone");
        }

        var binding = new BindingRecord("bnd_" + random.Hex(20), card.Pan, time.GetUtcNow());
        state.Bindings.Add(binding);
        IssueOtp(binding.Id, card, BindingText(card), out _);
        return new StartBindingOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "OTP sent to the reserved phone", binding.Id, MaskPhone(card.Phone), (int)otp.Ttl.TotalSeconds);
    }

    private Func<string, string> BindingText(CardholderRecord card) => code => SmsText.Otp(card.Locale, code, otp.Ttl);

    /// <summary>A fresh code for a binding or a payment challenge (one OTP store, keyed by its id), sent to the reserved phone.</summary>
    private bool IssueOtp(string id, CardholderRecord card, Func<string, string> text, out TimeSpan retryAfter)
    {
        var code = random.Next(1_000_000).ToString("000000", CultureInfo.InvariantCulture);
        if (!state.Otps.TryIssue(id, code, time.GetUtcNow(), out retryAfter))
        {
            return false;
        }

        // Magic 55: the SMS carries a code the issuer never accepts, as when SMS and issuer disagree.
        var sent = card.Magic == MagicBehaviour.OtpAlwaysWrong
            ? ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("000000", CultureInfo.InvariantCulture)
            : code;
        sms.Send(card.Phone, text(sent), SmsText.Sender(card.Locale), id, SmsKinds.Otp);
        return true;
    }

    // Every caller with the right code gets 00 and the one token, however they race: the OTP stays accepted for its code
    // (Verify answers Accepted again), and the binding keeps the first token Confirm wrote, with the code that confirmed it.
    // A confirmed binding answers a replay of that code with its token, and any other code as a wrong one (nothing counted,
    // nothing undone): the token is never handed out for a code that was not checked.
    private ConfirmBindingOutcome DoConfirm(string bindingId, string code)
    {
        var binding = state.Bindings.Get(bindingId ?? "");
        if (binding is null)
        {
            return new ConfirmBindingOutcome(ResponseCodes.InvalidCard, DeclineReason.BindingUnknown, "no such binding");
        }

        var card = state.Cardholders.FindByPan(binding.Pan)!;
        code = (code ?? "").Trim();
        if (binding.CardToken is { } existing)
        {
            return string.Equals(code, binding.ConfirmedCode, StringComparison.Ordinal) ? Bound(card, existing) : WrongCode(0);
        }

        var verdict = state.Otps.Verify(binding.Id, code, time.GetUtcNow(), out var left);
        return verdict switch
        {
            OtpVerdict.Accepted => Bound(card, state.Bindings.Confirm(binding, "tok_" + random.Hex(24), code)),
            OtpVerdict.Wrong => WrongCode(left),
            OtpVerdict.Used => WrongCode(0),
            OtpVerdict.Expired => new ConfirmBindingOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpExpired, "verification code expired", AttemptsLeft: left),
            OtpVerdict.AttemptsExceeded => new ConfirmBindingOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpAttemptsExceeded, "too many wrong codes; request a new one"),
            _ => new ConfirmBindingOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpExpired, "no live verification code; request a new one"),
        };

        static ConfirmBindingOutcome Bound(CardholderRecord card, string token) =>
            new(ResponseCodes.Approved, DeclineReason.Unspecified, "card bound", token, 0, card.Pan[^4..], CardNetworks.Name(card.Network));

        static ConfirmBindingOutcome WrongCode(int left) =>
            new(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpWrong, "wrong verification code", AttemptsLeft: left);
    }

    private AuthorizeOutcome AuthorizeOnce(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node) =>
        Once("Authorize", idempotencyKey,
            AuthorizeFingerprint(cardToken, amountMinor, currency, merchantId, orderReference),
            () => DoAuthorize(cardToken, amountMinor, currency, merchantId ?? "", orderReference ?? "", idempotencyKey, node));

    // Capture, Void and Refund with a key: on a shared ledger (IOneTripSettleLedger) the claim, the fingerprint check, the
    // money and the stored reply are one step (Redis: one EVALSHA), else the idempotency store runs the operation. A key
    // another caller claimed through the store and is still running is waited for there. The transaction notice goes
    // only when this call moved the money, as when the store runs the operation: a replay sends none.
    private VoidOutcome VoidOnce(string authorizationId, string idempotencyKey)
    {
        // Null and "" are the same request (the gRPC layer never passes null; tests may).
        authorizationId ??= "";
        return SettleOnce("Void", idempotencyKey, authorizationId,
            (ledger, scope, fingerprint) => ledger.VoidOnce(authorizationId, scope, idempotencyKey, fingerprint, VoidReplies),
            FromVoid, () => DoVoid(authorizationId));
    }

    private CaptureOutcome CaptureOnce(string authorizationId, long amountMinor, string idempotencyKey)
    {
        authorizationId ??= "";
        return SettleOnce("Capture", idempotencyKey, AmountFingerprint(authorizationId, amountMinor),
            (ledger, scope, fingerprint) => ledger.CaptureOnce(authorizationId, amountMinor, scope, idempotencyKey, fingerprint, CaptureReplies),
            r => Captured(authorizationId, r), () => DoCapture(authorizationId, amountMinor));
    }

    private RefundOutcome RefundOnce(string authorizationId, long amountMinor, string idempotencyKey)
    {
        authorizationId ??= "";
        return SettleOnce("Refund", idempotencyKey, AmountFingerprint(authorizationId, amountMinor),
            (ledger, scope, fingerprint) => ledger.RefundOnce(authorizationId, amountMinor, scope, idempotencyKey, fingerprint, RefundReplies),
            r => Refunded(authorizationId, r), () => DoRefund(authorizationId, amountMinor));
    }

    private static string AmountFingerprint(string authorizationId, long amountMinor) =>
        authorizationId + '\u001f' + amountMinor.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One keyed settle: in one trip on a ledger that can (<paramref name="oneTrip"/>; <paramref name="held"/> turns this call's
    /// own result into its reply), else, or when the one trip found the key claimed through the store, through the idempotency
    /// store running <paramref name="operation"/>.
    /// </summary>
    private TOutcome SettleOnce<TResult, TOutcome>(
        string scope,
        string idempotencyKey,
        string fingerprint,
        Func<IOneTripSettleLedger, string, string, KeyedSettle<TResult>> oneTrip,
        Func<TResult, TOutcome> held,
        Func<TOutcome> operation)
        where TOutcome : class
    {
        if (state.Ledger is IOneTripSettleLedger ledger)
        {
            var r = oneTrip(ledger, scope, fingerprint);
            switch (r.State)
            {
                case KeyedHoldState.Held:
                    return held(r.Result);
                case KeyedHoldState.Replayed:
                    return JsonSerializer.Deserialize<TOutcome>(r.ReplayJson!)!;
                case KeyedHoldState.KeyReused:
                    return KeyReused<TOutcome>();
            }
        }

        return Once(scope, idempotencyKey, fingerprint, operation);
    }

    /// <summary>The reply of each capture, void and refund outcome as the idempotency store keeps it (its JSON), for a ledger that stores it itself.</summary>
    internal static SettleReplies CaptureReplies { get; } = new(
        SettleHead(FromCapture(new CaptureResult(LedgerOutcome.Approved, 0)), "CapturedMinor", withRefundId: false),
        SettleHead(FromCapture(new CaptureResult(LedgerOutcome.InvalidAmount, 0)), "CapturedMinor", withRefundId: false),
        null,
        SettleHead(FromCapture(new CaptureResult(LedgerOutcome.UnknownAuthorization, 0)), "CapturedMinor", withRefundId: false),
        withRefundId: false);

    /// <inheritdoc cref="CaptureReplies"/>
    internal static SettleReplies VoidReplies { get; } = new(
        SettleHead(FromVoid(new VoidResult(LedgerOutcome.Approved, 0)), "ReleasedMinor", withRefundId: false),
        null,
        SettleHead(FromVoid(new VoidResult(LedgerOutcome.AlreadyCaptured, 0)), "ReleasedMinor", withRefundId: false),
        SettleHead(FromVoid(new VoidResult(LedgerOutcome.UnknownAuthorization, 0)), "ReleasedMinor", withRefundId: false),
        withRefundId: false);

    /// <inheritdoc cref="CaptureReplies"/>
    internal static SettleReplies RefundReplies { get; } = new(
        SettleHead(FromRefund(new RefundResult(LedgerOutcome.Approved, 0, "")), "RefundedMinor", withRefundId: true),
        SettleHead(FromRefund(new RefundResult(LedgerOutcome.InvalidAmount, 0, null)), "RefundedMinor", withRefundId: true),
        null,
        SettleHead(FromRefund(new RefundResult(LedgerOutcome.UnknownAuthorization, 0, null)), "RefundedMinor", withRefundId: true),
        withRefundId: true);

    /// <summary>The JSON of <paramref name="outcome"/> (amount 0, no refund id) up to its amount, checked to end as <see cref="SettleReplies"/> says.</summary>
    private static string SettleHead<T>(T outcome, string amountName, bool withRefundId)
    {
        var json = JsonSerializer.Serialize(outcome);
        var tail = "\"" + amountName + "\":0" + (withRefundId ? SettleReplies.RefundIdMiddle + SettleReplies.RefundIdEnd : SettleReplies.End);
        return json.EndsWith(tail, StringComparison.Ordinal)
            ? json[..^(tail.Length - amountName.Length - 3)]
            : throw new InvalidOperationException($"{typeof(T).Name} no longer serializes with {amountName} (then RefundId) last: {json}");
    }

    /// <summary>Runs the operation once per (scope, key) and replays its outcome; a key reused for another request is refused.</summary>
    private T Once<T>(string scope, string idempotencyKey, string fingerprint, Func<T> operation)
        where T : class
    {
        var result = state.Idempotency.Run(scope, idempotencyKey, fingerprint, operation);
        return result.KeyReused ? KeyReused<T>() : result.Value!;
    }

    private CaptureOutcome DoCapture(string authorizationId, long amountMinor) => Captured(authorizationId, state.Ledger.Capture(authorizationId, amountMinor));

    /// <summary>The reply to a capture the ledger made (or declined), and its transaction notice once money moved.</summary>
    private CaptureOutcome Captured(string authorizationId, CaptureResult r)
    {
        if (r.Outcome == LedgerOutcome.Approved)
        {
            Notify(authorizationId, r.Pan, refund: false, r.CapturedMinor);
        }

        return FromCapture(r);
    }

    private static CaptureOutcome FromCapture(CaptureResult r) =>
        r.Outcome switch
        {
            LedgerOutcome.Approved => new CaptureOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "captured", r.CapturedMinor),
            LedgerOutcome.UnknownAuthorization => new CaptureOutcome(ResponseCodes.InvalidCard, DeclineReason.AuthorizationUnknown, "no such authorization"),
            _ => new CaptureOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount exceeds what is left to capture", r.CapturedMinor),
        };

    /// <summary>The reply to a refund the ledger made (or declined), and its transaction notice once money moved.</summary>
    private RefundOutcome Refunded(string authorizationId, RefundResult r)
    {
        if (r.Outcome == LedgerOutcome.Approved)
        {
            Notify(authorizationId, r.Pan, refund: true, r.RefundedMinor);
        }

        return FromRefund(r);
    }

    private static RefundOutcome FromRefund(RefundResult r) =>
        r.Outcome switch
        {
            LedgerOutcome.Approved => new RefundOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "refunded", r.RefundedMinor, r.RefundId ?? ""),
            LedgerOutcome.UnknownAuthorization => new RefundOutcome(ResponseCodes.InvalidCard, DeclineReason.AuthorizationUnknown, "no such authorization"),
            _ => new RefundOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount exceeds what is left to refund", r.RefundedMinor),
        };

    private VoidOutcome DoVoid(string? authorizationId) => FromVoid(state.Ledger.Void(authorizationId ?? ""));

    private static VoidOutcome FromVoid(VoidResult r) =>
        r.Outcome switch
        {
            LedgerOutcome.Approved => new VoidOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "released", r.ReleasedMinor),
            LedgerOutcome.AlreadyCaptured => new VoidOutcome(ResponseCodes.NotPermitted, DeclineReason.AuthorizationCaptured, "authorization was captured; refund it instead", r.ReleasedMinor),
            _ => new VoidOutcome(ResponseCodes.InvalidCard, DeclineReason.AuthorizationUnknown, "no such authorization"),
        };

    private RefundOutcome DoRefund(string authorizationId, long amountMinor) => Refunded(authorizationId, state.Ledger.Refund(authorizationId, amountMinor));

    private AuthorizeOutcome DoAuthorize(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node)
    {
        cardToken ??= "";
        var hold = PrepareHold(cardToken, amountMinor, currency, merchantId, orderReference, idempotencyKey, node, out var declined);
        if (hold is not { } request)
        {
            return declined.Card is null ? UnknownToken() : DeclineBeforeHold(cardToken, declined.Card, declined.Code, declined.Reason, declined.Message);
        }

        var card = declined.Card!;
        var rules = Risk.Rules;
        if (Assess(card, request, rules, record: true) is { } fired)
        {
            Risk.Counters.Add(node ?? "", "Authorize", fired.Rule);
            return fired.Action == RiskAction.Challenge
                ? OpenChallenge(card, request, fired.Rule)
                : RiskDecline(cardToken, card, fired.Rule, rules);
        }

        // The balance in the reply is the hold's own: no read before it on the load path.
        return CountDailyLimit(FromHold(state.Ledger.Hold(request)), node ?? "");
    }

    private AuthorizeOutcome CountDailyLimit(AuthorizeOutcome outcome, string node, string method = "Authorize")
    {
        if (outcome.Reason == DeclineReason.OverLimit)
        {
            Risk.Counters.Add(node, method, RiskRuleNames.DailyLimit);
        }

        return outcome;
    }

    /// <summary>
    /// The risk rule that fires for this payment, in the order notPermitted, riskFlagged, the window rules (repeat,
    /// velocity, amount: recorded when <paramref name="record"/>), stepUp; the first decline wins, else the first
    /// challenge. Null: hold it.
    /// </summary>
    private (string Rule, RiskAction Action)? Assess(CardholderRecord card, in HoldRequest request, RiskRules rules, bool record)
    {
        if (rules.NotPermittedMerchants.Count > 0 && rules.NotPermittedMerchants.Contains(request.MerchantId, StringComparer.Ordinal))
        {
            return (RiskRuleNames.NotPermitted, RiskAction.Decline);
        }

        string? challenge = null;
        if (card.Persona == Persona.RiskFlagged && rules.RiskFlagged is { } flagged && request.AmountMinor > flagged.Limit)
        {
            if (flagged.Action == RiskAction.Decline)
            {
                return (RiskRuleNames.RiskFlagged, RiskAction.Decline);
            }

            challenge = RiskRuleNames.RiskFlagged;
        }

        if (record && rules.HasWindows && Risk.Windows.Admit(card.Pan, request.AmountMinor, request.MerchantId, time.GetUtcNow(), rules) is { } window)
        {
            var action = window switch
            {
                RiskRuleNames.Repeat => rules.Repeat!.Action,
                RiskRuleNames.Velocity => rules.Velocity!.Action,
                _ => rules.Amount!.Action,
            };
            if (action == RiskAction.Decline)
            {
                return (window, RiskAction.Decline);
            }

            challenge ??= window;
        }

        if (challenge is null && rules.StepUp is { } stepUp && request.AmountMinor > stepUp.Limit)
        {
            challenge = RiskRuleNames.StepUp;
        }

        return challenge is null ? null : (challenge, RiskAction.Challenge);
    }

    private AuthorizeOutcome RiskDecline(string cardToken, CardholderRecord card, string rule, RiskRules rules)
    {
        var (code, reason, message) = rule switch
        {
            RiskRuleNames.NotPermitted => (ResponseCodes.NotPermitted, DeclineReason.NotPermitted, "transaction not permitted at this merchant"),
            RiskRuleNames.RiskFlagged => (ResponseCodes.SuspectedFraud, DeclineReason.SuspectedFraud, "suspected fraud"),
            RiskRuleNames.Repeat => (ResponseCodes.SuspectedFraud, DeclineReason.RepeatedAttempt, $"the same payment again within {Human(rules.Repeat!.Window)}"),
            RiskRuleNames.Velocity => (ResponseCodes.FrequencyExceeded, DeclineReason.FrequencyExceeded, $"more than {rules.Velocity!.Limit} payments on this card within {Human(rules.Velocity.Window)}"),
            _ => (ResponseCodes.OverLimit, DeclineReason.AmountLimitExceeded, $"over the card's limit of {rules.Amount!.Limit} within {Human(rules.Amount.Window)}"),
        };
        return DeclineBeforeHold(cardToken, card, code, reason, message) with { RiskRule = rule };
    }

    private static string Human(TimeSpan window) => PaySim.Contracts.Durations.HumanDuration.Format(window);

    /// <summary>1A: nothing is held; the code goes by SMS to the reserved phone, and AuthenticatePayment holds.</summary>
    private AuthorizeOutcome OpenChallenge(CardholderRecord card, in HoldRequest request, string rule)
    {
        var challenge = new PaymentChallenge("chl_" + random.Hex(20), card.Pan, request.CardToken ?? "", request.AmountMinor, request.MerchantId,
            request.OrderReference, request.IdempotencyKey, rule, time.GetUtcNow());
        state.Challenges.Add(challenge, otp.Ttl + otp.ResendCooldown);
        var amount = request.AmountMinor;
        var merchant = request.MerchantId;
        IssueOtp(challenge.Id, card, code => SmsText.PaymentOtp(card.Locale, code, otp.Ttl, card.Currency, amount, merchant), out _);
        return new AuthorizeOutcome(ResponseCodes.AuthenticationRequired, DeclineReason.AuthenticationRequired,
            "additional authentication required: enter the code sent by SMS (AuthenticatePayment)", AvailableBalanceMinor: state.Ledger.AvailableMinor(card.Pan))
        {
            ChallengeId = challenge.Id,
            MaskedPhone = MaskPhone(card.Phone),
            OtpTtlSeconds = (int)otp.Ttl.TotalSeconds,
            RiskRule = rule,
        };
    }

    /// <summary>
    /// Completes a 1A payment with the SMS code: the hold is placed now. Idempotent per (challenge, code): the same
    /// code again answers the same reply and holds nothing more; a wrong code counts once.
    /// </summary>
    public AuthenticatePaymentOutcome AuthenticatePayment(string challengeId, string code, string node = "")
    {
        challengeId ??= "";
        code = (code ?? "").Trim();
        if (challengeId.Length == 0)
        {
            return UnknownChallenge();
        }

        return Once("AuthenticatePayment", challengeId + '\u001f' + code, "", () => DoAuthenticate(challengeId, code, node ?? ""));
    }

    private static AuthenticatePaymentOutcome UnknownChallenge() =>
        new(ResponseCodes.InvalidCard, DeclineReason.ChallengeUnknown, "no such payment challenge");

    private AuthenticatePaymentOutcome DoAuthenticate(string challengeId, string code, string node)
    {
        var c = state.Challenges.Get(challengeId);
        if (c is null)
        {
            return UnknownChallenge();
        }

        if (c.Dead)
        {
            return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpAttemptsExceeded, "too many wrong codes; the payment challenge is closed: pay again");
        }

        var now = time.GetUtcNow();
        switch (state.Otps.Verify(challengeId, code, now, out var left))
        {
            case OtpVerdict.Accepted:
                if (!state.Challenges.TryComplete(challengeId))
                {
                    return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpExpired, "the payment challenge is closed");
                }

                var card = state.Cardholders.FindByPan(c.Pan)!;
                var hold = new HoldRequest(c.Pan, c.AmountMinor, Risk.Rules.DailyLimit ? card.DailyLimitMinor : long.MaxValue, c.MerchantId, c.OrderReference,
                    c.IdempotencyKey, DateOnly.FromDateTime(now.UtcDateTime), c.CardToken, node, now.ToUnixTimeMilliseconds());
                var o = CountDailyLimit(FromHold(state.Ledger.Hold(hold)), node, "AuthenticatePayment");
                return new AuthenticatePaymentOutcome(o.Code, o.Reason, o.Message, o.AuthorizationId, o.AvailableBalanceMinor);
            case OtpVerdict.Wrong:
                return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpWrong, "wrong verification code", AttemptsLeft: left);
            case OtpVerdict.Expired:
                return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpExpired, "verification code expired; request a new one (ResendOtp with challenge_id)", AttemptsLeft: left);
            case OtpVerdict.AttemptsExceeded:
                state.Challenges.MarkDead(challengeId);
                return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpAttemptsExceeded, "too many wrong codes; the payment challenge is closed: pay again");
            default:
                return new AuthenticatePaymentOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpExpired,
                    c.Completed ? "the payment challenge was completed with another code" : "no live verification code; request a new one (ResendOtp with challenge_id)");
        }
    }

    private ResendOtpOutcome ResendChallengeOtp(string challengeId)
    {
        var c = state.Challenges.Get(challengeId);
        if (c is null)
        {
            return new ResendOtpOutcome(ResponseCodes.InvalidCard, DeclineReason.ChallengeUnknown, "no such payment challenge");
        }

        if (c.Completed)
        {
            return new ResendOtpOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "payment already authenticated");
        }

        if (c.Dead)
        {
            return new ResendOtpOutcome(ResponseCodes.WrongPinOrOtp, DeclineReason.OtpAttemptsExceeded, "too many wrong codes; the payment challenge is closed: pay again");
        }

        var card = state.Cardholders.FindByPan(c.Pan)!;
        var amount = c.AmountMinor;
        var merchant = c.MerchantId;
        return IssueOtp(challengeId, card, code => SmsText.PaymentOtp(card.Locale, code, otp.Ttl, card.Currency, amount, merchant), out var retryAfter)
            ? new ResendOtpOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "OTP sent")
            : new ResendOtpOutcome(ResponseCodes.DoNotHonour, DeclineReason.ResendTooSoon, "resend too soon", (int)Math.Ceiling(retryAfter.TotalMilliseconds));
    }

    /// <summary>
    /// The transaction notice after a capture or refund, to the card's reserved phone (SMS faults apply). The ledger's
    /// reply carries the card, so the notice costs no second round trip to the state (Redis: one script per capture).
    /// </summary>
    private void Notify(string authorizationId, string? pan, bool refund, long totalMinor)
    {
        pan ??= state.Ledger.PanOf(authorizationId);
        if (pan is null || state.Cardholders.FindByPan(pan) is not { } card)
        {
            return;
        }

        sms.Send(card.Phone, SmsText.TransactionNotice(card.Locale, refund, card.Pan[^4..], card.Currency, totalMinor, authorizationId),
            SmsText.Sender(card.Locale), authorizationId, SmsKinds.Transaction);
    }

    /// <summary>
    /// Every rule decided before the hold, from the card file alone (and the token, from the state's cache
    /// when it has one): the hold to place, or null and why not (no card: the token is unknown).
    /// </summary>
    private HoldRequest? PrepareHold(string cardToken, long amountMinor, string currency, string merchantId, string orderReference, string idempotencyKey, string node,
        out (CardholderRecord? Card, string Code, DeclineReason Reason, string Message) declined)
    {
        var pan = state.Bindings.ResolveToken(cardToken);
        var card = pan is null ? null : state.Cardholders.FindByPan(pan);
        declined = (card, "", DeclineReason.Unspecified, "");
        if (card is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (amountMinor <= 0)
        {
            declined = (card, ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount must be positive");
        }
        else if (!string.IsNullOrEmpty(currency) && !string.Equals(currency, card.Currency, StringComparison.OrdinalIgnoreCase))
        {
            declined = (card, ResponseCodes.FormatError, DeclineReason.InvalidRequest, $"card currency is {card.Currency}");
        }
        else if (card.Status == "blocked")
        {
            declined = (card, ResponseCodes.DoNotHonour, DeclineReason.Blocked, "card is blocked");
        }
        else if (card.Status == "expired" || IsExpired(card.Expiry, now))
        {
            declined = (card, ResponseCodes.ExpiredCard, DeclineReason.Expired, "card expired");
        }
        else
        {
            switch (card.Magic)
            {
                case MagicBehaviour.DoNotHonour:
                    declined = (card, ResponseCodes.DoNotHonour, DeclineReason.DoNotHonour, "do not honour");
                    break;
                case MagicBehaviour.IssuerUnavailable:
                    declined = (card, ResponseCodes.IssuerUnavailable, DeclineReason.IssuerUnavailable, "issuer unavailable");
                    break;
                case MagicBehaviour.SystemError:
                    declined = (card, ResponseCodes.SystemError, DeclineReason.SystemError, "system error");
                    break;
            }
        }

        if (declined.Code.Length > 0)
        {
            return null;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new HoldRequest(card.Pan, amountMinor, Risk.Rules.DailyLimit ? card.DailyLimitMinor : long.MaxValue, merchantId, orderReference, idempotencyKey, today, cardToken, node ?? "", now.ToUnixTimeMilliseconds());
    }

    private static AuthorizeOutcome FromHold(HoldResult hold) =>
        hold.Outcome switch
        {
            LedgerOutcome.Approved => new AuthorizeOutcome(ResponseCodes.Approved, DeclineReason.Unspecified, "approved", hold.AuthorizationId!, hold.AvailableMinor),
            LedgerOutcome.InsufficientFunds => new AuthorizeOutcome(ResponseCodes.InsufficientFunds, DeclineReason.InsufficientFunds, "insufficient funds", AvailableBalanceMinor: hold.AvailableMinor),
            LedgerOutcome.OverLimit => new AuthorizeOutcome(ResponseCodes.OverLimit, DeclineReason.OverLimit, "over the daily limit", AvailableBalanceMinor: hold.AvailableMinor),
            LedgerOutcome.InvalidAmount => new AuthorizeOutcome(ResponseCodes.InvalidAmount, DeclineReason.InvalidAmount, "amount must be positive", AvailableBalanceMinor: hold.AvailableMinor),
            // The account is gone, or the hold found the (cached) token cleared by a reset.
            _ => UnknownToken(),
        };

    private static AuthorizeOutcome UnknownToken() =>
        new(ResponseCodes.InvalidCard, DeclineReason.TokenUnknown, "unknown card token");

    // Off the load path, and without the hold to re-check a token resolved from a per-process cache:
    // the token is read again, so one a reset cleared (in any process) is unknown here too.
    private AuthorizeOutcome DeclineBeforeHold(string cardToken, CardholderRecord card, string code, DeclineReason reason, string message) =>
        state.Bindings.ResolveTokenUncached(cardToken) == card.Pan
            ? new AuthorizeOutcome(code, reason, message, AvailableBalanceMinor: state.Ledger.AvailableMinor(card.Pan))
            : UnknownToken();

    private static bool IsExpired(string expiry, DateTimeOffset now)
    {
        if (expiry.Length != 5
            || !int.TryParse(expiry.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(expiry.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var yy)
            || month is < 1 or > 12)
        {
            return true;
        }

        // A card is valid through the last day of its expiry month.
        var firstInvalid = new DateTimeOffset(2000 + yy, month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        return now >= firstInvalid;
    }

    private static bool SameName(string typed, string onFile) =>
        string.Equals(Squash(typed), Squash(onFile), StringComparison.OrdinalIgnoreCase);

    private static string Squash(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    private static bool SamePhone(string typed, string onFile)
    {
        var a = Digits(typed);
        var b = Digits(onFile);
        if (a == b)
        {
            return true;
        }

        // Users type mainland numbers with or without +86.
        return (a.StartsWith("86", StringComparison.Ordinal) && a.Length == 13 && a[2..] == b)
            || (b.StartsWith("86", StringComparison.Ordinal) && b.Length == 13 && b[2..] == a);
    }

    private static string Digits(string s) => string.Concat(s.Where(char.IsAsciiDigit));

    private static T KeyReused<T>() where T : class
    {
        const string message = "idempotency key already used with a different request";
        object o = typeof(T).Name switch
        {
            nameof(StartBindingOutcome) => new StartBindingOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            nameof(ConfirmBindingOutcome) => new ConfirmBindingOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            nameof(AuthorizeOutcome) => new AuthorizeOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            nameof(CaptureOutcome) => new CaptureOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            nameof(VoidOutcome) => new VoidOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            nameof(AuthenticatePaymentOutcome) => new AuthenticatePaymentOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
            _ => new RefundOutcome(ResponseCodes.DuplicateTransmission, DeclineReason.IdempotencyKeyReused, message),
        };
        return (T)o;
    }
}
