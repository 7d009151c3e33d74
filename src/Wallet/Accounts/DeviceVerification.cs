using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Sms;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Accounts;

/// <summary>
/// Login from a new device (docs/wallet.md, "New devices"): the right password from an <c>X-Device-Id</c> the user has not
/// used gets an SMS challenge instead of a session; <c>POST /sessions/verify</c> with the code opens the session and trusts
/// the device. Registering trusts the device it came from; no header is the device <c>""</c>, so a client that never sends
/// the header keeps logging in as it always did.
/// </summary>
internal sealed class DeviceVerification(DeviceStore devices, SmsSender sms, WalletOptions options)
{
    public const string Header = "X-Device-Id";
    public const int MaxDeviceIdLength = 128;
    private readonly TimeProvider _time = options.TimeProvider;

    /// <summary>The device id of a request: the header's value, or <c>""</c> without one; 400 naming the header when it is malformed.</summary>
    public static string DeviceId(string? header)
    {
        var id = header?.Trim() ?? string.Empty;
        return id.Length <= MaxDeviceIdLength && id.All(c => c is > ' ' and <= '~')
            ? id
            : throw new WalletException(new WalletError(400, ErrorCodes.InvalidRequest, $"{Header} must be at most {MaxDeviceIdLength} printable ASCII characters without spaces"));
    }

    public Task<bool> IsTrustedAsync(string userId, string deviceId, CancellationToken ct) => devices.IsTrustedAsync(userId, deviceId, ct);

    public Task TrustAsync(string userId, string deviceId, CancellationToken ct) => devices.TrustAsync(userId, deviceId, _time.GetUtcNow().ToUnixTimeMilliseconds(), ct);

    /// <summary>Starts a challenge and texts its code to the user's phone; 503 <c>sms_unavailable</c> when the gateway cannot be reached.</summary>
    public async Task<(string ChallengeId, TimeSpan Ttl)> ChallengeAsync(UserRecord user, string deviceId, CancellationToken ct)
    {
        var id = "dc_" + Guid.NewGuid().ToString("N");
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var ttl = options.DeviceCodeTtl;
        await devices.StartChallengeAsync(id, user.Id, deviceId, Hash(id, code), (_time.GetUtcNow() + ttl).ToUnixTimeMilliseconds(), ct);
        try
        {
            await sms.SendAsync(user.Phone, $"[PaySim Wallet] Your login code for a new device is {code}. It expires in {Math.Ceiling(ttl.TotalMinutes)} min. If this was not you, reset your password.", id, ct);
        }
        catch (RpcException e)
        {
            throw new WalletException(new WalletError(503, ErrorCodes.SmsUnavailable, $"The login code could not be sent ({e.StatusCode}); try again."));
        }

        return (id, ttl);
    }

    /// <summary>The user of a challenge whose code is right (the device is trusted from now on); 400 <c>device_code_invalid</c> otherwise.</summary>
    public async Task<string> VerifyAsync(string? challengeId, string? code, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(challengeId) || challengeId.Length > 64)
        {
            throw WalletException.Invalid("challengeId must be the challengeId of the 202 answer to POST /sessions");
        }

        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            throw WalletException.Invalid("code must be the 6-digit code of the SMS");
        }

        var (userId, deviceId, left) = await devices.TryUseChallengeAsync(challengeId, Hash(challengeId, code), _time.GetUtcNow().ToUnixTimeMilliseconds(), options.DeviceCodeMaxAttempts, ct);
        if (userId is null)
        {
            throw new WalletException(new WalletError(400, ErrorCodes.DeviceCodeInvalid, left > 0
                ? $"The code is wrong; {left} attempt(s) left."
                : "The code is wrong, expired or used up; log in again (POST /sessions) for a new one.")
            {
                AttemptsLeft = left,
            });
        }

        await TrustAsync(userId, deviceId!, ct);
        return userId;
    }

    private static string Hash(string challengeId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(challengeId + ":" + code)));
}
