using PaySim.Wallet.Configuration;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Storage;

namespace PaySim.Wallet.Accounts;

/// <summary>Registration, login with its rate limit and lockout, bearer sessions and the payment PIN with its lockout.</summary>
internal sealed class AccountService(UserStore users, SessionStore sessions, LoginAttemptStore loginAttempts, WalletOptions options)
{
    private readonly TimeProvider _time = options.TimeProvider;
    private readonly LoginRateLimiter _loginRate = new(options.LoginRatePerMinute, options.TimeProvider);

    // An unknown phone is checked against this, so it costs the same PBKDF2 work as a registered one and
    // the answer's timing does not tell who is registered.
    private readonly Lazy<string> _dummyPasswordHash = new(() => SecretHasher.Hash(SessionToken.Create(), options.PasswordHashIterations));

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

        if (FreeText.CheckOptional(name, "name", 100) is { } badName)
        {
            throw WalletException.Invalid(badName);
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

    /// <summary>
    /// Logs in. Per client address at most <see cref="WalletOptions.LoginRatePerMinute"/> calls a minute (429);
    /// per phone, registered or not, <see cref="WalletOptions.LoginMaxAttempts"/> wrong passwords in a row lock
    /// it for <see cref="WalletOptions.LoginLockout"/> (423). Unknown phones and wrong passwords get the same
    /// answer after the same hashing work.
    /// </summary>
    public async Task<(UserRecord User, string Token, DateTimeOffset ExpiresAt)> LoginAsync(string? phone, string? password, string client, CancellationToken ct)
    {
        var user = await CheckPasswordAsync(phone, password, client, ct);
        var (token, expiresAt) = await OpenSessionAsync(user.Id, ct);
        return (user, token, expiresAt);
    }

    /// <summary>Everything <see cref="LoginAsync"/> checks (rate, lockout, password), without opening a session.</summary>
    public async Task<UserRecord> CheckPasswordAsync(string? phone, string? password, string client, CancellationToken ct)
    {
        // A body no login can succeed with is a client's bug, not a guess: 422 naming the field, and no attempt counted
        // (five of them would otherwise lock a real user's phone).
        phone = phone?.Trim();
        if (CredentialRules.CheckPhone(phone) is { } badPhone)
        {
            throw WalletException.Invalid(badPhone);
        }

        if (string.IsNullOrEmpty(password))
        {
            throw WalletException.Invalid("password is required");
        }

        if (_loginRate.TryAcquire(client) is { } wait)
        {
            var ms = (long)Math.Ceiling(wait.TotalMilliseconds);
            throw new WalletException(new WalletError(429, ErrorCodes.TooManyRequests, $"Too many login attempts from this address: try again in {Math.Ceiling(ms / 1000.0)} s.")
            {
                RetryAfterMs = ms,
            });
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (await loginAttempts.LockedUntilAsync(phone!, ct) is var until && until > now)
        {
            throw LoginLocked(until - now);
        }

        var user = await users.FindByPhoneAsync(phone!, ct);
        var matches = SecretHasher.Verify(password, user?.PasswordHash ?? _dummyPasswordHash.Value);
        if (user is null || !matches)
        {
            throw await LoginFailedAsync(phone!, ct);
        }

        await loginAttempts.ResetAsync(user.Phone, ct);
        return user;
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
        // No PIN has another shape, so such a value is a client's bug rather than a guess: 422, and no attempt used.
        if (!CredentialRules.IsPinShaped(pin))
        {
            throw WalletException.Invalid("pin must be the 6-digit payment PIN (exactly 6 digits 0-9)");
        }

        var user = await users.GetAsync(userId, ct) ?? throw new WalletException(new WalletError(401, ErrorCodes.Unauthorized, "The user no longer exists."));
        var now = _time.GetUtcNow();
        if (user.PinLockedUntilMs > now.ToUnixTimeMilliseconds())
        {
            throw PinLocked(user.PinLockedUntilMs - now.ToUnixTimeMilliseconds());
        }

        if (!SecretHasher.Verify(pin, user.PinHash))
        {
            var lockUntil = (now + options.PinLockout).ToUnixTimeMilliseconds();
            var (failures, lockedUntil) = await users.RecordPinFailureAsync(userId, options.PinMaxAttempts, lockUntil, ct);
            if (lockedUntil > now.ToUnixTimeMilliseconds())
            {
                throw PinLocked(lockedUntil - now.ToUnixTimeMilliseconds());
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

    // The same answer for an unknown phone and a wrong password, so the API does not reveal who is registered.
    private async Task<WalletException> LoginFailedAsync(string phone, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var (failures, lockedUntil) = await loginAttempts.RecordFailureAsync(phone, options.LoginMaxAttempts, (now + options.LoginLockout).ToUnixTimeMilliseconds(), ct);
        if (lockedUntil > now.ToUnixTimeMilliseconds())
        {
            return LoginLocked(lockedUntil - now.ToUnixTimeMilliseconds());
        }

        var left = options.LoginMaxAttempts - failures;
        return new WalletException(new WalletError(401, ErrorCodes.Unauthorized, $"Phone or password is wrong; {left} attempt(s) left before this phone is locked.")
        {
            AttemptsLeft = left,
        });
    }

    private static WalletException LoginLocked(long retryAfterMs) =>
        new(new WalletError(423, ErrorCodes.LoginLocked, $"Too many wrong passwords for this phone: login is locked for another {Math.Ceiling(retryAfterMs / 1000.0)} s.")
        {
            RetryAfterMs = retryAfterMs,
        });

    private static WalletException PinLocked(long retryAfterMs) =>
        new(new WalletError(423, ErrorCodes.PinLocked, $"Too many wrong PINs: payments are locked for another {Math.Ceiling(retryAfterMs / 1000.0)} s.")
        {
            RetryAfterMs = retryAfterMs,
        });

    public async Task<(string Token, DateTimeOffset ExpiresAt)> OpenSessionAsync(string userId, CancellationToken ct)
    {
        var token = SessionToken.Create();
        var now = _time.GetUtcNow();
        var expiresAt = now + options.SessionLifetime;
        await sessions.InsertAsync(SessionToken.Hash(token), userId, now.ToUnixTimeMilliseconds(), expiresAt.ToUnixTimeMilliseconds(), ct);
        return (token, expiresAt);
    }
}
