using Microsoft.Extensions.Time.Testing;
using PaySim.Wallet.Accounts;
using PaySim.Wallet.Configuration;
using PaySim.Wallet.Errors;
using PaySim.Wallet.Storage;
using PaySim.Wallet.Tests.Support;

namespace PaySim.Wallet.Tests.Accounts;

public sealed class PinLockoutTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
    private AccountService _accounts = null!;
    private string _userId = null!;

    public async Task InitializeAsync()
    {
        var database = new WalletDatabase(_db.Path);
        await database.InitializeAsync(CancellationToken.None);
        var options = new WalletOptions { TimeProvider = _time, PasswordHashIterations = 1_000, PinHashIterations = 1_000, PinLockout = TimeSpan.FromMinutes(15) };
        _accounts = new AccountService(new UserStore(database), new SessionStore(database), new LoginAttemptStore(database), options);
        var (user, _, _) = await _accounts.RegisterAsync("13812345678", "passw0rd", "246810", null, CancellationToken.None);
        _userId = user.Id;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task VerifyPin_FourWrongPins_CountDownAttemptsLeft()
    {
        var left = new List<int?>();
        for (var i = 0; i < 4; i++)
        {
            var e = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
            Assert.Equal(ErrorCodes.PinWrong, e.Error.Code);
            Assert.Equal(403, e.Error.Status);
            left.Add(e.Error.AttemptsLeft);
        }

        Assert.Equal([4, 3, 2, 1], left);
        await _accounts.VerifyPinAsync(_userId, "246810", CancellationToken.None);
    }

    [Fact]
    public async Task VerifyPin_FifthWrongPin_LocksEvenTheRightPinForTheLockoutTime()
    {
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        }

        var fifth = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        Assert.Equal(ErrorCodes.PinLocked, fifth.Error.Code);
        Assert.Equal(423, fifth.Error.Status);
        Assert.Equal((long)TimeSpan.FromMinutes(15).TotalMilliseconds, fifth.Error.RetryAfterMs);

        _time.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "246810", CancellationToken.None));
        Assert.Equal(ErrorCodes.PinLocked, stillLocked.Error.Code);
        Assert.Equal((long)TimeSpan.FromMinutes(1).TotalMilliseconds, stillLocked.Error.RetryAfterMs);

        _time.Advance(TimeSpan.FromMinutes(1));
        await _accounts.VerifyPinAsync(_userId, "246810", CancellationToken.None);
    }

    [Fact]
    public async Task VerifyPin_AfterTheLockExpires_GivesAFreshSetOfAttempts()
    {
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        }

        _time.Advance(TimeSpan.FromMinutes(15));
        var e = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        Assert.Equal(ErrorCodes.PinWrong, e.Error.Code);
        Assert.Equal(4, e.Error.AttemptsLeft);
    }

    [Fact]
    public async Task VerifyPin_RightPin_ResetsTheWrongPinCount()
    {
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        }

        await _accounts.VerifyPinAsync(_userId, "246810", CancellationToken.None);
        var e = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        Assert.Equal(4, e.Error.AttemptsLeft);
    }

    [Theory]
    [InlineData("2406")]
    [InlineData("")]
    [InlineData("2406131")]
    [InlineData("24061a")]
    [InlineData("２４０６１３")]
    [InlineData(null)]
    public async Task VerifyPin_NotSixDigits_Is422NamingPinAndUsesNoAttempt(string? pin)
    {
        for (var i = 0; i < 6; i++)
        {
            var e = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, pin, CancellationToken.None));
            Assert.Equal((422, ErrorCodes.InvalidRequest, (int?)null), (e.Error.Status, e.Error.Code, e.Error.AttemptsLeft));
            Assert.StartsWith("pin must be the 6-digit payment PIN", e.Error.Message, StringComparison.Ordinal);
        }

        var wrong = await Assert.ThrowsAsync<WalletException>(() => _accounts.VerifyPinAsync(_userId, "000001", CancellationToken.None));
        Assert.Equal((ErrorCodes.PinWrong, (int?)4), (wrong.Error.Code, wrong.Error.AttemptsLeft));
    }

    [Fact]
    public async Task Authenticate_ExpiredSession_IsUnauthorized()
    {
        var (_, token, _) = await _accounts.LoginAsync("13812345678", "passw0rd", "10.0.0.1", CancellationToken.None);
        Assert.Equal(_userId, await _accounts.AuthenticateAsync("Bearer " + token, CancellationToken.None));

        _time.Advance(TimeSpan.FromHours(24));
        var e = await Assert.ThrowsAsync<WalletException>(() => _accounts.AuthenticateAsync("Bearer " + token, CancellationToken.None));
        Assert.Equal(ErrorCodes.Unauthorized, e.Error.Code);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownPhone_GiveTheSameAnswer()
    {
        var wrong = await Assert.ThrowsAsync<WalletException>(() => _accounts.LoginAsync("13812345678", "passw0rd2", "10.0.0.1", CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<WalletException>(() => _accounts.LoginAsync("13900000000", "passw0rd", "10.0.0.1", CancellationToken.None));

        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal(401, wrong.Error.Status);
    }
}
