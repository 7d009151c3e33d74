using System.Globalization;
using System.Text;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Steps;

namespace PaySim.LoadTests.Running;

/// <summary>
/// Why preparation bound no card, told so the cause shows: the failures by cause, the wallet's first failed reply in
/// full (request and reply, as <see cref="Wallets.WalletReply{T}.Exchange"/> has them) and one line saying what to check.
/// </summary>
internal static class SetupFailure
{
    public const string Lead = "could not bind any card before the run";

    /// <param name="outcomes">Each failed attempt's end, in arrival order: "register invalid_request", "bind sms_timeout".</param>
    /// <param name="failedCalls">The wallet's failed replies during preparation, in arrival order.</param>
    public static string Describe(IReadOnlyCollection<string> outcomes, IReadOnlyCollection<FailedSetupCall> failedCalls, ClientBehaviour client)
    {
        var causes = outcomes.GroupBy(o => o, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ×{g.Count().ToString(CultureInfo.InvariantCulture)}");
        var text = new StringBuilder();
        text.Append(Lead).Append(" (").Append(outcomes.Count.ToString(CultureInfo.InvariantCulture)).Append(" attempts failed: ")
            .AppendJoin(", ", causes).Append(").");
        var first = failedCalls.FirstOrDefault();
        if (first is not null)
        {
            text.Append('\n').Append("The wallet's first failed reply (").Append(first.Step).Append("):");
            if (first.Exchange is { } exchange)
            {
                foreach (var line in exchange.Split('\n'))
                {
                    text.Append("\n  ").Append(line);
                }
            }
            else
            {
                // An adapter's reply: only what it put in the WalletReply is known.
                text.Append("\n  status ").Append(first.Status.ToString(CultureInfo.InvariantCulture))
                    .Append(", code ").Append(first.Code ?? "(none)")
                    .Append(", message ").Append(first.Message ?? "(none)")
                    .Append(", X-Served-By ").Append(first.ServedBy ?? "(none)");
            }
        }

        text.Append('\n').Append("Check: ").Append(Check(first, outcomes.FirstOrDefault(), client));
        return text.ToString();
    }

    /// <summary>What to look at, from the first failed reply (or, when the wallet never failed a call, the first outcome).</summary>
    internal static string Check(FailedSetupCall? first, string? firstOutcome, ClientBehaviour client)
    {
        if (first is null)
        {
            return firstOutcome?.EndsWith("sms_timeout", StringComparison.Ordinal) == true
                ? $"no OTP reached the simulator's SMS inbox for the card's reserved phone within client.smsTimeout ({DurationText.Format(client.SmsTimeout)}): check that the wallet's POST /cards/bind calls the simulator's issuer StartBinding (which sends the SMS) and that --sms-url is the gateway that simulator uses."
                : "the wallet answered every call, yet no card was bound: check the wallet's log.";
        }

        return first.Status switch
        {
            0 when first.Code == "timeout" => $"the wallet gave no reply to {first.Step} within client.timeout ({DurationText.Format(client.Timeout)}): check that it reaches the simulator's issuer nodes (GET /v1/nodes on the control plane) and answers in time.",
            0 => "the wallet could not be reached: check each --wallet-url.",
            400 or 422 => "the wallet refused the request itself: check that it reads the JSON body (the harness sends Content-Type: application/json; charset=utf-8 with a Content-Length, never chunked; docs/your-wallet.md, \"Request framing\") and that its field names are the contract's (camelCase; docs/your-wallet.md, \"The REST contract\").",
            401 or 403 => "the wallet refused the caller: check that it accepts \"Authorization: Bearer <token>\" with the token its POST /users returned (field \"token\").",
            404 or 405 => "the wallet has no such route: check the paths of docs/your-wallet.md under --wallet-url (a base path needs a trailing slash, e.g. http://host/api/).",
            429 when first.Step == StepNames.BindResend => $"the resend was refused as too soon and no SMS came: check the simulator's resend cooldown (resendCooldown in GET /v1/settings, --resend-cooldown) against client.smsTimeout ({DurationText.Format(client.SmsTimeout)}), and that the wallet's StartBinding reaches the issuer (which sends the SMS).",
            402 or 409 => "the issuer or the wallet declined a healthy, funded card: check that the wallet forwards the card as typed (pan, expiry MM/YY, cvv, holderName, idNumber, phone) to StartBinding and the OTP to ConfirmBinding.",
            >= 500 => "the wallet failed: check its log, and that it reaches the simulator's issuer nodes (GET /v1/nodes on the control plane).",
            _ => "check the wallet's log and docs/your-wallet.md, \"The REST contract\".",
        };
    }
}
