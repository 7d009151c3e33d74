using System.Text.RegularExpressions;
using PaySim.Contracts.Issuer.V1;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Defects;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Integration;
using PaySim.Wallet.Observability;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Cards;

/// <summary>
/// Card binding: StartBinding (the issuer texts an OTP to the card's reserved phone), then ConfirmBinding with
/// the OTP the user read. The wallet keeps only the issuer's card token, the last four digits and the network.
/// </summary>
internal sealed partial class BindingService(CardStore cards, IIssuerIntegration issuer, WalletMetrics metrics, TimeProvider time, IReadOnlyList<string>? defects = null)
{
    // Defect no-otp-resend: the "send the code again" call was never wired to the issuer.
    private readonly bool _resendNotWired = WalletDefects.IsOn(defects, WalletDefects.NoOtpResend);

    [GeneratedRegex(@"^[0-9]{12,19}$")]
    private static partial Regex PanPattern();

    [GeneratedRegex(@"^(0[1-9]|1[0-2])/[0-9]{2}$")]
    private static partial Regex ExpiryPattern();

    [GeneratedRegex(@"^[0-9]{3,4}$")]
    private static partial Regex CvvPattern();

    [GeneratedRegex(@"^[0-9]{4,8}$")]
    private static partial Regex OtpPattern();

    // A resident ID, passport or similar number: letters and digits, hyphens or spaces between them.
    [GeneratedRegex(@"^[0-9A-Za-z](?:[0-9A-Za-z -]{3,30})[0-9A-Za-z]$")]
    private static partial Regex IdNumberPattern();

