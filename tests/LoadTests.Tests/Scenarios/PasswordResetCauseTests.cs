using PaySim.LoadTests.Scenarios;
using PaySim.LoadTests.Wallets;

namespace PaySim.LoadTests.Tests.Scenarios;

/// <summary>Why a password reset failed, from the reply of the step it failed at (docs/plans.md, password_reset_failures).</summary>
public sealed class PasswordResetCauseTests
{
    [Fact]
    public void Start_Accepted_IsNoCause_AndARefusalIsTheWalletsCode()
    {
        Assert.Null(PasswordResetCause.OfStart(WalletReply<ResetRequested>.Success(new ResetRequested("code_sent", 300), 202, "wallet-1")));
        Assert.Equal("too_many_requests", PasswordResetCause.OfStart(WalletReply<ResetRequested>.Failure(429, "too_many_requests", "slow down", null)));
        Assert.Equal("internal_error", PasswordResetCause.OfStart(WalletReply<ResetRequested>.Failure(500, "internal_error", null, null)));
        Assert.Equal("timeout", PasswordResetCause.OfStart(WalletReply<ResetRequested>.Failure(0, "timeout", "no reply within 5 s", null)));
    }

    [Fact]
    public void Confirm_WrongOrExpiredCode_IsResetCodeInvalid_AndAWeakPasswordIsItsOwnCause()
    {
        Assert.Null(PasswordResetCause.OfConfirm(WalletReply<PasswordChanged>.Success(new PasswordChanged("password_reset"), 200, null)));
        Assert.Equal(PasswordResetCause.CodeInvalid, PasswordResetCause.OfConfirm(WalletReply<PasswordChanged>.Failure(400, "reset_code_invalid", "The code is wrong; 2 attempt(s) left.", null)));
        Assert.Equal("weak_password", PasswordResetCause.OfConfirm(WalletReply<PasswordChanged>.Failure(422, "weak_password", "newPassword: too short", null)));
        Assert.Equal("connection_failed", PasswordResetCause.OfConfirm(WalletReply<PasswordChanged>.Failure(0, "connection_failed", "refused", null)));
    }

    [Fact]
    public void Login_A401AfterAConfirmedReset_IsTheNewPasswordRefused_AndOtherRefusalsKeepTheirCode()
    {
        var user = new WalletUser("u1", "t2", "13800000001", "258147");
        Assert.Null(PasswordResetCause.OfLogin(WalletReply<WalletUser>.Success(user, 200, null)));
        Assert.Equal(PasswordResetCause.NewPasswordRefused, PasswordResetCause.OfLogin(WalletReply<WalletUser>.Failure(401, "unauthorized", "Phone or password is wrong.", null)));
        Assert.Equal("login_locked", PasswordResetCause.OfLogin(WalletReply<WalletUser>.Failure(423, "login_locked", null, null)));
        Assert.Equal(WalletReply<WalletUser>.DeviceVerificationRequired, PasswordResetCause.OfLogin(WalletReply<WalletUser>.Failure(202, WalletReply<WalletUser>.DeviceVerificationRequired, null, null)));
    }

    [Fact]
    public void OldSession_Refused_IsNoCause_StillWorking_IsOldSessionAlive_AndNoAnswerKeepsItsCode()
    {
        Assert.Null(PasswordResetCause.OfOldSession(WalletReply<int>.Failure(401, "unauthorized", "The session token is unknown or expired; log in again.", null)));
        Assert.Null(PasswordResetCause.OfOldSession(WalletReply<int>.Failure(403, "forbidden", null, null)));
        Assert.Equal(PasswordResetCause.OldSessionAlive, PasswordResetCause.OfOldSession(WalletReply<int>.Success(3, 200, null)));
        Assert.Equal("timeout", PasswordResetCause.OfOldSession(WalletReply<int>.Failure(0, "timeout", null, null)));
    }

    [Fact]
    public void AnAdapterWithoutTheCall_IsCallNotSupported_WhateverItsStep()
    {
        Assert.Equal(WalletReply<ResetRequested>.CallNotSupported, PasswordResetCause.OfStart(WalletReply<ResetRequested>.NotImplementedByClient(WalletReply<ResetRequested>.CallNotSupported, "no reset")));
        Assert.Equal(WalletReply<WalletUser>.CallNotSupported, PasswordResetCause.OfLogin(WalletReply<WalletUser>.NotImplementedByClient(WalletReply<WalletUser>.CallNotSupported, "no login")));
    }
}
