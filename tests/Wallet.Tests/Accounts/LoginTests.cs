using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Accounts;

/// <summary>POST /sessions against guessing: a lock per phone like the PIN's, a rate per client address, and no timing tell.</summary>
public sealed class LoginTests : IDisposable
{
    private const string Phone = "13812345678";
    private const string Password = "passw0rd";
    private const string Client = "10.0.0.1";
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Login_FiveWrongPasswords_LockThePhoneEvenForTheRightOneUntilTheLockoutEnds()
    {
        var accounts = await StartAsync();
        var left = new List<int?>();
        for (var i = 0; i < 4; i++)
        {
            left.Add((await WrongAsync(accounts, Phone)).AttemptsLeft);
        }

        var fifth = await WrongAsync(accounts, Phone);
        _time.Advance(TimeSpan.FromMinutes(14));
        var rightButLocked = await Assert.ThrowsAsync<WalletException>(() => accounts.LoginAsync(Phone, Password, Client, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(1));
        var (user, _, _) = await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);

        Assert.Equal([4, 3, 2, 1], left);
        Assert.Equal((423, ErrorCodes.LoginLocked, (long?)TimeSpan.FromMinutes(15).TotalMilliseconds), (fifth.Status, fifth.Code, fifth.RetryAfterMs));
        Assert.Equal((423, ErrorCodes.LoginLocked, (long?)TimeSpan.FromMinutes(1).TotalMilliseconds), (rightButLocked.Error.Status, rightButLocked.Error.Code, rightButLocked.Error.RetryAfterMs));
        Assert.Equal(Phone, user.Phone);
    }

    [Fact]
    public async Task Login_UnknownPhone_CountsDownAndLocksExactlyLikeARegisteredOne()
    {
        var accounts = await StartAsync();
        var known = new List<WalletError>();
        var unknown = new List<WalletError>();
        for (var i = 0; i < 6; i++)
        {
            known.Add(await WrongAsync(accounts, Phone));
            unknown.Add(await WrongAsync(accounts, "13900000000"));
        }

        Assert.Equal(known, unknown);
        Assert.Equal([401, 401, 401, 401, 423, 423], known.Select(e => e.Status));
    }

    [Fact]
    public async Task Login_MalformedPhoneOrMissingPassword_Is422NamingTheFieldAndCountsNoAttempt()
    {
        var accounts = await StartAsync();
        var refused = new List<WalletError>();
        foreach (var (phone, password) in new (string?, string?)[] { (Phone, null), (Phone, ""), ("abc", Password), (null, Password), ("12345", Password), (Phone + "0000000", Password) })
        {
            refused.Add((await Assert.ThrowsAsync<WalletException>(() => accounts.LoginAsync(phone, password, Client, CancellationToken.None))).Error);
        }

        Assert.All(refused, e => Assert.Equal((422, ErrorCodes.InvalidRequest, (int?)null), (e.Status, e.Code, e.AttemptsLeft)));
        Assert.Equal(["password is required", "password is required"], refused.Take(2).Select(e => e.Message));
        Assert.All(refused.Skip(2), e => Assert.StartsWith("phone must be 6 to 15 digits", e.Message, StringComparison.Ordinal));
        Assert.Equal(4, (await WrongAsync(accounts, Phone)).AttemptsLeft);
        await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);
    }

    [Fact]
    public async Task Login_RightPassword_ForgetsTheWrongOnes()
    {
        var accounts = await StartAsync();
        for (var i = 0; i < 4; i++)
        {
            await WrongAsync(accounts, Phone);
        }

        await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);

        Assert.Equal(4, (await WrongAsync(accounts, Phone)).AttemptsLeft);
    }

    [Fact]
    public async Task Login_MoreThanTheRatePerMinuteFromOneAddress_Gets429UntilTheNextMinute()
    {
        var accounts = await StartAsync(o => o.LoginRatePerMinute = 3);
        for (var i = 0; i < 3; i++)
        {
            await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        var limited = await Assert.ThrowsAsync<WalletException>(() => accounts.LoginAsync(Phone, Password, Client, CancellationToken.None));
        await accounts.LoginAsync(Phone, Password, "10.0.0.2", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(40));
        await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);

        Assert.Equal((429, ErrorCodes.TooManyRequests, (long?)40_000), (limited.Error.Status, limited.Error.Code, limited.Error.RetryAfterMs));
    }

    [Fact]
    public async Task Login_RateZero_TurnsTheLimitOff()
    {
        var accounts = await StartAsync(o => o.LoginRatePerMinute = 0);

        for (var i = 0; i < 100; i++)
        {
            await accounts.LoginAsync(Phone, Password, Client, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Login_UnknownPhone_TakesAsLongAsARegisteredOne()
    {
        // Real hashing work, real clock: the unknown phone used to skip PBKDF2 and answer ~40 times faster.
        var accounts = await StartAsync(o =>
        {
            o.TimeProvider = TimeProvider.System;
            o.PasswordHashIterations = WalletDefaults.PasswordHashIterations;
            o.LoginMaxAttempts = 100;
        });
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            known.Add(await TimeWrongAsync(accounts, Phone));
            unknown.Add(await TimeWrongAsync(accounts, "13900000000"));
        }

        var ratio = Median(unknown) / Median(known);
        Assert.True(ratio > 0.4, $"unknown phone median {Median(unknown):F1} ms, registered {Median(known):F1} ms (ratio {ratio:F2})");
    }

    [Fact]
    public async Task Register_HashesThePinWithAsMuchWorkAsThePassword()
    {
        var database = new WalletDatabase(_db.Path);
        await database.InitializeAsync(CancellationToken.None);
        var users = new UserStore(database);
        var accounts = new AccountService(users, new SessionStore(database), new LoginAttemptStore(database), new WalletOptions());

        var (user, _, _) = await accounts.RegisterAsync(Phone, Password, "246810", null, CancellationToken.None);
        var stored = await users.GetAsync(user.Id, CancellationToken.None);

        Assert.Equal(WalletDefaults.PasswordHashIterations, Iterations(stored!.PasswordHash));
        Assert.Equal(WalletDefaults.PasswordHashIterations, Iterations(stored.PinHash));
    }

    private static int Iterations(string hash) => int.Parse(hash.Split('$')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task<WalletError> WrongAsync(AccountService accounts, string phone) =>
        (await Assert.ThrowsAsync<WalletException>(() => accounts.LoginAsync(phone, "wrong-passw0rd", Client, CancellationToken.None))).Error;

    private static async Task<double> TimeWrongAsync(AccountService accounts, string phone)
    {
        var clock = Stopwatch.StartNew();
        await WrongAsync(accounts, phone);
        return clock.Elapsed.TotalMilliseconds;
    }

    private async Task<AccountService> StartAsync(Action<WalletOptions>? change = null)
    {
        var database = new WalletDatabase(_db.Path);
        await database.InitializeAsync(CancellationToken.None);
        var options = new WalletOptions { TimeProvider = _time, PasswordHashIterations = 1_000, PinHashIterations = 1_000 };
        change?.Invoke(options);
        var accounts = new AccountService(new UserStore(database), new SessionStore(database), new LoginAttemptStore(database), options);
        await accounts.RegisterAsync(Phone, Password, "246810", null, CancellationToken.None);
        return accounts;
    }
}
