using System.CommandLine;
using System.Text;
using PaySim.Contracts.CommandLine;
using PaySim.Contracts.Durations;
using PaySim.Simulator.Binding;
using PaySim.Simulator.Cardholders;
using PaySim.Simulator.Faults.Engine;
using PaySim.Simulator.Hosting;

namespace PaySim.Simulator.Cli;

/// <summary>
/// The simulator's command line: serve (default) and cardholders. User errors print one line on
/// stderr and exit with code 2; output that cannot be written or a fault in the program, one line and
/// exit 3 (<see cref="CommandGuard"/>).
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int BadInput = 2;

    /// <summary>What the first Ctrl+C or SIGTERM says while the simulator serves (ShutdownSignals).</summary>
    public const string ServeStopNotice = "stopping the simulator (Ctrl+C again to quit at once)";

    /// <summary>What it says during a <c>cardholders</c> export, which runs no simulator.</summary>
    public const string ExportStopNotice = "stopping the export (Ctrl+C again to quit at once)";

    /// <summary>The first signal's line for this command line: the export's for <c>cardholders</c>, else the simulator's.</summary>
    public static string StopNotice(string[] args)
    {
        var command = Build(TextWriter.Null, TextWriter.Null, null, (_, _) => Task.FromResult(Ok)).Parse(args).CommandResult.Command;
        return command.Name == "cardholders" ? ExportStopNotice : ServeStopNotice;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null, Stream? stdoutStream = null, CancellationToken cancellationToken = default)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        return await CommandGuard.RunAsync(() => InvokeAsync(args, stdout, stderr, stdoutStream, cancellationToken), stderr, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream? stdoutStream, CancellationToken cancellationToken)
    {
        var root = Build(stdout, stderr, stdoutStream);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var message = string.Join(' ', parsed.Errors[0].Message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            await stderr.WriteLineAsync($"error: {message} (see --help)").ConfigureAwait(false);
            return BadInput;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="serveAction">What serve does with its options (default: start the simulator and serve until Ctrl+C).</param>
    internal static RootCommand Build(TextWriter stdout, TextWriter stderr, Stream? stdoutStream, Func<SimulatorOptions, CancellationToken, Task<int>>? serveAction = null)
    {
        serveAction ??= (options, ct) => ServeAsync(options, stdout, stderr, ct);
        var root = new RootCommand("PaySim simulator: fake card issuer nodes, an SMS gateway and a control plane (gRPC), with synthetic cardholders. Without a command it runs 'serve'.");
        var rootServe = new ServeOptions();
        rootServe.AddTo(root);
        root.SetAction((p, ct) => serveAction(rootServe.Read(p), ct));

        var serve = new Command("serve", "Start N issuer nodes, the SMS gateway and the control plane; run until Ctrl+C.");
        var serveOptions = new ServeOptions();
        serveOptions.AddTo(serve);
        serve.SetAction((p, ct) => serveAction(serveOptions.Read(p), ct));
        root.Subcommands.Add(serve);

        root.Subcommands.Add(BuildCardholders(stdout, stderr, stdoutStream));
        NumberOptions.Apply(root);
        return root;
    }


    /// <summary>
    /// Like AcceptOnlyFromAmong, but the error names the flag: "--format 'xml' is unknown; allowed: csv, json"; letter
    /// case does not matter (<c>--format JSON</c>, <c>--locale EN</c>), as for <c>--persona</c> and the control plane's filters.
    /// </summary>
    private static void OneOf(Option option, params string[] allowed) =>
        option.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (!allowed.Contains(token.Value, StringComparer.OrdinalIgnoreCase))
                {
                    r.AddError($"{option.Name} '{token.Value}' is unknown; allowed: {string.Join(", ", allowed)}");
                }
            }
        });

    /// <summary>
    /// The option's value when it converted; null when the parser could not convert it (for the numeric
    /// options <see cref="NumberOptions"/> has already reported that as one line), so a validator never throws.
    /// </summary>
    private static T? Converted<T>(System.CommandLine.Parsing.OptionResult r) where T : struct
    {
        try
        {
            return r.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static Command BuildCardholders(TextWriter stdout, TextWriter stderr, Stream? stdoutStream)
    {
        var count = new Option<int>("--count", "-n") { Description = "How many cardholders to write. With --persona or --locale the scan stops after count × 1,000 + 10,000 cards (never past index 100,000,000): a filter rarer than about one card in 1,000 writes fewer rows and one note on stderr (exit 0).", DefaultValueFactory = _ => 100 }.Within(0, CardholderGenerator.MaxCount);
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives byte-identical output.", DefaultValueFactory = _ => 42 };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "csv" };
        OneOf(format, "csv", "json");
        var locale = new Option<string?>("--locale") { Description = "Only cardholders of this locale (the magic cards are all zh_CN)." };
        OneOf(locale, CardholderGenerator.ZhCn, CardholderGenerator.En);
        var persona = new Option<string?>("--persona") { Description = $"Only cardholders of this persona: {Personas.AllNames}." };
        persona.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string?>();
            if (value is not null && !Personas.TryParse(value, out _))
            {
                r.AddError($"--persona '{value}' is unknown; allowed: {Personas.AllNames}");
            }
        });
        var share = new Option<double>("--zh-cn-share") { Description = "Share of zh_CN cardholders (0..1).", DefaultValueFactory = _ => 0.7 };
        share.Validators.Add(r =>
        {
            if (Converted<double>(r) is { } v && (v is < 0 or > 1 || double.IsNaN(v)))
            {
                r.AddError($"--zh-cn-share must be 0..1 (was {v})");
            }
        });
        count.Validators.Add(r =>
        {
            if (Converted<int>(r) is { } v && v is < 0 or > CardholderGenerator.MaxCount)
            {
                r.AddError($"--count must be 0..{CardholderGenerator.MaxCount} (was {v})");
            }
        });

        var command = new Command("cardholders", "Write synthetic cardholders (deterministic for a seed) to stdout as CSV or JSON, streaming in constant memory. Magic test cards: --persona magic.")
        {
            count, seed, format, locale, persona, share,
        };
        command.SetAction(async (p, ct) =>
        {
            var json = string.Equals(p.GetValue(format), "json", StringComparison.OrdinalIgnoreCase);
            var (seedValue, shareValue, countValue, localeValue, personaValue) = (p.GetValue(seed), p.GetValue(share), p.GetValue(count), CardholderRegistry.Locale(p.GetValue(locale)), p.GetValue(persona));
            var magic = string.Equals(personaValue, "magic", StringComparison.OrdinalIgnoreCase);
            if (NoneMade(new CardholderGenerator(seedValue, shareValue), personaValue, localeValue, shareValue) is { } none)
            {
                // Nothing could match: say so and write the empty list at once instead of scanning every index.
                await stderr.WriteLineAsync(none).ConfigureAwait(false);
                countValue = 0;
            }

            var stream = stdoutStream ?? (ReferenceEquals(stdout, Console.Out) ? StandardOutput.Open() : null);
            if (stream is not null && !magic)
            {
                // Generated cards: derived and formatted in parallel blocks, written in index order.
                Persona? wanted = personaValue is not null && Personas.TryParse(personaValue, out var pp) ? pp : null;
                var filtered = wanted is not null || localeValue is not null;
                var limit = ScanLimit(countValue, filtered);
                var wrote = CardholderBlockExport.Write(stream, json, new CardholderGenerator(seedValue, shareValue), countValue, limit, wanted, localeValue, Environment.ProcessorCount, ct);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                await NoteShortAsync(stderr, wrote, countValue, limit, wanted, localeValue, shareValue).ConfigureAwait(false);
                return Ok;
            }

            var rowCount = 0;
            var rows = Select(seedValue, shareValue, countValue, localeValue, personaValue, ct).Select(r =>
            {
                rowCount++;
                return r;
            });
            if (json)
            {
                stream ??= StandardOutput.Open();
                CardholderExport.WriteJson(stream, rows);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }
            else
            {
                var writer = stream is not null ? new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) : stdout;
                CardholderExport.WriteCsv(writer, rows);
                await writer.FlushAsync(ct).ConfigureAwait(false);
            }

            if (!magic)
            {
                Persona? wantedPersona = personaValue is not null && Personas.TryParse(personaValue, out var wp) ? wp : null;
                await NoteShortAsync(stderr, rowCount, countValue, ScanLimit(countValue, wantedPersona is not null || localeValue is not null), wantedPersona, localeValue, shareValue).ConfigureAwait(false);
            }

            return Ok;
        });
        return command;
    }

    private static async Task NoteShortAsync(TextWriter stderr, int written, int count, long scanned, Persona? persona, string? locale, double zhCnShare)
    {
        if (ShortNote(written, count, scanned, persona, locale, zhCnShare) is { } note)
        {
            await stderr.WriteLineAsync(note).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The one line an export that wrote fewer rows than <c>--count</c> gets (a filter that matches fewer than one card
    /// in 1,000, so the bounded scan ended first), or null when it wrote them all. Exit 0, like <see cref="NoneMade"/>.
    /// </summary>
    internal static string? ShortNote(int written, int count, long scanned, Persona? persona, string? locale, double zhCnShare)
    {
        if (written >= count)
        {
            return null;
        }

        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var filters = new List<string>();
        if (persona is { } p)
        {
            filters.Add($"--persona {Personas.Name(p)}");
        }

        if (locale is not null)
        {
            filters.Add($"--locale {locale}");
        }

        var filter = string.Join(' ', filters) + (locale is null ? string.Empty : $" with --zh-cn-share {zhCnShare.ToString(invariant)}");
        var where = scanned >= CardholderGenerator.MaxCount
            ? $"of all {scanned.ToString("N0", invariant)} cards the generator makes"
            : $"of the first {scanned.ToString("N0", invariant)} generated";
        var bound = scanned >= CardholderGenerator.MaxCount ? "its last index" : "--count × 1,000 + 10,000 cards";
        var hint = locale switch
        {
            CardholderGenerator.En => "lower --zh-cn-share or drop a filter",
            CardholderGenerator.ZhCn => "raise --zh-cn-share or drop a filter",
            _ => "drop the filter or ask for fewer",
        };
        return $"note: wrote {written.ToString("N0", invariant)} of {count.ToString("N0", invariant)} cardholders: only {written.ToString("N0", invariant)} {where} match {filter} "
            + $"(the scan stops at {bound}); {hint}";
    }

    /// <summary>
    /// The one line a filter nothing can match gets (a persona of weight 0, a locale whose share is 0), or null:
    /// the export then writes no rows at once, as docs/cardholders.md says the standalone simulator makes none.
    /// </summary>
    internal static string? NoneMade(CardholderGenerator generator, string? persona, string? locale, double zhCnShare)
    {
        Persona? wanted = persona is not null && Personas.TryParse(persona, out var p) ? p : null;
        if (wanted == Persona.Magic)
        {
            // The magic cards are a fixed list, not generated: a locale none of them has gives none, whatever --zh-cn-share.
            var locales = MagicCards.All.Select(m => m.Locale).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            return locale is null || locales.Contains(locale, StringComparer.Ordinal)
                ? null
                : $"note: --persona magic --locale {locale}: magic cardholders exist only for {string.Join(", ", locales)}, so none are written; drop --locale or give --locale {locales[0]}";
        }

        if (wanted is { } w && !generator.Makes(w, null))
        {
            return $"note: --persona {Personas.Name(w)}: the generator makes no {Personas.Name(w)} cardholders (its weight is 0), so none are written; "
                + $"it makes {string.Join(", ", generator.MadePersonas.Select(Personas.Name))}, and --persona magic lists the magic cards";
        }

        if (!generator.Makes(null, locale))
        {
            return $"note: --locale {locale}: --zh-cn-share {zhCnShare.ToString(System.Globalization.CultureInfo.InvariantCulture)} makes no {locale} cardholders, so none are written";
        }

        return null;
    }

    // How far a filtered export looks for matches, so a filter nothing matches ends; never past the last index.
    private static long ScanLimit(int count, bool filtered) =>
        Math.Min(filtered ? (long)count * 1000 + 10_000 : count, CardholderGenerator.MaxCount);

    /// <summary>Generated cardholders in index order, filtered lazily; the scan is bounded so a filter nothing matches ends.</summary>
    internal static IEnumerable<CardholderRecord> Select(int seed, double zhCnShare, int count, string? locale, string? persona, CancellationToken cancellationToken = default)
    {
        Persona? wanted = persona is not null && Personas.TryParse(persona, out var p) ? p : null;
        if (wanted == Persona.Magic)
        {
            foreach (var m in MagicCards.All.Where(m => locale is null || m.Locale == locale).Take(count))
            {
                yield return m;
            }

            yield break;
        }

        var generator = new CardholderGenerator(seed, zhCnShare);
        if (!generator.Makes(wanted, locale))
        {
            yield break;
        }

        var found = 0;
        var limit = ScanLimit(count, wanted is not null || locale is not null);
        for (var i = 0; found < count && i < limit; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var c = generator.Generate(i);
            if ((wanted is null || c.Persona == wanted) && (locale is null || c.Locale == locale))
            {
                found++;
                yield return c;
            }
        }
    }

    /// <summary>
    /// The options a serve command line (with the word <c>serve</c> or without) gives, read as a start reads them and
    /// without starting anything; null for another command (<c>cardholders</c>) or for <c>--help</c>. A parse error throws
    /// <see cref="ArgumentException"/> with the parser's message. The documented-command tests validate them.
    /// </summary>
    internal static SimulatorOptions? ReadServeOptions(string[] args)
    {
        SimulatorOptions? read = null;
        var root = Build(TextWriter.Null, TextWriter.Null, null, (options, _) =>
        {
            read = options;
            return Task.FromResult(Ok);
        });
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            throw new ArgumentException(parse.Errors[0].Message, nameof(args));
        }

        var command = parse.CommandResult.Command;
        if ((command == root || command.Name == "serve") && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            parse.Invoke(new InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null });
        }

        return read;
    }

    private static async Task<int> ServeAsync(SimulatorOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        SimulatorHost host;
        try
        {
            host = await SimulatorHost.StartAsync(options, ct).ConfigureAwait(false);
        }
        catch (SimulatorStartException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return BadInput;
        }

        await using (host.ConfigureAwait(false))
        {
            var o = host.Options;
            await stdout.WriteLineAsync($"PaySim simulator: {o.Nodes} issuer node(s), {o.Cardholders} cardholders + {host.MagicCards.Count} magic cards, seed {o.Seed}").ConfigureAwait(false);
            foreach (var n in host.IssuerNodes)
            {
                await stdout.WriteLineAsync($"  {n.Name,-12} {n.Uri.ToString().TrimEnd('/'),-28} gRPC h2c  paysim.issuer.v1.Issuer").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"  {"sms",-12} {host.SmsUri.ToString().TrimEnd('/'),-28} gRPC h2c  paysim.sms.v1.SmsGateway, paysim.sms.v1.Inbox").ConfigureAwait(false);
            await stdout.WriteLineAsync($"  {"control",-12} {host.ControlUri.ToString().TrimEnd('/'),-28} HTTP/1.1 JSON  (curl {host.ControlUri}v1/stats)").ConfigureAwait(false);
            await stdout.WriteLineAsync($"  {"control",-12} {host.ControlGrpcUri.ToString().TrimEnd('/'),-28} gRPC h2c  paysim.control.v1.Control").ConfigureAwait(false);
            await stdout.WriteLineAsync($"  faults: {(o.FaultProfile is null ? "none" : $"profile {o.FaultProfile}")}, {host.FaultRuleCount} rule(s); header overrides {(o.HeaderFaults ? "on" : "off")}; control token {(o.ControlToken is null ? "off" : "required")} (docs/faults.md)").ConfigureAwait(false);
            await stdout.WriteLineAsync($"  otp: valid {HumanDuration.Format(o.OtpTtl)}, {o.OtpAttempts} attempts, resend cooldown {HumanDuration.Format(o.ResendCooldown)} (--resend-cooldown; GET /v1/settings)").ConfigureAwait(false);
            await stdout.WriteLineAsync(o.UsesRedis ? $"  state: {o.State}, cluster {o.StateCluster}, instance {host.InstanceId}" : "  state: memory").ConfigureAwait(false);
            await stdout.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return Ok;
    }

    private sealed class ServeOptions
    {
        private readonly Option<int> _nodes = new Option<int>("--nodes") { Description = $"Issuer nodes (1..{SimulatorOptions.MaxNodes}), named issuer-1..", DefaultValueFactory = _ => 3 }.Within(1, SimulatorOptions.MaxNodes);
        private readonly Option<int> _issuerPort = new Option<int>("--issuer-port") { Description = "Port of issuer-1; the others follow. 0 = ephemeral.", DefaultValueFactory = _ => 7101 }.Within(0, SimulatorOptions.MaxPort);
        private readonly Option<int> _smsPort = new Option<int>("--sms-port") { Description = "SMS gateway port. 0 = ephemeral.", DefaultValueFactory = _ => 7201 }.Within(0, SimulatorOptions.MaxPort);
        private readonly Option<int> _controlPort = new Option<int>("--control-port") { Description = "Control plane HTTP/1.1 JSON port; its gRPC is on this port + 1. 0 = ephemeral.", DefaultValueFactory = _ => 7000 }.Within(0, SimulatorOptions.MaxPort - 1);
        private readonly Option<int> _seed = new("--seed") { Description = "Seed for cardholders, OTPs and ids.", DefaultValueFactory = _ => 42 };
        private readonly Option<int> _cardholders = new Option<int>("--cardholders") { Description = "Generated cardholders, 0..100000000, derived on demand (the magic cards come on top).", DefaultValueFactory = _ => 1000 }.Within(0, SimulatorOptions.MaxCardholders);
        private readonly Option<string> _bind = new("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        private readonly Option<string?> _profile = new("--profile") { Description = "Fault profile applied at boot: a shipped name (issuer-outage, issuer-slow, issuer-brownout, node-loss, sms-late, sms-lost, flaky-network, wrong-data) or a JSON file. See docs/faults.md." };
        private readonly Option<string?> _risk = new("--risk") { Description = "Issuer risk rules applied at boot: a JSON file (velocity, amount, dailyLimit, repeat, riskFlagged, notPermittedMerchants, stepUp). See docs/simulator.md \"Risk controls\"." };
        private readonly Option<bool> _noHeaderFaults = new("--no-header-faults") { Description = "Ignore x-sim-fault, x-sim-delay-ms and x-sim-status request metadata (for shared environments)." };
        private readonly Option<string?> _controlToken = new("--control-token") { Description = "Require 'Authorization: Bearer <token>' on every control call (HTTP and gRPC)." };
        private readonly Option<ulong?> _faultSeed = new("--fault-seed") { Description = "Seed of the fault draws (default: --seed). The same seed replays the same faults." };
        private readonly Option<int?> _maxActiveFaults = new Option<int?>("--max-active-faults") { Description = $"At most this many calls carry a fault at once, 1..{Faults.FaultDefaults.MaxActiveFaults} (default: no limit)." }.Within(1, Faults.FaultDefaults.MaxActiveFaults);
        private readonly Option<string> _state = new("--state") { Description = "Issuer state: memory (this process) or redis://host:port (shared by every simulator process of --state-cluster on that Redis). See docs/scale-out.md.", DefaultValueFactory = _ => SimulatorOptions.MemoryState };
        private readonly Option<string> _stateCluster = new("--state-cluster") { Description = "With Redis state: processes with the same name act as one issuer; reset clears only their cluster.", DefaultValueFactory = _ => "default" };
        private readonly Option<string> _resendCooldown = ResendCooldownOption();
        private readonly Option<int> _faultJournal = new Option<int>("--fault-journal") { Description = "Keep the last N calls (node, method, rule, outcome) for GET /v1/journal; 0 = off.", DefaultValueFactory = _ => 0 }.Within(0, Faults.FaultDefaults.MaxJournalCapacity);

        public void AddTo(Command command)
        {
            command.Options.Add(_nodes);
            command.Options.Add(_issuerPort);
            command.Options.Add(_smsPort);
            command.Options.Add(_controlPort);
            command.Options.Add(_seed);
            command.Options.Add(_cardholders);
            command.Options.Add(_bind);
            command.Options.Add(_profile);
            command.Options.Add(_risk);
            command.Options.Add(_noHeaderFaults);
            command.Options.Add(_controlToken);
            command.Options.Add(_faultSeed);
            command.Options.Add(_maxActiveFaults);
            command.Options.Add(_faultJournal);
            command.Options.Add(_state);
            command.Options.Add(_stateCluster);
            command.Options.Add(_resendCooldown);
        }

        /// <summary>The project's duration grammar (HumanDuration), 0 to 1h; anything else is one line naming the flag.</summary>
        private static Option<string> ResendCooldownOption()
        {
            var option = new Option<string>("--resend-cooldown")
            {
                Description = $"Shortest interval between two OTPs of one binding; a ResendOtp sooner is refused with RESEND_TOO_SOON and the time left. {HumanDuration.Allowed}, 0 to 1h. Read it with GET /v1/settings.",
                DefaultValueFactory = _ => HumanDuration.Format(OtpOptions.DefaultResendCooldown),
            };
            option.Validators.Add(r =>
            {
                var text = r.GetValueOrDefault<string>();
                if (!HumanDuration.TryParse(text, SimulatorOptions.MaxResendCooldown, out _, out var problem))
                {
                    r.AddError(problem switch
                    {
                        DurationProblem.Negative => $"--resend-cooldown '{text}' must not be negative",
                        DurationProblem.TooLong => $"--resend-cooldown '{text}' is more than {HumanDuration.Format(SimulatorOptions.MaxResendCooldown)}",
                        _ => $"--resend-cooldown '{text}' is not {HumanDuration.Allowed}",
                    });
                }
            });
            return option;
        }

        public SimulatorOptions Read(ParseResult p) => new()
        {
            Nodes = p.GetValue(_nodes),
            IssuerPort = p.GetValue(_issuerPort),
            SmsPort = p.GetValue(_smsPort),
            ControlPort = p.GetValue(_controlPort),
            Seed = p.GetValue(_seed),
            Cardholders = p.GetValue(_cardholders),
            BindAddress = p.GetValue(_bind) ?? "127.0.0.1",
            FaultProfile = p.GetValue(_profile),
            RiskFile = p.GetValue(_risk),
            HeaderFaults = !p.GetValue(_noHeaderFaults),
            ControlToken = p.GetValue(_controlToken),
            FaultSeed = p.GetValue(_faultSeed),
            MaxActiveFaults = p.GetValue(_maxActiveFaults),
            FaultJournal = p.GetValue(_faultJournal),
            State = p.GetValue(_state) ?? SimulatorOptions.MemoryState,
            StateCluster = p.GetValue(_stateCluster) ?? "default",
            ResendCooldown = HumanDuration.TryParse(p.GetValue(_resendCooldown), out var cooldown) ? cooldown : OtpOptions.DefaultResendCooldown,
        };
    }
}
