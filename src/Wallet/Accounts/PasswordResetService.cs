using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Sms;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Accounts;

/// <summary>
/// Password reset by SMS code (docs/wallet.md, "Password reset"). A registered phone and an unknown one get the same
/// answer after the same work: a code is drawn, hashed and stored for either; only a registered phone is sent it, and the
/// text goes out after the reply, so neither the answer nor its timing tells who is registered.
/// </summary>
internal sealed class PasswordResetService(UserStore users, PasswordResetStore resets, SmsSender sms, WalletOptions options, ILogger logger)
{
    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>Starts a reset; returns how long the code is good for.</summary>
    public async Task<TimeSpan> StartAsync(string? phone, CancellationToken ct)
    {
        phone = phone?.Trim();
        if (CredentialRules.CheckPhone(phone) is { } problem)
        {
            throw new WalletException(new WalletError(422, ErrorCodes.InvalidRequest, problem));
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var ttl = options.PasswordResetCodeTtl;
        var user = await users.FindByPhoneAsync(phone!, ct);
        await resets.StartAsync(phone!, Hash(phone!, code), (_time.GetUtcNow() + ttl).ToUnixTimeMilliseconds(), ct);
        if (user is not null)
        {
            var text = $"[PaySim Wallet] Your password reset code is {code}. It expires in {Math.Ceiling(ttl.TotalMinutes)} min. If you did not ask for it, ignore this message.";
            _ = SendAsync(phone!, text);
        }

        return ttl;
    }

    /// <summary>Sets the new password if the code is the phone's live one; every session of the user ends.</summary>
    public async Task ConfirmAsync(string? phone, string? code, string? newPassword, CancellationToken ct)
    {
        phone = phone?.Trim();
        if (CredentialRules.CheckPhone(phone) is { } problem)
        {
            throw new WalletException(new WalletError(422, ErrorCodes.InvalidRequest, problem));
        }

        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            throw WalletException.Invalid("code must be the 6-digit code of the SMS");
        }

        if (CredentialRules.CheckPassword(newPassword, phone, options.PasswordMinLength) is { } weak)
        {
            throw new WalletException(new WalletError(422, ErrorCodes.WeakPassword, "newPassword: " + weak));
        }

        var (used, left) = await resets.TryUseAsync(phone!, Hash(phone!, code), _time.GetUtcNow().ToUnixTimeMilliseconds(), options.PasswordResetMaxAttempts, ct);
        if (!used)
        {
            throw new WalletException(new WalletError(400, ErrorCodes.ResetCodeInvalid, left > 0
                ? $"The code is wrong; {left} attempt(s) left."
                : "The code is wrong, expired or used up; ask for a new one with POST /password-resets.")
            {
                AttemptsLeft = left,
            });
        }

        // The hash work happens only for a right code; a phone nobody has could only get here by guessing its code.
        if (!await resets.SetPasswordAsync(phone!, SecretHasher.Hash(newPassword!, options.PasswordHashIterations), ct))
        {
            throw new WalletException(new WalletError(400, ErrorCodes.ResetCodeInvalid, "The code is wrong, expired or used up; ask for a new one with POST /password-resets.")
            {
                AttemptsLeft = 0,
            });
        }
    }

    private static string Hash(string phone, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phone + ":" + code)));

    private async Task SendAsync(string phone, string text)
    {
        try
        {
            var status = await sms.SendAsync(phone, text, "password-reset", CancellationToken.None);
            if (status != "queued")
            {
                logger.LogWarning("Password reset SMS to {Phone} not queued: {Status}", phone, status);
            }
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or ObjectDisposedException or InvalidOperationException)
        {
            logger.LogWarning("Password reset SMS to {Phone} failed: {Error}", phone, e.Message);
        }
    }
}
