using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PaySim.Contracts.CommandLine;
using PaySim.LoadTests.Cluster;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;
using PaySim.LoadTests.Running;
using PaySim.LoadTests.Sharding;
using Spectre.Console;

namespace PaySim.LoadTests.Cli;

/// <summary>
/// <c>run</c>, <c>merge</c>, <c>plans</c>, <c>cardholders</c> and <c>selftest</c>. Exit codes: 0 every claim holds, 1 a claim failed,
/// 2 bad input (one line naming the field; nothing started), 3 no verdict: the run could not be completed (the target could
/// not be prepared, the report could not be written, a fault in the harness), 130 interrupted.
/// </summary>
public static class LoadTestsCli
{
    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(args, new LoadTestsCliOptions(), output, error, cancellationToken);

    public static async Task<int> InvokeAsync(string[] args, LoadTestsCliOptions options, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var stdout = output ?? Console.Out;
        var stderr = error ?? Console.Error;
        return await CommandGuard.RunAsync(() => InvokeCoreAsync(args, options, stdout, stderr, cancellationToken), stderr, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> InvokeCoreAsync(string[] args, LoadTestsCliOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && args[0] == Cluster.WalletInstanceCommand.Verb)
        {
            // Hidden: a wallet instance the embedded target runs as a child process.
            return await Cluster.WalletInstanceCommand.RunAsync(args[1..], stdout, stderr).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == CardholdersCommand.Name)
        {
            return await CardholdersCommand.RunAsync(args, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        var root = Build(options, stdout, stderr);
        if (UnknownCommand(root, args) is { } unknown)
        {
            await stderr.WriteLineAsync(unknown).ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The parser's errors become one line and exit 2, like every other bad input.
            await stderr.WriteLineAsync($"error: {parse.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        // The parser's own Ctrl+C handling gives up after 2 s; a run needs longer to revert faults and write its
        // report, so signals are handled by the caller's token (Program.cs: ShutdownSignals).
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the command line makes of <paramref name="args"/>, without running anything (the documented-command tests).</summary>
    internal static ParseResult Parse(string[] args) => Build(new LoadTestsCliOptions(), TextWriter.Null, TextWriter.Null).Parse(args);

    /// <summary>
    /// "unknown command 'x'; commands: run, merge, …" for a first word that is no command, instead of the parser's
    /// "Required command was not provided"; the list is read from the commands themselves so it stays true.
    /// </summary>
    internal static string? UnknownCommand(RootCommand root, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || root.Subcommands.Any(c => c.Name == args[0] || c.Aliases.Contains(args[0])))
        {
            return null;
        }

        var names = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
        return $"error: unknown command '{args[0]}'; commands: {string.Join(", ", names)} (see --help)";
    }

    private static RootCommand Build(LoadTestsCliOptions options, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("PaySim load tests: drive a wallet through issuer and SMS failures and judge its HA and load-balancing claims. Exit codes: 0 all claims hold, 1 a claim failed, 2 bad input, 3 no verdict (the run could not be completed), 130 interrupted by Ctrl+C or SIGTERM.");
        root.Subcommands.Add(BuildRun(options, stdout, stderr));
        root.Subcommands.Add(MergeCommand.Build(stdout, stderr, CreateConsole));
        root.Subcommands.Add(BuildPlans(stdout, stderr));
        root.Subcommands.Add(CardholdersCommand.Build());
        root.Subcommands.Add(SelftestCommand.Build(stdout, stderr));
        NumberOptions.Apply(root);
        return root;
    }

    private static Command BuildRun(LoadTestsCliOptions cliOptions, TextWriter stdout, TextWriter stderr)
    {
        var plan = new Option<string>("--plan") { Description = "Plan name (see `plans`) or path to a plan .json file.", DefaultValueFactory = _ => PlanCatalog.DefaultPlan };
        var duration = new Option<string?>("--duration") { Description = "Run length, e.g. 30s or 2m; the plan's phases and fault timeline scale with it." };
        var rate = new Option<string?>("--rate") { Description = "Total open-model arrival rate per second, split over the plan's scenarios by weight." };
        var mode = new Option<string?>("--wallet-mode") { Description = "Embedded wallet integration: naive or resilient (default: the plan's, else resilient)." };
        var seed = new Option<string?>("--seed") { Description = "Seed for cardholders, personas, amounts and the simulator's random draws." };
        var reportDir = new Option<string?>("--report-dir") { Description = "Report folder (default reports/<utc-timestamp>-<plan>/)." };
        var noProgress = new Option<bool>("--no-progress") { Description = "No live progress (the final table and verdict still print)." };
        var walletUrls = new Option<string[]>("--wallet-url") { Description = "External wallet base URL; repeat for several instances. Needs --simulator-url.", AllowMultipleArgumentsPerToken = false };
        var simulatorUrl = new Option<string?>("--simulator-url") { Description = "External simulator control plane URL, e.g. http://localhost:7000." };
        var smsUrl = new Option<string?>("--sms-url") { Description = "External SMS gateway URL (default: the address the simulator's node list gives), e.g. http://simulator:7201." };
        var settle = new Option<string?>("--settle") { Description = $"Longest wait after the load for holds and pending payments to settle before the money is reconciled, e.g. 20s (default: the plan's settle, else {DurationText.Format(PlanCompiler.DefaultSettle)})." };
        var walletHooks = new Option<string[]>("--wallet-hook") { Description = "External target: NAME=COMMAND doing a wallet-instance event, NAME one of crash, restart, freeze, thaw; {instance} is replaced, e.g. crash='kubectl delete pod {instance} --grace-period=0'. Repeat per hook.", AllowMultipleArgumentsPerToken = false };
        var otlp = new Option<string?>("--otlp") { Description = "Push the per-second figures (iterations, rps, p50/p99, concurrency by scenario) and every request's latency on exponential histograms (paysim.step.duration, paysim.iteration.duration, ms) to an OpenTelemetry collector over OTLP/HTTP, e.g. " + OtlpExample + "; the report files stay the source of truth." };
        var defect = new Option<string[]>("--defect") { Description = $"Embedded wallet: plant an integration mistake to see whether the plan catches it (repeatable; docs/wallet.md): {string.Join(", ", PaySim.Wallet.Defects.WalletDefects.Names)}.", AllowMultipleArgumentsPerToken = false };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the plan and every flag, print what the run would do (target, load, faults, node events, claims) and exit 0, or 2 on bad input; nothing is started and no request sent." };
        var resetSimulator = new Option<bool>("--reset-simulator") { Description = "External target: before the load, remove every fault rule on the simulator and bring every node back up, and print what was reset (so rules or node states left there do not act on the run's calls). Shard 1 does it for every shard. Refused with the embedded target, which starts fresh." };
        var allowRemote = new Option<bool>(LocalTarget.Flag) { Description = "External target: let --wallet-url, --simulator-url, --sms-url (or the plan's target.external) name another host. Without it every target URL must be this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0, ::), so a typo or a copied plan cannot load a shared environment." };
        var outOption = new Option<string?>(OutTarget.Flag) { Description = "Per-request results as k6's --out json: json=PATH writes one JSON object a line, a Metric line when a metric first appears, then a Point per sample: step_duration (ms) and step_reqs per wallet call, sms_wait_duration (ms) and sms_waits per OTP read from the SMS inbox, iteration_duration and iterations per iteration, tagged scenario, step, status and ok. A PATH ending in .gz is gzip-compressed; its folder must exist; each shard writes its own file. The load never waits on the disk: samples the writer cannot keep up with are dropped and counted." };
        var shardOption = new Option<string?>("--shard") { Description = "Run the i-th of n shares of the plan's load (1-based, e.g. 2/4); combine the reports with `merge`. Only shard 1 plays the fault timeline." };

        var run = new Command("run", "Run a plan (default: the default plan on the embedded cluster) and judge its claims. Exit 0 all claims hold, 1 a claim failed, 2 bad input, 3 the run could not be completed (no verdict), 130 interrupted by Ctrl+C or SIGTERM (faults reverted, partial report).")
        {
            plan, duration, rate, mode, seed, settle, reportDir, noProgress, walletUrls, simulatorUrl, smsUrl, allowRemote, walletHooks, resetSimulator, shardOption, otlp, outOption, defect, dryRun,
        };
        run.SetAction(async (parse, ct) =>
        {
            LoadPlan compiled;
            ShardSpec shard;
            Uri? otlpUri;
            OutTarget? rawOut;
            try
            {
                otlpUri = parse.GetValue(otlp) is { } o ? HttpUrl.Parse(o, "--otlp", OtlpExample) : null;
                rawOut = parse.GetValue(outOption) is { } ov ? OutTarget.Parse(ov) : null;
                shard = parse.GetValue(shardOption) is { } sh ? ShardSpec.Parse(sh) : ShardSpec.Whole;
                var overrides = new PlanOverrides
                {
                    Duration = parse.GetValue(duration) is { } d ? DurationText.ParsePositive(d, "--duration", LoadLimits.MaxDuration) : null,
                    Rate = parse.GetValue(rate) is { } r ? ParseDouble(r, "--rate") : null,
                    WalletMode = parse.GetValue(mode),
                    Seed = parse.GetValue(seed) is { } s ? LoadLimits.ParseSeed(s, "--seed") : null,
                    Settle = parse.GetValue(settle) is { } st ? DurationText.Parse(st, "--settle", PlanCompiler.MaxSettle) : null,
                    WalletUrls = parse.GetValue(walletUrls) is { Length: > 0 } urls ? urls.Select(u => HttpUrl.Parse(u, "--wallet-url")).ToArray() : null,
                    SimulatorUrl = parse.GetValue(simulatorUrl) is { } su ? HttpUrl.Parse(su, "--simulator-url") : null,
                    SmsUrl = parse.GetValue(smsUrl) is { } sms ? HttpUrl.Parse(sms, "--sms-url") : null,
                    WalletHooks = parse.GetValue(walletHooks) is { Length: > 0 } hooks ? WalletHooks.ParseFlags(hooks) : null,
                    AllowRemote = parse.GetValue(allowRemote),
                    Shards = shard.Count,
                    Defects = parse.GetValue(defect) is { Length: > 0 } defects ? defects : null,
                };
                var (json, source) = PlanCatalog.Resolve(parse.GetValue(plan) ?? PlanCatalog.DefaultPlan);
                compiled = PlanCompiler.Compile(json, source, overrides);
                if (parse.GetValue(resetSimulator))
                {
                    SimulatorReset.CheckTarget(compiled);
                }

                if (parse.GetValue(dryRun))
                {
                    // What the run checks before it starts anything, then the plan as it would play.
                    var folder = parse.GetValue(reportDir);
                    ReportFolder.EnsureUsable(folder ?? "reports", folder is null ? "report folder" : "--report-dir");
                    rawOut?.EnsureNotOwnFile(PlanFile(source), folder);
                    rawOut?.EnsureWritable();
                    foreach (var line in PlanPreview.Lines(compiled, shard, folder, otlpUri, parse.GetValue(resetSimulator), rawOut))
                    {
                        await stdout.WriteLineAsync(line).ConfigureAwait(false);
                    }

                    return ExitCodes.AllClaimsHold;
                }

                // Before anything starts: a file that cannot be written, or one this run reads or writes itself, is bad
                // input, not a run lost at its end. The default report folder is new, so only --report-dir can clash.
                rawOut?.EnsureNotOwnFile(PlanFile(source), parse.GetValue(reportDir));
                rawOut?.EnsureWritable();
            }
            catch (PlanException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            try
            {
                var outcome = await PlanRunner.RunAsync(
                    compiled,
                    new RunOptions
                    {
                        ReportDir = parse.GetValue(reportDir), ShowProgress = !parse.GetValue(noProgress), ResetSimulator = parse.GetValue(resetSimulator), WalletClientFactory = cliOptions.WalletClientFactory, Shard = shard, Otlp = otlpUri, Out = rawOut,
                        Command = RunAgain.Of(parse.Tokens.Select(t => t.Value).ToArray(), compiled.Seed),
                    },
                    stdout,
                    ct).ConfigureAwait(false);
                FinalTable.Print(CreateConsole(stdout), outcome.Summary, outcome.ReportFolder);
                if (outcome.Aborted)
                {
                    await stderr.WriteLineAsync($"interrupted: the load stopped early; faults were reverted and the partial report is in {outcome.ReportFolder} (\"aborted\": true)").ConfigureAwait(false);
                    return ExitCodes.Interrupted;
                }

                if (outcome.NotAsWritten)
                {
                    await stderr.WriteLineAsync($"run failed, no verdict: {outcome.Summary.AbortReason}; the report is in {outcome.ReportFolder}").ConfigureAwait(false);
                    return ExitCodes.NotCompleted;
                }

                return outcome.Passed ? ExitCodes.AllClaimsHold : ExitCodes.ClaimFailed;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("interrupted before the load started: the target was stopped and no report was written").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }
            catch (PlanException ex)
            {
                await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }
            catch (RunSetupException ex)
            {
                await stderr.WriteLineAsync($"run failed, no verdict: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.NotCompleted;
            }
            catch (Exception ex) when (FromTheEnvironment(ex))
            {
                // Not the user's input: the run could not complete, which must never read as a pass nor as a red verdict.
                // Any other exception is a fault in the harness: CommandGuard prints it with its details, exit 3 too.
                await stderr.WriteLineAsync($"run failed, no verdict: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.NotCompleted;
            }
        });
        return run;
    }

    /// <summary>
    /// A disk, a network or a peer that failed (the message says which); its stack trace would only hide the one line.
    /// </summary>
    private static bool FromTheEnvironment(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or TimeoutException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException or Grpc.Core.RpcException;

    private static Command BuildPlans(TextWriter stdout, TextWriter stderr)
    {
        var plans = new Command("plans", "List the plans --plan NAME finds: the shipped ones, then those of ./plans/ in the current folder (said with their path; a shipped plan wins a name both have, and the file it hides is listed with how to run it; a file that is not a valid plan is listed as invalid, with why), each with its one-line description and the planted defects it promises to catch.");
        plans.SetAction(async (_, _) =>
        {
            var list = PlanCatalog.List();
            if (list.Count == 0)
            {
                await stderr.WriteLineAsync("error: no plans found (looked in: " + string.Join(", ", PlanCatalog.Directories()) + ")").ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            var hidden = PlanCatalog.Hidden().ToLookup(h => h.Name, h => h.File, StringComparer.Ordinal);
            var width = list.Keys.Max(k => k.Length);
            foreach (var (name, listed) in list)
            {
                foreach (var file in hidden[name].Prepend(listed))
                {
                    var shipped = PlanCatalog.IsShipped(file);
                    var description = await DescribeAsync(name, file, shipped).ConfigureAwait(false);

                    // A plan of the current folder's plans/ (not shipped) says where it comes from: --plan NAME runs it too,
                    // unless a shipped plan has its name, which --plan NAME runs instead.
                    var from = shipped ? string.Empty
                        : !ReferenceEquals(file, listed) ? $"  (from {file}, hidden by the shipped plan of that name; run it with --plan {file})"
                        : $"  (from {file})";
                    await stdout.WriteLineAsync($"{name.PadRight(width)}  {description}{from}").ConfigureAwait(false);
                }
            }

            return ExitCodes.AllClaimsHold;
        });
        return plans;
    }

    /// <summary>
    /// A plan's one-line description and promised defects, or why it is no plan: a current-folder plan is compiled as
    /// <c>run --dry-run</c> compiles it (nothing started, nothing written), so one that <c>run</c> would refuse is listed
    /// <c>(invalid: …)</c> with the first line of that refusal, never as if it ran.
    /// </summary>
    private static async Task<string> DescribeAsync(string name, string file, bool shipped)
    {
        try
        {
            var json = await File.ReadAllTextAsync(file, CancellationToken.None).ConfigureAwait(false);
            var doc = PlanCompiler.Read(json, name);
            if (!shipped)
            {
                _ = PlanCompiler.Compile(json, name);
            }

            var description = doc.Description ?? string.Empty;
            if (doc.Catches is { Count: > 0 } catches)
            {
                // The defect of each entry, string or {"defect", "by"}; `run --dry-run` shows the claims of each promise.
                description += $" [catches: {string.Join(", ", catches.Select(c => (c as JsonObject)?["defect"] ?? c).Select(c => c is JsonValue v && v.TryGetValue<string>(out var d) ? d : c?.ToJsonString()))}]";
            }

            return description;
        }
        catch (PlanException ex)
        {
            return "(invalid: " + ex.Message.Split('\n')[0].TrimEnd('\r') + ")";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"(unreadable: {ex.GetType().Name}: {ex.Message})";
        }
    }

    /// <summary>Colours on a terminal; plain text in CI logs, files and captured output.</summary>
    /// <summary>
    /// The terminal when there is one; otherwise plain text as wide as any line needs, because Spectre wraps at 80
    /// columns when it cannot ask a terminal, and a CI log must be able to grep a whole verdict line.
    /// </summary>
    internal static IAnsiConsole CreateConsole(TextWriter writer)
    {
        if (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is not ("true" or "1"))
        {
            return AnsiConsole.Console;
        }

        var plain = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        plain.Profile.Width = PlainWidth;
        return plain;
    }

    /// <summary>Columns of the plain console: no line the CLI prints comes near it, and tables still size to their content.</summary>
    internal const int PlainWidth = 100_000;

    /// <summary>The file a plan was read from: the --plan path, or a named plan's file in the catalog.</summary>
    private static string? PlanFile(string source) =>
        File.Exists(source) ? source : PlanCatalog.List().TryGetValue(source, out var path) ? path : null;

    private static double ParseDouble(string text, string field) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new PlanException($"{field}: \"{text}\" is not a number.");

    /// <summary>An OpenTelemetry collector's OTLP/HTTP port (the exporter speaks HTTP/protobuf, not gRPC's 4317).</summary>
    private const string OtlpExample = "http://localhost:4318";
}
