using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace PaySim.Wallet.Configuration;

/// <summary>
/// Everything a wallet host can be told. Defaults live in <see cref="WalletDefaults"/>; every field is
/// checked by <see cref="WalletHost.StartAsync"/>, which lists all bad fields at once.
/// </summary>
public sealed class WalletOptions
{
    /// <summary>How many wallet instances (replicas) to start; they share <see cref="DatabasePath"/>.</summary>
    public int Instances { get; set; } = WalletDefaults.Instances;

    /// <summary>Port of the first instance; the others take the next ports. 0 = an ephemeral port for each.</summary>
    public int Port { get; set; } = WalletDefaults.Port;

    public string BindAddress { get; set; } = WalletDefaults.BindAddress;

    public WalletMode Mode { get; set; } = WalletDefaults.Mode;

    /// <summary>The issuer nodes (h2c gRPC endpoints).</summary>
    public IReadOnlyList<Uri> IssuerUris { get; set; } = WalletDefaults.IssuerUris;

    /// <summary>SQLite file; instances of one host share it, as replicas behind a load balancer share a database.</summary>
    public string DatabasePath { get; set; } = WalletDefaults.DatabasePath;

    /// <summary>Resilient mode: <c>round_robin</c>, <c>pick_first</c>, <c>least_requests</c> or <c>power_of_two_choices</c>.</summary>
    public string BalancingPolicy { get; set; } = WalletDefaults.BalancingPolicy;

    /// <summary>Instance names are <c>{prefix}-1</c>, <c>{prefix}-2</c>, …</summary>
    public string InstanceNamePrefix { get; set; } = WalletDefaults.InstanceNamePrefix;

    /// <summary>
    /// The number of the first instance's name: 2 makes a one-instance host <c>{prefix}-2</c>, so a replica can run
    /// in a process of its own (the load tests crash and restart instances as processes) under its usual name.
    /// </summary>
    public int FirstInstanceNumber { get; set; } = 1;

    /// <summary>Clock for sessions, PIN lockout, timestamps, deadlines and resilience timers.</summary>
    [JsonIgnore]
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed of the balancers' random source (power-of-two-choices picks, round-robin start node).</summary>
    public int Seed { get; set; } = WalletDefaults.Seed;

    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    // ---- abuse limits ----
    /// <summary>Largest request body; Kestrel answers 413 as soon as a body (with Content-Length or chunked) goes past it.</summary>
    public int MaxRequestBodyBytes { get; set; } = WalletDefaults.MaxRequestBodyBytes;

    /// <summary>Open connections one instance accepts at a time; further ones are closed at once.</summary>
    public int MaxConnections { get; set; } = WalletDefaults.MaxConnections;

    // ---- accounts ----
    public int PasswordMinLength { get; set; } = WalletDefaults.PasswordMinLength;

    /// <summary>PBKDF2-SHA256 iterations for passwords. Load tests that register many users may lower it.</summary>
    public int PasswordHashIterations { get; set; } = WalletDefaults.PasswordHashIterations;

    /// <summary>PBKDF2-SHA256 iterations for the payment PIN; as many as for passwords by default (a PIN has only 10^6 values).</summary>
    public int PinHashIterations { get; set; } = WalletDefaults.PinHashIterations;

    /// <summary>Wrong PINs in a row that lock payments for <see cref="PinLockout"/>.</summary>
    public int PinMaxAttempts { get; set; } = WalletDefaults.PinMaxAttempts;

    public TimeSpan PinLockout { get; set; } = WalletDefaults.PinLockout;

    /// <summary>Wrong passwords in a row for one phone (registered or not) that lock <c>POST /sessions</c> for it for <see cref="LoginLockout"/>.</summary>
    public int LoginMaxAttempts { get; set; } = WalletDefaults.LoginMaxAttempts;

    public TimeSpan LoginLockout { get; set; } = WalletDefaults.LoginLockout;

    /// <summary><c>POST /sessions</c> calls one client address may make per minute on one instance; 0 turns the limit off.</summary>
    public int LoginRatePerMinute { get; set; } = WalletDefaults.LoginRatePerMinute;

    public TimeSpan SessionLifetime { get; set; } = WalletDefaults.SessionLifetime;

    /// <summary>The simulator's SMS gateway (h2c gRPC, <c>paysim.sms.v1.SmsGateway</c>): password reset codes go out through it.</summary>
    public Uri SmsGatewayUri { get; set; } = WalletDefaults.SmsGatewayUri;

