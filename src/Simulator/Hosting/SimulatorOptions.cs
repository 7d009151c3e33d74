using System.Net;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Sms;

namespace PaySim.Simulator.Hosting;

/// <summary>Everything that shapes one simulator process. <see cref="Validate"/> lists every bad field at once.</summary>
public sealed class SimulatorOptions
{
    public const int MaxNodes = 32;

    /// <summary>The highest TCP port; 0 asks for an ephemeral one.</summary>
    public const int MaxPort = 65535;
    public const int MaxCardholders = CardholderGenerator.MaxCount;

    /// <summary>Issuer nodes, named issuer-1..issuer-N.</summary>
    public int Nodes { get; set; } = 3;

    /// <summary>Port of issuer-1; the others follow consecutively. 0 = an ephemeral port for every node.</summary>
    public int IssuerPort { get; set; } = 7101;

    /// <summary>SMS gateway (SmsGateway and Inbox services). 0 = ephemeral.</summary>
    public int SmsPort { get; set; } = 7201;

    /// <summary>Control plane JSON over HTTP/1.1. 0 = ephemeral.</summary>
    public int ControlPort { get; set; } = 7000;

    /// <summary>
    /// Control plane gRPC (h2c). Kestrel cannot serve HTTP/1.1 and cleartext HTTP/2 on one port, so
    /// gRPC gets its own; null = ControlPort + 1 (ephemeral when ControlPort is 0).
    /// </summary>
    public int? ControlGrpcPort { get; set; }

    public string BindAddress { get; set; } = "127.0.0.1";

    public int Seed { get; set; } = 42;

    /// <summary>Generated cardholders; the magic cards come on top.</summary>
    public int Cardholders { get; set; } = 1000;

    /// <summary>Share of zh_CN cardholders; the rest are en.</summary>
    public double ZhCnShare { get; set; } = 0.7;

    /// <summary>Relative weights by persona name (healthy, low-balance, expired, blocked, phone-mismatch, id-mismatch, name-mismatch, sms-unreachable, slow-sms).</summary>
    public Dictionary<string, double> PersonaWeights { get; set; } = Personas.DefaultWeights();

    public TimeSpan OtpTtl { get; set; } = OtpOptions.DefaultTtl;

    public int OtpAttempts { get; set; } = OtpOptions.DefaultAttempts;

    /// <summary>
    /// Shortest interval between two OTPs of one binding: a <c>ResendOtp</c> sooner is refused with RESEND_TOO_SOON
    /// and the time left (<c>--resend-cooldown</c>, <c>GET /v1/settings</c> <c>resendCooldownMs</c>).
    /// </summary>
    public TimeSpan ResendCooldown { get; set; } = OtpOptions.DefaultResendCooldown;

    /// <summary>The longest <see cref="ResendCooldown"/> accepted.</summary>
    public static readonly TimeSpan MaxResendCooldown = TimeSpan.FromHours(1);

    /// <summary>How late a slow-sms cardholder's messages arrive.</summary>
    public TimeSpan SlowSmsDelay { get; set; } = SmsGateway.DefaultSlowSmsDelay;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Fault profile applied at boot: a shipped name (issuer-outage, ...) or a path to a JSON file. Null = no faults.</summary>
    public string? FaultProfile { get; set; }

    /// <summary>A risk rules file (JSON, docs/simulator.md "Risk controls") applied at boot (<c>--risk</c>); null = the defaults.</summary>
    public string? RiskFile { get; set; }

    /// <summary>Seed of the fault draws; null = <see cref="Seed"/>.</summary>
    public ulong? FaultSeed { get; set; }

    /// <summary>Honour x-sim-fault, x-sim-delay-ms and x-sim-status request metadata (--no-header-faults turns it off).</summary>
    public bool HeaderFaults { get; set; } = true;

    /// <summary>At most this many calls carry a fault at once; null = no limit.</summary>
    public int? MaxActiveFaults { get; set; }

    /// <summary>Keep the last N calls for GET /v1/journal; 0 = off.</summary>
    public int FaultJournal { get; set; }

    /// <summary>When set, every control call (HTTP and gRPC) needs "Authorization: Bearer &lt;token&gt;".</summary>
    public string? ControlToken { get; set; }

    /// <summary>Where the issuer state lives: "memory" (this process only) or "redis://host:port" (shared by every process of <see cref="StateCluster"/>).</summary>
    public string State { get; set; } = MemoryState;

    /// <summary>Processes on one Redis with the same cluster name act as one issuer; reset clears only their cluster.</summary>
    public string StateCluster { get; set; } = PaySim.Simulator.State.Redis.RedisStateOptions.DefaultCluster;

    /// <summary>
    /// Tells this process apart from the others of its cluster (engine random, SMS message ids); null = a
    /// random id per process. Used only with Redis state, so memory mode stays reproducible from --seed.
    /// </summary>
    public string? InstanceId { get; set; }

    public const string MemoryState = "memory";

    internal bool UsesRedis => !string.Equals(State, MemoryState, StringComparison.OrdinalIgnoreCase);

    internal int EffectiveControlGrpcPort => ControlGrpcPort ?? (ControlPort == 0 ? 0 : ControlPort + 1);

    /// <summary>
    /// Every problem, one line each naming the field and what is allowed; empty when valid. A field the serve
    /// command sets is named by its flag (<c>--control-port:</c>), the others by their property.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var nodesValid = Nodes is >= 1 and <= MaxNodes;
        if (!nodesValid)
        {
            errors.Add($"--nodes: must be 1..{MaxNodes} (was {Nodes})");
        }