    public async Task<(BindingRecord Binding, int OtpTtlSeconds)> StartAsync(string userId, StartBindingInput input, CancellationToken ct)
    {
        var pan = input.Pan?.Replace(" ", string.Empty, StringComparison.Ordinal);
        // Only the shape is checked here: a well-formed value that is not the bank's (another ID, another phone) is the
        // issuer's to refuse (id_mismatch, phone_mismatch), as a real bank would.
        Require(pan is not null && PanPattern().IsMatch(pan), "pan must be 12 to 19 digits (spaces allowed)");
        Require(PassesLuhn(pan!), "pan fails the Luhn check: a digit of the card number is mistyped");
        Require(input.Expiry is not null && ExpiryPattern().IsMatch(input.Expiry), "expiry must be MM/YY");
        Require(input.Cvv is not null && CvvPattern().IsMatch(input.Cvv), "cvv must be 3 or 4 digits");
        if (FreeText.CheckRequired(input.HolderName, "holderName", 100) is { } badHolderName)
        {
            throw WalletException.Invalid(badHolderName);
        }

        Require(input.IdNumber is not null && IdNumberPattern().IsMatch(input.IdNumber.Trim()),
            "idNumber must be 5 to 32 letters and digits (hyphens or spaces allowed between them), e.g. 11010119900101100X");
        if (CredentialRules.CheckPhone(input.Phone?.Trim(), "phone (the phone reserved with the bank)") is { } badPhone)
        {
            throw WalletException.Invalid(badPhone);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var binding = new BindingRecord("b_" + Guid.NewGuid().ToString("N"), userId, null, BindingStatus.Starting, pan![^4..], null, null, null, now);
        await cards.InsertBindingAsync(binding, ct);

        StartBindingReply reply;
        try
        {
            reply = await issuer.OpenSession().StartBindingAsync(
                new StartBindingRequest
                {
                    Pan = pan,
                    Expiry = input.Expiry,
                    Cvv = input.Cvv,
                    HolderName = input.HolderName!.Trim(),
                    IdNumber = input.IdNumber!.Trim(),
                    Phone = input.Phone!.Trim(),
                    IdempotencyKey = IssuerKeys.StartBinding(binding.Id),
                },
                ct);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            await FailAsync(binding.Id, error, ct);
            throw new WalletException(error);
        }

        if (reply.ResponseCode != "00")
        {
            var error = IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node);
            await FailAsync(binding.Id, error, ct);
            throw new WalletException(error);
        }

        await cards.UpdateBindingAsync(binding.Id, BindingStatus.OtpSent, reply.BindingId, reply.MaskedPhone, null, null, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        metrics.Binding("otp_sent");
        return (binding with { Status = BindingStatus.OtpSent, IssuerBindingId = reply.BindingId, MaskedPhone = reply.MaskedPhone }, reply.OtpTtlSeconds);
    }

    public async Task<CardRecord> ConfirmAsync(string userId, string bindingId, string? otp, CancellationToken ct)
    {
        Require(otp is not null && OtpPattern().IsMatch(otp), "otp must be the 4 to 8 digit code from the SMS");
        var binding = await GetOwnedAsync(userId, bindingId, ct);
        if (binding.Status == BindingStatus.Confirmed && binding.CardId is not null)
        {
            // A client retrying a confirm whose reply it lost gets the card, not an error.
            var bound = await cards.GetCardAsync(userId, binding.CardId, ct);
            if (bound is not null)
            {
                return bound;
            }
        }

        RequirePending(binding);
        ConfirmBindingReply reply;
        try
        {
            reply = await issuer.OpenSession().ConfirmBindingAsync(
                new ConfirmBindingRequest { BindingId = binding.IssuerBindingId, Otp = otp, IdempotencyKey = IssuerKeys.ConfirmBinding(binding.Id, otp!) },
                ct);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            metrics.Binding(error.Code);
            throw new WalletException(error);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (reply.ResponseCode != "00")
        {
            var error = IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node);
            if (error.Code == ErrorCodes.OtpWrong)
            {
                error = error with { AttemptsLeft = reply.AttemptsLeft, Message = $"The SMS code is wrong; {reply.AttemptsLeft} attempt(s) left." };
            }
            else if (error.Code == ErrorCodes.BindingNotFound)
            {
                // Expired or exhausted codes leave the binding alive: a resend issues a fresh code.
                await cards.UpdateBindingAsync(binding.Id, BindingStatus.Failed, null, null, null, error.Code, now, ct);
            }

            metrics.Binding(error.Code);
            throw new WalletException(error);
        }

        // Concurrent confirms of one binding all reach here (the issuer replays the token): one card, stored once.
        var card = await cards.InsertCardOnceAsync(
            new CardRecord("c_" + Guid.NewGuid().ToString("N"), userId, reply.CardToken,
                string.IsNullOrEmpty(reply.Last4) ? binding.Last4 : reply.Last4, string.IsNullOrEmpty(reply.Network) ? "unknown" : reply.Network, now),
            binding.Id, ct);
        await cards.UpdateBindingAsync(binding.Id, BindingStatus.Confirmed, null, null, card.Id, null, now, ct);
        metrics.Binding("confirmed");
        return card;
    }

    public async Task<ResendOtpReply> ResendAsync(string userId, string bindingId, CancellationToken ct)
    {
        if (_resendNotWired)
        {
            throw new WalletException(new WalletError(501, ErrorCodes.ResendNotSupported, "Sending the SMS code again is not supported."));
        }

        var binding = await GetOwnedAsync(userId, bindingId, ct);
        RequirePending(binding);
        ResendOtpReply reply;
        try
        {
            reply = await issuer.OpenSession().ResendOtpAsync(new ResendOtpRequest { BindingId = binding.IssuerBindingId }, ct);
        }
        catch (Exception e) when (IssuerErrorMapper.FromException(e) is { } error)
        {
            throw new WalletException(error);
        }

        if (reply.ResponseCode != "00")
        {
            var error = IssuerErrorMapper.FromDecline(reply.ResponseCode, reply.DeclineReason, reply.Message, reply.Node);
            throw new WalletException(reply.RetryAfterMs > 0 ? error with { RetryAfterMs = reply.RetryAfterMs } : error);
        }

        metrics.Binding("otp_resent");
        return reply;
    }

    private async Task<BindingRecord> GetOwnedAsync(string userId, string bindingId, CancellationToken ct)
    {
        var binding = await cards.GetBindingAsync(bindingId, ct);
        return binding is not null && binding.UserId == userId
            ? binding
            : throw new WalletException(new WalletError(404, ErrorCodes.BindingNotFound, $"No binding {Echo.Quoted(bindingId)} for this user."));
    }

    private static void RequirePending(BindingRecord binding)
    {
        if (binding.Status != BindingStatus.OtpSent || binding.IssuerBindingId is null)
        {
            throw new WalletException(new WalletError(409, ErrorCodes.BindingNotPending,
                $"Binding '{binding.Id}' is {binding.Status}{(binding.ErrorCode is null ? string.Empty : " (" + binding.ErrorCode + ")")}; start a new binding."));
        }
    }

    private async Task FailAsync(string bindingId, WalletError error, CancellationToken ct)
    {
        metrics.Binding(error.Code);
        await cards.UpdateBindingAsync(bindingId, BindingStatus.Failed, null, null, null, error.Code, time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
    }

    private static bool PassesLuhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? d : d * 2 > 9 ? (d * 2) - 9 : d * 2;
        }

        return sum % 10 == 0;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw WalletException.Invalid(message);
        }
    }
}