    /// <summary>How long a password reset code is good for.</summary>
    public TimeSpan PasswordResetCodeTtl { get; set; } = WalletDefaults.PasswordResetCodeTtl;

    /// <summary>Wrong codes one reset allows; the next wrong one ends it (ask for a new code).</summary>
    public int PasswordResetMaxAttempts { get; set; } = WalletDefaults.PasswordResetMaxAttempts;

    /// <summary>How long the SMS code of a login from a new device is good for.</summary>
    public TimeSpan DeviceCodeTtl { get; set; } = WalletDefaults.DeviceCodeTtl;

    /// <summary>Wrong codes one new-device challenge allows; the next wrong one ends it (log in again).</summary>
    public int DeviceCodeMaxAttempts { get; set; } = WalletDefaults.DeviceCodeMaxAttempts;

    /// <summary>When true, <c>POST /payments</c> needs the 6-digit payment PIN in the body.</summary>
    public bool RequirePaymentPin { get; set; } = WalletDefaults.RequirePaymentPin;

    // ---- resilient mode ----
    /// <summary>Deadline of one gRPC attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = WalletDefaults.AttemptTimeout;

    /// <summary>Deadline of one issuer operation including all its retries.</summary>
    public TimeSpan CallTimeout { get; set; } = WalletDefaults.CallTimeout;

    public int MaxRetryAttempts { get; set; } = WalletDefaults.MaxRetryAttempts;

    public TimeSpan RetryBaseDelay { get; set; } = WalletDefaults.RetryBaseDelay;

    public TimeSpan RetryMaxDelay { get; set; } = WalletDefaults.RetryMaxDelay;

    /// <summary>Retry budget (gRPC retry-throttling style): tokens start here, a failure costs 1, retries stop below half.</summary>
    public int RetryBudgetMaxTokens { get; set; } = WalletDefaults.RetryBudgetMaxTokens;

    /// <summary>Tokens a successful attempt gives back.</summary>
    public double RetryBudgetTokenRatio { get; set; } = WalletDefaults.RetryBudgetTokenRatio;

    public TimeSpan HealthCheckInterval { get; set; } = WalletDefaults.HealthCheckInterval;

    public TimeSpan HealthCheckTimeout { get; set; } = WalletDefaults.HealthCheckTimeout;

    /// <summary>Service name asked of grpc.health.v1 (empty = the whole server).</summary>
    public string HealthCheckService { get; set; } = WalletDefaults.HealthCheckService;

    /// <summary>Transport failures in a row on one node (least_requests, power_of_two_choices) that eject it.</summary>
    public int OutlierConsecutiveFailures { get; set; } = WalletDefaults.OutlierConsecutiveFailures;

    public TimeSpan OutlierEjectionTime { get; set; } = WalletDefaults.OutlierEjectionTime;

    public TimeSpan ReconnectInitialBackoff { get; set; } = WalletDefaults.ReconnectInitialBackoff;

    public TimeSpan ReconnectMaxBackoff { get; set; } = WalletDefaults.ReconnectMaxBackoff;

    /// <summary>ResendOtp calls made by one <c>POST /cards/bind/{id}/resend</c> when the issuer says RESEND_TOO_SOON.</summary>
    public int ResendMaxAttempts { get; set; } = WalletDefaults.ResendMaxAttempts;

    /// <summary>Longest single wait before a resend; a longer cooldown is returned to the caller as 429.</summary>
    public TimeSpan ResendMaxWait { get; set; } = WalletDefaults.ResendMaxWait;

    /// <summary>
    /// How often each instance (resilient mode) looks for payments and refunds left unsettled longer than the stale
    /// window (2 × <see cref="CallTimeout"/> + <see cref="AttemptTimeout"/>) and settles them with the issuer.
    /// </summary>
    public TimeSpan RecoveryInterval { get; set; } = WalletDefaults.RecoveryInterval;

    // ---- planted defects ----
    /// <summary>
    /// Planted integration mistakes (<see cref="Defects.WalletDefects"/>), on top of resilient mode; empty by default.
    /// They exist so the load tests can prove their verdicts (<c>selftest</c>); never turn one on in a wallet people use.
    /// </summary>
    public IReadOnlyList<string> Defects { get; set; } = [];
}
