using System.Net;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PaySim.Contracts.Control.V1;
using PaySim.Contracts.Durations;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Control;
using PaySim.Simulator.Faults;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Faults.Rules;
using PaySim.Simulator.Faults.Serving;
using PaySim.Simulator.Issuer;
using PaySim.Simulator.Ledger;
using PaySim.Simulator.Nodes;
using PaySim.Simulator.Observability;
using PaySim.Simulator.Randomness;
using PaySim.Simulator.Risk;
using PaySim.Simulator.Services;
using PaySim.Simulator.Sms;
using PaySim.Simulator.State;
using PaySim.Simulator.State.Redis;

namespace PaySim.Simulator.Hosting;

/// <summary>
/// A running simulator: N issuer nodes (each its own Kestrel, h2c), the SMS gateway and the control
/// plane, all in this process and sharing one state.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable, INodeControl
{
    private const string IssuerService = "paysim.issuer.v1.Issuer";

    private readonly List<ServerNode> _issuers;
    private readonly ServerNode _sms;
    private readonly ServerNode _controlHttp;
    private readonly ServerNode _controlGrpc;
    private readonly RedisSharedDocument? _sharedFaults;
    private readonly RedisSharedDocument? _sharedRisk;
    private readonly RedisNodeStates? _sharedNodes;
    private int _disposed;

    private SimulatorHost(SimulatorOptions options, ICardholderRegistry registry, OtpOptions otp, IIssuerState state)
    {
        Options = options;
        var time = options.TimeProvider;
        Registry = registry;
        State = state;
        if (state is RedisIssuerState)
        {
            // Processes of one cluster share bindings and tokens, so their engines must not draw the same
            // binding ids: the cardholders still come from --seed, the engine's draws also from the instance id.
            InstanceId = options.InstanceId ?? Guid.NewGuid().ToString("N")[..8];
            Sms = new SmsGateway(Registry, State.Inbox, time, options.SlowSmsDelay) { IdPrefix = $"sms_{InstanceId}_" };
            Engine = new IssuerEngine(State, Sms, otp, time, new SeededRandom(MixSeed(options.Seed, InstanceId)), Risk);
        }
        else
        {
            InstanceId = options.InstanceId ?? "local";
            Sms = new SmsGateway(Registry, State.Inbox, time, options.SlowSmsDelay);
            Engine = new IssuerEngine(State, Sms, otp, time, new SeededRandom(options.Seed), Risk);
        }

        Pipeline = new CallPipeline(new CallMetrics(Exported.LatencyObserver), time);
        Control = new ControlPlane(State, Sms, Pipeline.Metrics, this);
        ControlToken = new ControlToken(options.ControlToken);
        Faults = CreateFaults(options);
        Control.StatsHooks.Add(Risk.Counters.AddTo);
        Control.ResetHooks.Add(Risk.Reset);
        Control.InvariantsHooks.Add(reply => reply.DeclinedReattempts = Engine.Declined.Reattempts);
        Control.ResetHooks.Add(Engine.Declined.Clear);
        if (state is RedisIssuerState redis)
        {
            _sharedFaults = ShareFaults(redis);
            Risk.Windows = new RedisRiskWindows(redis.Connection, redis.Keys);
            _sharedRisk = ShareRisk(redis);
            _sharedNodes = ShareNodeStates(redis);
        }

        var address = IPAddress.Parse(options.BindAddress);
        _issuers = Enumerable.Range(1, options.Nodes)
            .Select(i => new ServerNode($"issuer-{i}", "issuer", address, options.IssuerPort == 0 ? 0 : options.IssuerPort + i - 1, [IssuerService], BuildIssuerApp))
            .ToList();
        _sms = new ServerNode("sms", "sms", address, options.SmsPort, ["paysim.sms.v1.SmsGateway", "paysim.sms.v1.Inbox"], BuildSmsApp);
        _controlHttp = new ServerNode("control", "control", address, options.ControlPort, [], BuildControlHttpApp);
        _controlGrpc = new ServerNode("control-grpc", "control", address, options.EffectiveControlGrpcPort, ["paysim.control.v1.Control"], BuildControlGrpcApp);
    }

    public SimulatorOptions Options { get; }

    /// <summary>issuer-1..issuer-N with their h2c addresses (ports fixed for the host's lifetime, also across DOWN/UP).</summary>
    public IReadOnlyList<SimulatorNodeInfo> IssuerNodes => _issuers.Select(n => new SimulatorNodeInfo(n.Name, n.Kind, n.Uri)).ToList();

    /// <summary>SMS gateway (SmsGateway and Inbox services), h2c.</summary>
    public Uri SmsUri => _sms.Uri;

    /// <summary>Control plane JSON over HTTP/1.1 (curl).</summary>
    public Uri ControlUri => _controlHttp.Uri;

    /// <summary>The HTTP control plane's routes (pattern and methods), as routing holds them: tests walk every one.</summary>
    internal IReadOnlyList<RouteEndpoint> ControlHttpRoutes =>
        [.. (_controlHttp.Services?.GetRequiredService<EndpointDataSource>().Endpoints ?? []).OfType<RouteEndpoint>()];

    /// <summary>Control plane gRPC (paysim.control.v1.Control), h2c, on its own port.</summary>
    public Uri ControlGrpcUri => _controlGrpc.Uri;

    /// <summary>
    /// Every cardholder on file: the generated ones in index order, then the magic cards, each derived as the
    /// sequence is walked (with 100,000,000 cardholders, take what you need rather than all).
    /// </summary>
    public IEnumerable<Cardholder> Cardholders => Registry.All.Select(CardholderMapper.ToContract);

    /// <summary>How many cardholders <see cref="Cardholders"/> yields.</summary>
    public int CardholderCount => Registry.Count;

    /// <summary>The fixed magic test cards (persona "magic"), one per response code.</summary>
    public IReadOnlyList<Cardholder> MagicCards => PaySim.Simulator.Cardholders.MagicCards.All.Select(CardholderMapper.ToContract).ToList();

    /// <summary>Tells this process apart from the others of its Redis cluster ("local" in memory mode unless set).</summary>
    public string InstanceId { get; }

    internal ICardholderRegistry Registry { get; }
    internal IIssuerState State { get; }
    internal SmsGateway Sms { get; }
    internal IssuerEngine Engine { get; }
    internal CallPipeline Pipeline { get; }

    /// <summary>What GET /metrics exports (prometheus-net); the call path feeds its latency histogram.</summary>
    internal SimulatorMetrics Exported { get; } = new();
    internal ControlPlane Control { get; }
    internal SimulatorFaults Faults { get; }
    internal ControlToken ControlToken { get; }

    /// <summary>The issuer's risk rules and their counters (GET/PUT /v1/risk, GetRisk/SetRisk, --risk).</summary>
    internal RiskControls Risk { get; } = new();

    /// <summary>Replaces the risk rules with a JSON document (docs/simulator.md "Risk controls"); returns them as JSON, every field included.</summary>
    /// <exception cref="ArgumentException">The document is bad; the message names every bad field. The rules in force stay.</exception>
    public string ApplyRisk(string riskJson)
    {
        try
        {
            return Risk.Apply(riskJson).ToJson();
        }
        catch (RiskRuleException e)
        {
            throw new ArgumentException(e.Message, nameof(riskJson), e);
        }
    }

    /// <summary>The risk rules in force as JSON, every field included.</summary>
    public string RiskJson => Risk.Rules.ToJson();

    /// <summary>Applies fault rules (one JSON object, an array, or {"rules": [...]}); all or nothing. Returns the rules now active.</summary>
    /// <exception cref="FaultRuleException">A rule is bad; the message names every bad field. Nothing was applied.</exception>
    public int ApplyFaults(string rulesJson) => Faults.Apply(rulesJson).Count;

    /// <summary>Clears the rule with that name, or every rule. Returns the rules still active.</summary>
    public int ClearFaults(string? name = null) => Faults.Clear(name).Count;

    /// <summary>Applies a shipped profile (issuer-outage, issuer-slow, ...) or a profile file.</summary>
    public int LoadFaultProfile(string nameOrPath)
    {
        Faults.Engine.Apply(FaultProfiles.Load(nameOrPath, Faults.Engine.Context));
        Faults.Changed?.Invoke();
        return Faults.Engine.Rules.Count;
    }

    /// <summary>The active fault rules as a JSON array.</summary>
    public string FaultRulesJson => Faults.List().RulesJson;

    /// <summary>How many fault rules are active.</summary>
    public int FaultRuleCount => Faults.Engine.Rules.Count;

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new SimulatorStartException(string.Join("; ", errors));
        }

        var host = Create(options);
        try
        {
            if (options.FaultProfile is { } profile)
            {
                try
                {
                    host.LoadFaultProfile(profile);
                }
                catch (FaultRuleException e)
                {
                    throw new SimulatorStartException($"--profile: {e.Message}");
                }
            }

            if (options.RiskFile is { } riskFile)
            {
                if (Directory.Exists(riskFile))
                {
                    throw new SimulatorStartException($"--risk: \"{riskFile}\" is a directory, not a file; give a risk rules .json file");
                }

                string json;
                try
                {
                    json = await File.ReadAllTextAsync(riskFile, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new SimulatorStartException($"--risk '{riskFile}': cannot read the file ({e.Message})");
                }

                try
                {
                    host.Risk.Apply(json);
                }
                catch (RiskRuleException e)
                {
                    throw new SimulatorStartException($"--risk '{riskFile}': {e.Message}");
                }
            }

            try
            {
                foreach (var node in host._issuers)
                {
                    await node.StartAsync(cancellationToken).ConfigureAwait(false);
                }

                await host._sms.StartAsync(cancellationToken).ConfigureAwait(false);
                await host._controlHttp.StartAsync(cancellationToken).ConfigureAwait(false);
                await host._controlGrpc.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NodeListenException e)
            {
                throw new SimulatorStartException(e.Message, e.InnerException);
            }
            if (host._sharedNodes is { } sharedNodes)
            {
                await sharedNodes.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            host.Faults.Start();
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The magic card that yields <paramref name="responseCode"/> (00, 05, 14, 51, 54, 55, 61, 91, 96).</summary>
    public Cardholder MagicCard(string responseCode) =>
        MagicCards.FirstOrDefault(c => c.ExpectedResponseCode == responseCode)
        ?? throw new ArgumentException($"no magic card for '{responseCode}'; codes: 00, 05, 14, 51, 54, 55, 61, 91, 96", nameof(responseCode));

    /// <summary>Cardholders filtered like GET /v1/cardholders; persona names as in docs/cardholders.md.</summary>
    public IReadOnlyList<Cardholder> ListCardholders(int count, string? persona = null, string? locale = null, int offset = 0) =>
        Registry.List(count, persona, locale, offset).Select(CardholderMapper.ToContract).ToList();

    /// <summary>DOWN: the node's Kestrel stops (connections refused); UP: restarts on the same port;
    /// NOT_SERVING: grpc.health.v1 says NOT_SERVING while calls still work. Nodes: issuer-1.., sms.
    /// With Redis state the node of that name follows in every process of the cluster (docs/scale-out.md).</summary>
    public async Task SetNodeStateAsync(string node, NodeState state) =>
        await ((INodeControl)this).SetNodeStateAsync(node, state).ConfigureAwait(false);

    public NodeState GetNodeState(string node) => Find(node).State;

    public InvariantsReply GetInvariants() => Control.GetInvariants();

    public StatsReply GetStats() => Control.GetStats();

    /// <summary>
    /// One page of the issuer's authorizations, as GET /v1/ledger: empty <paramref name="since"/> = from the last
    /// reset, limit 0..10000 (0 = only the head cursor). ArgumentException for a bad since or limit,
    /// InvalidOperationException for a cursor taken before the last reset.
    /// </summary>
    public LedgerReply GetLedger(string since, int limit)
    {
        try
        {
            return Control.GetLedger(new GetLedgerRequest { Since = since ?? "", Limit = limit });
        }
        catch (LedgerCursorException e)
        {
            throw e.Stale ? new InvalidOperationException(e.Message, e) : new ArgumentException(e.Message, nameof(since), e);
        }
    }

    /// <summary>Clears bindings, ledger, SMS inboxes and counters; cardholders stay.</summary>
    public void Reset() => Control.Reset();

    IReadOnlyList<NodeStatus> INodeControl.Nodes() => _issuers.Append(_sms).Select(n => n.Status()).ToList();

    /// <summary>The control plane's switch (HTTP, gRPC, <see cref="SetNodeStateAsync"/>): in Redis mode the state is shared.</summary>
    async Task<NodeStatus> INodeControl.SetNodeStateAsync(string node, NodeState state)
    {
        var n = Find(node);
        await n.SetStateAsync(state).ConfigureAwait(false);
        _sharedNodes?.Publish(n.Name, state);
        return n.Status();
    }

    /// <summary>Sets only this process's node: fault rules (shared as rules) and states arriving from other processes.</summary>
    private async Task SetLocalNodeStateAsync(string node, NodeState state) => await Find(node).SetStateAsync(state).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _sharedFaults?.Dispose();
        _sharedRisk?.Dispose();
        if (_sharedNodes is not null)
        {
            await _sharedNodes.DisposeAsync().ConfigureAwait(false);
        }

        await Faults.DisposeAsync().ConfigureAwait(false);
        Sms.CancelPending();
        await _controlGrpc.DisposeAsync().ConfigureAwait(false);
        await _controlHttp.DisposeAsync().ConfigureAwait(false);
        await _sms.DisposeAsync().ConfigureAwait(false);
        foreach (var node in _issuers)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }

        (State as IDisposable)?.Dispose();
    }

    private static SimulatorHost Create(SimulatorOptions options)
    {
        var registry = CardholderRegistry.Create(options.Seed, options.Cardholders, options.ZhCnShare, options.PersonaWeights);
        var otp = new OtpOptions { Ttl = options.OtpTtl, Attempts = options.OtpAttempts, ResendCooldown = options.ResendCooldown };
        if (!options.UsesRedis)
        {
            return new SimulatorHost(options, registry, otp, new InMemoryIssuerState(registry, otp, options.TimeProvider));
        }

        if (!RedisStateOptions.TryParse(options.State, out var redisOptions, out var error))
        {
            throw new SimulatorStartException(error);
        }

        RedisIssuerState state;
        try
        {
            state = RedisIssuerState.Connect(redisOptions! with { Cluster = options.StateCluster }, registry, otp, options.TimeProvider);
        }
        catch (InvalidOperationException e)
        {
            throw new SimulatorStartException(e.Message.Split('\n')[0].TrimEnd('\r'), e);
        }

        try
        {
            return new SimulatorHost(options, registry, otp, state);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>A stable mix (string.GetHashCode is randomised per process, which would hide the seed's part).</summary>
    private static int MixSeed(int seed, string instanceId)
    {
        var hash = 2166136261u;
        foreach (var c in instanceId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked(seed ^ (int)hash);
    }

    /// <summary>
    /// Fault rules shared by every process of the cluster: local control-plane changes are published,
    /// remote ones replace the local rules (counters and journal stay per process), and a process joining
    /// later starts with the rules already in force.
    /// </summary>
    private RedisSharedDocument ShareFaults(RedisIssuerState redis)
    {
        var document = new RedisSharedDocument(redis.Connection, redis.Keys, "faults", (json, _) => ReplaceFaults(json));
        Faults.Changed = () => document.Publish(Faults.Engine.RulesJson());
        Control.ResetHooks.Add(() => document.Publish("[]"));
        if (document.Read().Json is { } current)
        {
            ReplaceFaults(current);
        }

        return document;
    }

    /// <summary>
    /// Risk rules shared by every process of the cluster, like the fault rules: local changes are published, remote
    /// ones replace the local rules (counters stay per process), and a process joining later starts with them.
    /// </summary>
    private RedisSharedDocument ShareRisk(RedisIssuerState redis)
    {
        var document = new RedisSharedDocument(redis.Connection, redis.Keys, "risk", (json, _) => ReplaceRisk(json));
        Risk.Changed = json => document.Publish(json);
        if (document.Read().Json is { } current)
        {
            ReplaceRisk(current);
        }

        return document;
    }

    private void ReplaceRisk(string json)
    {
        try
        {
            Risk.Replace(RiskRulesParser.Parse(json));
        }
        catch (RiskRuleException)
        {
            // A newer or foreign writer: keep the rules in force.
        }
    }

    /// <summary>
    /// Node states set through any control plane of the cluster apply to the node of the same name in every
    /// process; a process joining later starts with them (<see cref="RedisNodeStates.StartAsync"/>), and reset
    /// brings every node UP everywhere.
    /// </summary>
    private RedisNodeStates ShareNodeStates(RedisIssuerState redis)
    {
        var states = new RedisNodeStates(redis.Connection, redis.Keys, SetLocalNodeStateAsync);
        Control.ResetHooks.Add(states.PublishAllUp);
        return states;
    }

    private void ReplaceFaults(string json)
    {
        try
        {
            Faults.Engine.Clear();
            if (json.AsSpan().Trim() is not "[]")
            {
                Faults.Engine.Apply(json);
            }
        }
        catch (FaultRuleException)
        {
            // Every process parses with the same rules, so this means a newer or foreign writer: keep running without them.
        }
    }

    private SimulatorFaults CreateFaults(SimulatorOptions options)
    {
        // Every node with the methods it serves (the SMS node: SmsGateway and Inbox), so every method
        // the CallDoor counts is indexed, and counted in the fault stats, under its own name.
        var context = FaultRuleContext.ForIssuers(options.Nodes);
        var faults = new SimulatorFaults(
            new FaultEngineOptions
            {
                Seed = options.FaultSeed ?? unchecked((ulong)options.Seed),
                HeaderOverrides = options.HeaderFaults,
                HeaderToken = options.ControlToken,
                JournalCapacity = options.FaultJournal,
                MaxActiveFaults = options.MaxActiveFaults,
                Context = context,
                TimeProvider = options.TimeProvider,
            },
            new FaultNodeSwitch(this),
            context.Nodes,
            FaultRuleContext.DefaultSmsNode,
            options.OtpTtl,
            State);
        Pipeline.Faults = faults.Hook;
        Sms.Policy = faults.SmsPolicy;
        Control.ResetHooks.Add(faults.Engine.Reset);
        Control.StatsHooks.Add(faults.AddTo);
        return faults;
    }

    private ServerNode Find(string name) =>
        _issuers.Append(_sms).FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"node '{name}' is unknown; nodes: {string.Join(", ", _issuers.Append(_sms).Select(n => n.Name))}");

    // Services are singletons: each binds its methods to the node's CallDoor once, not on every call.
    private WebApplication BuildIssuerApp(ServerNode node, int port) => BuildGrpcApp(
        node,
        port,
        services =>
        {
            services.AddSingleton(Engine);
            services.AddSingleton<IssuerService>();
        },
        app => app.MapGrpcService<IssuerService>());

    private WebApplication BuildSmsApp(ServerNode node, int port) => BuildGrpcApp(
        node,
        port,
        services =>
        {
            services.AddSingleton(Sms);
            services.AddSingleton(State.Inbox);
            services.AddSingleton<SmsGatewayService>();
            services.AddSingleton<InboxService>();
        },
        app =>
        {
            app.MapGrpcService<SmsGatewayService>();
            app.MapGrpcService<InboxService>();
        });

    private WebApplication BuildControlGrpcApp(ServerNode node, int port)
    {
        var builder = NewBuilder(node, port, HttpProtocols.Http2);
        builder.Services.AddSingleton(ControlToken);
        builder.Services.AddSingleton(Faults);
        builder.Services.AddSingleton(Risk);
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<ExceptionStatusInterceptor>();
            o.Interceptors.Add<ControlTokenInterceptor>();
        });
        RequestDecoding.Use(builder.Services);
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton(Control);
        builder.Services.AddSingleton(node.Health);
        var app = builder.Build();
        app.MapGrpcService<ControlService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        return app;
    }

    private WebApplication BuildControlHttpApp(ServerNode node, int port)
    {
        var app = NewBuilder(node, port, HttpProtocols.Http1).Build();
        ControlBodyLimit.Use(app);
        ControlRoutingErrors.Use(app);
        ControlTokenMiddleware.Use(app, ControlToken);
        ControlRequestChecks.Use(app);

        // Every route in one group: each declares the query parameters it reads, ControlRequestChecks refuses the rest.
        var routes = ControlRequestChecks.Routes(app);
        FaultHttpEndpoints.Map(routes, Faults);
        RiskHttpEndpoints.Map(routes, Risk);
        ControlHttpEndpoints.Map(routes, Control, Exported, () => new
        {
            issuers = _issuers.Select(n => n.Status()).Select(ControlHttpEndpoints.ToJson),
            sms = _sms.Uri.ToString().TrimEnd('/'),
            control = _controlHttp.Uri.ToString().TrimEnd('/'),
            controlGrpc = _controlGrpc.Uri.ToString().TrimEnd('/'),
            cardholders = Registry.Count,
            seed = Options.Seed,
            settings = _controlHttp.Uri.ToString().TrimEnd('/') + "/v1/settings",
        }, () => new
        {
            // This process's own settings; with Redis state every process reads its own flags.
            resendCooldownMs = (long)Options.ResendCooldown.TotalMilliseconds,
            resendCooldown = HumanDuration.Format(Options.ResendCooldown),
            otpTtlMs = (long)Options.OtpTtl.TotalMilliseconds,
            otpAttempts = Options.OtpAttempts,
            slowSmsDelayMs = (long)Options.SlowSmsDelay.TotalMilliseconds,
            nodes = Options.Nodes,
            seed = Options.Seed,
            headerFaults = Options.HeaderFaults,
            state = Options.UsesRedis ? "redis" : "memory",
        }, Options.Seed);
        return app;
    }

    private WebApplication BuildGrpcApp(ServerNode node, int port, Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = NewBuilder(node, port, HttpProtocols.Http2);
        var identity = new NodeIdentity(node.Name, node.Kind);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(Pipeline);
        builder.Services.AddSingleton(node.Health);
        builder.Services.AddSingleton<CallDoor>();
        builder.Services.AddGrpc(o => o.Interceptors.Add<ExceptionStatusInterceptor>());
        RequestDecoding.Use(builder.Services);

        // A call that fails before its handler (its request unreadable) is still a call and an error of its method.
        builder.Services.AddSingleton<ILoggerFactory>(new ReadFailureLoggerFactory(identity, Pipeline));
        builder.Services.AddGrpcReflection();
        services(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        map(app);
        return app;
    }

    private static WebApplicationBuilder NewBuilder(ServerNode node, int port, HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(node.Address, port, l => l.Protocols = protocols);
        });
        return builder;
    }

    /// <summary>What fault rules switch nodes through: local only, since every process derives the same states from the shared rules.</summary>
    private sealed class FaultNodeSwitch(SimulatorHost host) : INodeControl
    {
        public IReadOnlyList<NodeStatus> Nodes() => ((INodeControl)host).Nodes();

        public async Task<NodeStatus> SetNodeStateAsync(string node, NodeState state)
        {
            await host.SetLocalNodeStateAsync(node, state).ConfigureAwait(false);
            return host.Find(node).Status();
        }
    }
}