        // Checks derived from other values (issuer-port + nodes, port clashes) run only on valid bases: a refused
        // value would give contradictory extra errors ("port 7651 is used twice (issuer-11, …)" for --nodes 33).
        var portsValid = CheckPort(errors, "--issuer-port", IssuerPort, MaxPort, "0 = ephemeral");
        if (portsValid && nodesValid && IssuerPort > 0 && IssuerPort + Nodes - 1 > MaxPort)
        {
            errors.Add($"--issuer-port: {IssuerPort} + {Nodes} nodes runs past port {MaxPort}; allowed 0..{MaxPort + 1 - Nodes}");
        }

        portsValid &= CheckPort(errors, "--sms-port", SmsPort, MaxPort, "0 = ephemeral");
        portsValid &= ControlGrpcPort is { } grpcPort
            ? CheckPort(errors, "--control-port", ControlPort, MaxPort, "0 = ephemeral") & CheckPort(errors, nameof(ControlGrpcPort), grpcPort, MaxPort, "0 = ephemeral")
            : CheckPort(errors, "--control-port", ControlPort, MaxPort - 1, "0 = ephemeral; its gRPC port is this + 1");

        var fixedPorts = new List<(string Name, int Port)>();
        if (IssuerPort > 0)
        {
            for (var i = 0; i < Nodes; i++)
            {
                fixedPorts.Add(($"issuer-{i + 1}", IssuerPort + i));
            }
        }

        fixedPorts.Add(("--sms-port", SmsPort));
        fixedPorts.Add(("--control-port", ControlPort));
        fixedPorts.Add((ControlGrpcPort is null ? "control gRPC (--control-port + 1)" : nameof(ControlGrpcPort), EffectiveControlGrpcPort));
        foreach (var clash in fixedPorts.Where(p => p.Port > 0 && portsValid && nodesValid).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            errors.Add($"port {clash.Key} is used twice ({string.Join(", ", clash.Select(c => c.Name))}); every port must differ");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"--bind: must be an IP address such as 127.0.0.1 or 0.0.0.0 (was '{BindAddress}')");
        }

        if (Cardholders is < 0 or > MaxCardholders)
        {
            errors.Add($"--cardholders: must be 0..{MaxCardholders} (was {Cardholders})");
        }

        if (double.IsNaN(ZhCnShare) || ZhCnShare is < 0 or > 1)
        {
            errors.Add($"ZhCnShare must be 0..1 (was {ZhCnShare})");
        }

        if (PersonaWeights is null || PersonaWeights.Count == 0)
        {
            errors.Add($"PersonaWeights must name at least one persona of: {string.Join(", ", Personas.Generated.Select(Personas.Name))}");
        }
        else
        {
            foreach (var (name, weight) in PersonaWeights)
            {
                if (!Personas.TryParse(name, out var p) || p == Persona.Magic)
                {
                    errors.Add($"PersonaWeights has unknown persona '{name}'; allowed: {string.Join(", ", Personas.Generated.Select(Personas.Name))}");
                }
                else if (double.IsNaN(weight) || weight < 0)
                {
                    errors.Add($"PersonaWeights['{name}'] must be >= 0 (was {weight})");
                }
            }

            if (PersonaWeights.Values.Where(w => w > 0).Sum() <= 0)
            {
                errors.Add("PersonaWeights must add up to more than 0");
            }
        }

        if (OtpTtl <= TimeSpan.Zero)
        {
            errors.Add($"OtpTtl must be > 0 (was {OtpTtl})");
        }

        if (OtpAttempts is < 1 or > 100)
        {
            errors.Add($"OtpAttempts must be 1..100 (was {OtpAttempts})");
        }

        if (ResendCooldown < TimeSpan.Zero || ResendCooldown > MaxResendCooldown)
        {
            errors.Add($"--resend-cooldown: must be 0..1h (was {ResendCooldown})");
        }

        if (SlowSmsDelay < TimeSpan.Zero)
        {
            errors.Add($"SlowSmsDelay must be >= 0 (was {SlowSmsDelay})");
        }

        if (TimeProvider is null)
        {
            errors.Add("TimeProvider must be set (TimeProvider.System by default)");
        }

        if (MaxActiveFaults is < 1 or > Faults.FaultDefaults.MaxActiveFaults)
        {
            errors.Add($"--max-active-faults: must be 1..{Faults.FaultDefaults.MaxActiveFaults}, or left out for no limit (was {MaxActiveFaults})");
        }

        if (RiskFile is { } risk && string.IsNullOrWhiteSpace(risk))
        {
            errors.Add("--risk: a file name is required; give a risk rules .json file");
        }

        if (FaultJournal is < 0 or > Faults.FaultDefaults.MaxJournalCapacity)
        {
            errors.Add($"--fault-journal: must be 0..{Faults.FaultDefaults.MaxJournalCapacity}, 0 = off (was {FaultJournal})");
        }

        if (UsesRedis && !PaySim.Simulator.State.Redis.RedisStateOptions.TryParse(State, out _, out var stateError))
        {
            errors.Add(stateError);
        }

        if (!PaySim.Simulator.State.Redis.RedisStateOptions.IsValidCluster(StateCluster))
        {
            errors.Add($"--state-cluster '{StateCluster}' is not valid; allowed: 1-64 of A-Z a-z 0-9 _ -");
        }

        if (ControlToken is { } token && (token.Length == 0 || token.Any(char.IsWhiteSpace)))
        {
            errors.Add("--control-token: must be non-empty and without spaces");
        }

        return errors;
    }

    private static bool CheckPort(List<string> errors, string name, int port, int max, string note)
    {
        if (port < 0 || port > max)
        {
            errors.Add($"{name}: must be 0..{max}, {note} (was {port})");
            return false;
        }

        return true;
    }
}
