using PaySim.Wallet.Errors;
using PaySim.Wallet.Hosting;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Accounts;

/// <summary>Registration, login, bearer sessions and the payment PIN with its lockout.</summary>
internal sealed class AccountService(UserStore users, SessionStore sessions, WalletOptions options)
{
    private readonly TimeProvider _time = options.TimeProvider;

    public async Task<(UserRecord User, string Token, DateTimeOffset ExpiresAt)> RegisterAsync(string? phone, string? password, string? pin, string? name, CancellationToken ct)
    {
        phone = phone?.Trim();
        var problems = new[]
        {
            (ErrorCodes.InvalidRequest, CredentialRules.CheckPhone(phone)),
            (ErrorCodes.WeakPassword, CredentialRules.CheckPassword(password, phone, options.PasswordMinLength)),
            (ErrorCodes.WeakPin, CredentialRules.CheckPin(pin)),
        };
        foreach (var (code, problem) in problems)
        {
            if (problem is not null)
            {
                throw new WalletException(new WalletError(422, code, problem));
            }
        }

        if (name is { Length: > 100 })
        {
            throw WalletException.Invalid("name must have at most 100 characters");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var user = new UserRecord("u_" + Guid.NewGuid().ToString("N"), phone!, name, SecretHasher.Hash(password!, options.PasswordHashIterations),
            SecretHasher.Hash(pin!, options.PinHashIterations), 0, 0, now);
        if (!await users.TryInsertAsync(user, ct))
        {
            throw new WalletException(new WalletError(409, ErrorCodes.PhoneTaken, "A user with this phone is already registered; log in with POST /sessions."));
        }

        var (token, expiresAt) = await OpenSessionAsync(user.Id, ct);
        return (user, token, expiresAt);
    }

    public async Task<(UserRecord User, string Token, DateTimeOffset ExpiresAt)> LoginAsync(string? phone, string? password, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(phone) ? null : await users.FindByPhoneAsync(phone.Trim(), ct);
        // The same answer for an unknown phone and a wrong password, so the API does not reveal who is registered.
        if (user is null || password is null || !SecretHasher.Verify(password, user.PasswordHash))
        {
            throw new WalletException(new WalletError(401, ErrorCodes.Unauthorized, "Phone or password is wrong."));
        }

        var (token, expiresAt) = await OpenSessionAsync(user.Id, ct);
        return (user, token, expiresAt);
    }

    /// <summary>The user id of a bearer token, or 401.</summary>
    public async Task<string> AuthenticateAsync(string? authorizationHeader, CancellationToken ct)
    {
        const string Prefix = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new WalletException(new WalletError(401, ErrorCodes.Unauthorized, "Send 'Authorization: Bearer <token>' (from POST /users or POST /sessions)."));
        }

        var token = authorizationHeader[Prefix.Length..].Trim();
        var userId = token.Length == 0 ? null : await sessions.FindUserAsync(SessionToken.Hash(token), _time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        return userId ?? throw new WalletException(new WalletError(401, ErrorCodes.Unauthorized, "The session token is unknown or expired; log in again."));
    }

    /// <summary>
    /// Checks the payment PIN. Wrong PINs count across instances (the count lives in the database); the
    /// <see cref="WalletOptions.PinMaxAttempts"/>th wrong one in a row locks payments for <see cref="WalletOptions.PinLockout"/>.
    /// </summary>
    public async Task VerifyPinAsync(string userId, string? pin, CancellationToken ct)
    {
        var user = await users.GetAsync(userId, ct) ?? throw new WalletException(new WalletError(401, ErrorCodes.Unauthorized, "The user no longer exists."));
        var now = _time.GetUtcNow();
        if (user.PinLockedUntilMs > now.ToUnixTimeMilliseconds())
        {
            throw Locked(user.PinLockedUntilMs - now.ToUnixTimeMilliseconds());
        }

        if (pin is null || !SecretHasher.Verify(pin, user.PinHash))
        {
            var lockUntil = (now + options.PinLockout).ToUnixTimeMilliseconds();
            var (failures, lockedUntil) = await users.RecordPinFailureAsync(userId, options.PinMaxAttempts, lockUntil, ct);
            if (lockedUntil > now.ToUnixTimeMilliseconds())
            {
                throw Locked(lockedUntil - now.ToUnixTimeMilliseconds());
            }

            var left = options.PinMaxAttempts - failures;
            throw new WalletException(new WalletError(403, ErrorCodes.PinWrong, $"The payment PIN is wrong; {left} attempt(s) left before payments are locked.")
            {
                AttemptsLeft = left,
            });
        }

        if (user.PinFailures != 0)
        {
            await users.ResetPinFailuresAsync(userId, ct);
        }
    }

    private static WalletException Locked(long retryAfterMs) =>
        new(new WalletError(423, ErrorCodes.PinLocked, $"Too many wrong PINs: payments are locked for another {Math.Ceiling(retryAfterMs / 1000.0)} s.")
        {
            RetryAfterMs = retryAfterMs,
        });

    private async Task<(string Token, DateTimeOffset ExpiresAt)> OpenSessionAsync(string userId, CancellationToken ct)
    {
        var token = SessionToken.Create();
        var now = _time.GetUtcNow();
        var expiresAt = now + options.SessionLifetime;
        await sessions.InsertAsync(SessionToken.Hash(token), userId, now.ToUnixTimeMilliseconds(), expiresAt.ToUnixTimeMilliseconds(), ct);
        return (token, expiresAt);
    }
}
