using System.Text.RegularExpressions;

namespace PaySim.LoadTests.Tests.Deploy;

/// <summary>
/// deploy/k8s checked for the structure that breaks silently in a cluster: names, selectors that match
/// their pods, Service ports that reach a container port, the Indexed Job's shard arithmetic, images
/// that the docker/ folder builds, and URLs that name a Service and one of its ports.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string K8s = RepoPaths.Of("deploy", "k8s");

    private static readonly IReadOnlyList<(string File, Dictionary<string, object?> Doc)> Docs =
        Directory.GetFiles(K8s, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => Yaml.ParseDocuments(File.ReadAllText(f)).Select(d => (Path.GetFileName(f), d)))
            .ToArray();

    [Fact]
    public void EveryDocument_HasApiVersionKindAndName()
    {
        Assert.True(Docs.Count >= 10, $"only {Docs.Count} documents");
        Assert.All(Docs, d =>
        {
            Assert.False(string.IsNullOrEmpty(Yaml.Str(d.Doc, "apiVersion")), d.File);
            Assert.False(string.IsNullOrEmpty(Yaml.Str(d.Doc, "kind")), d.File);
            Assert.False(string.IsNullOrEmpty(Yaml.Str(d.Doc, "metadata.name")), d.File);
        });
    }

    [Fact]
    public void TheStack_HasADeploymentAndAServiceForSimulatorRedisAndWallet_AndAnIndexedJobForTheAgents()
    {
        foreach (var name in new[] { "simulator", "redis", "wallet" })
        {
            Assert.Single(Docs, d => Kind(d.Doc) == "Deployment" && Name(d.Doc) == name);
            Assert.Single(Docs, d => Kind(d.Doc) == "Service" && Name(d.Doc) == name);
        }

        Assert.Single(Docs, d => Kind(d.Doc) == "Job" && Name(d.Doc) == "load-agents");
    }

    [Fact]
    public void LoadAgents_AreAnIndexedJobWhoseShardCountEqualsItsCompletions()
    {
        var job = Docs.Single(d => Name(d.Doc) == "load-agents").Doc;
        var completions = int.Parse(Yaml.Str(job, "spec.completions")!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("Indexed", Yaml.Str(job, "spec.completionMode"));
        Assert.Equal(Yaml.Str(job, "spec.completions"), Yaml.Str(job, "spec.parallelism"));
        var agent = Containers(job).Single();
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), Env(agent, "SHARDS"));
        var command = Command(agent);
        Assert.Contains("--shard \"$((JOB_COMPLETION_INDEX+1))/$SHARDS\"", command, StringComparison.Ordinal);
        Assert.Contains("run", command, StringComparison.Ordinal);

        // The merge job must expect the same shards of the same plan.
        var merge = Docs.Single(d => Name(d.Doc) == "merge-reports").Doc;
        Assert.Equal(Env(agent, "SHARDS"), Env(Containers(merge).Single(), "SHARDS"));
        Assert.Equal(Env(agent, "PLAN"), Env(Containers(merge).Single(), "PLAN"));
        Assert.Contains("merge", Command(Containers(merge).Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAgentsCommand_IsAcceptedByTheCli_AsTheFirstPodRunsIt()
    {
        // The agent's shell command with the pod's values put in, checked by the real command line (--dry-run): a flag the
        // CLI refuses (the cluster's hosts without --allow-remote, a renamed flag) fails here, not in someone's cluster.
        var agent = Containers(Docs.Single(d => Name(d.Doc) == "load-agents").Doc).Single();
        var line = Command(agent);
        var run = line[(line.IndexOf("PaySim.LoadTests.dll", StringComparison.Ordinal) + "PaySim.LoadTests.dll".Length)..line.IndexOf(';', StringComparison.Ordinal)]
            .Replace("$((JOB_COMPLETION_INDEX+1))", "1", StringComparison.Ordinal)
            .Replace("$SHARDS", Env(agent, "SHARDS"), StringComparison.Ordinal)
            .Replace("$PLAN", Env(agent, "PLAN"), StringComparison.Ordinal)
            .Replace("$DURATION", Env(agent, "DURATION"), StringComparison.Ordinal)
            .Replace("\"", string.Empty, StringComparison.Ordinal);
        var args = run.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
        args[args.IndexOf("--report-dir") + 1] = Path.Combine(Path.GetTempPath(), "paysim-k8s-" + Guid.NewGuid().ToString("N"));

        var (code, output, err) = await Cli.CliRunner.RunAsync([.. args, "--dry-run"]);

        Assert.True(code == PaySim.LoadTests.Cli.ExitCodes.AllClaimsHold, $"`{string.Join(' ', args)} --dry-run` exited {code}: {err.Trim()}");
        Assert.Contains("http://wallet:8080", output, StringComparison.Ordinal);
        Assert.Contains("shard 1/", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryService_SelectsADeploymentsPods_AndTargetsOneOfItsContainerPorts()
    {
        foreach (var (file, service) in Docs.Where(d => Kind(d.Doc) == "Service"))
        {
            var selector = (Dictionary<string, object?>)Yaml.At(service, "spec.selector")!;
            var deployment = Docs.Where(d => Kind(d.Doc) == "Deployment")
                .SingleOrDefault(d => selector.All(kv => Yaml.Str(d.Doc, $"spec.template.metadata.labels.{kv.Key}") == (string?)kv.Value)).Doc;
            Assert.True(deployment is not null, $"{file}: service {Name(service)} selects no deployment");
            Assert.All(selector, kv => Assert.Equal(kv.Value, Yaml.At(deployment, $"spec.selector.matchLabels.{kv.Key}")));

            var containerPorts = Containers(deployment).SelectMany(c => Yaml.Maps(c, "ports")).Select(p => Yaml.Str(p, "containerPort")).ToHashSet();
            foreach (var port in Yaml.Maps(service, "spec.ports"))
            {
                Assert.Contains(Yaml.Str(port, "targetPort"), containerPorts);
            }
        }
    }

    [Fact]
    public void EveryPaySimImage_IsBuiltByADockerfileThatPublishesTheDllTheManifestRuns()
    {
        var images = Docs.SelectMany(d => Containers(d.Doc)).Select(c => Yaml.Str(c, "image")!).Where(i => i.StartsWith("paysim/", StringComparison.Ordinal)).Distinct().ToArray();

        Assert.Equal(["paysim/loadtests:dev", "paysim/simulator:dev", "paysim/wallet:dev"], images.Order(StringComparer.Ordinal));
        foreach (var image in images)
        {
            var name = image["paysim/".Length..image.IndexOf(':', StringComparison.Ordinal)];
            var dockerfile = RepoPaths.Of("docker", $"{name}.Dockerfile");
            Assert.True(File.Exists(dockerfile), dockerfile);
            var text = File.ReadAllText(dockerfile);
            Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
            Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
            var dll = DllOf().Match(text).Groups[1].Value;
            var project = ProjectOf().Match(text).Groups[1].Value;
            Assert.Equal($"PaySim.{project}", dll);
            Assert.True(File.Exists(RepoPaths.Of("src", project, $"{project}.csproj")), project);
            Assert.Contains(image, File.ReadAllText(dockerfile), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryInClusterUrl_NamesAServiceAndOneOfItsPorts()
    {
        var servicePorts = Docs.Where(d => Kind(d.Doc) == "Service")
            .ToDictionary(d => Name(d.Doc), d => Yaml.Maps(d.Doc, "spec.ports").Select(p => Yaml.Str(p, "port")).ToHashSet());
        var urls = Docs.SelectMany(d => Containers(d.Doc)).SelectMany(c => ((Yaml.At(c, "args") as List<object?>) ?? []).OfType<string>().Append(Command(c)))
            .SelectMany(text => InClusterUrl().Matches(text).Select(m => (Host: m.Groups[1].Value, Port: m.Groups[2].Value)))
            .ToArray();

        Assert.Contains(("wallet", "8080"), urls);
        Assert.Contains(("simulator", "7000"), urls);
        Assert.Contains(("simulator", "7101"), urls);
        Assert.All(urls, u =>
        {
            Assert.True(servicePorts.ContainsKey(u.Host), $"no service {u.Host}");
            Assert.Contains(u.Port, servicePorts[u.Host]);
        });
    }

    [Fact]
    public void TheWallet_NamesEveryPeerItCalls_InTheCluster_NotItsLocalhostDefaults()
    {
        // The wallet's defaults (--issuer http://localhost:7101…, --sms http://localhost:7201) are nothing inside a pod:
        // password resets would fail in-cluster and be blamed on the wallet.
        var wallet = Docs.SelectMany(d => Containers(d.Doc))
            .Select(c => ((Yaml.At(c, "args") as List<object?>) ?? []).OfType<string>().ToArray())
            .Single(args => args.Any(a => a.StartsWith("--issuer=", StringComparison.Ordinal)));

        Assert.Contains("--sms=http://simulator:7201", wallet);
        Assert.All(wallet.Where(a => a.Contains("://", StringComparison.Ordinal)), a => Assert.DoesNotContain("localhost", a, StringComparison.Ordinal));
    }

    [Fact]
    public void TheWalletPodsHaproxy_BalancesExactlyTheWalletContainersPorts_WithHealthChecks()
    {
        var cfg = HaproxyConfigFromConfigMap();
        var wallet = Docs.Single(d => Kind(d.Doc) == "Deployment" && Name(d.Doc) == "wallet").Doc;
        var walletPorts = Yaml.Maps(Containers(wallet).Single(c => Yaml.Str(c, "name") == "wallet"), "ports").Select(p => Yaml.Str(p, "containerPort")).Order(StringComparer.Ordinal);
        var servers = ServerPort().Matches(cfg).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);

        Assert.Equal(walletPorts, servers);
        Assert.Contains("option httpchk GET /health", cfg, StringComparison.Ordinal);
        Assert.Contains("bind :8080", cfg, StringComparison.Ordinal);
        Assert.Equal("/usr/local/etc/haproxy", Yaml.Str(Yaml.Maps(Containers(wallet).Single(c => Yaml.Str(c, "name") == "haproxy"), "volumeMounts").Single(), "mountPath"));
    }

    [ToolFact(ExternalTools.Haproxy)]
    public async Task TheWalletPodsHaproxyConfig_IsAcceptedByHaproxyCheck()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paysim-k8s-haproxy-{Guid.NewGuid():N}.cfg");
        try
        {
            await File.WriteAllTextAsync(file, HaproxyConfigFromConfigMap());
            var (code, output) = await HaproxyCheck.RunAsync(file);
            Assert.True(code == 0, output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TheSimulator_RunsTwoReplicasOnTheRedisStateStore_AtTheRedisServicesHostAndPort()
    {
        var sim = Docs.Single(d => Kind(d.Doc) == "Deployment" && Name(d.Doc) == "simulator").Doc;
        var args = ((List<object?>)Yaml.At(Containers(sim).Single(), "args")!).OfType<string>().ToArray();

        Assert.Equal("2", Yaml.Str(sim, "spec.replicas"));
        var state = Assert.Single(args, a => a.StartsWith("--state=", StringComparison.Ordinal));
        Assert.Equal("--state=redis://redis:6379", state);
        Assert.Single(args, a => a.StartsWith("--seed=", StringComparison.Ordinal));

        // The endpoint is the Service defined in redis.yaml, which selects the pods of the redis Deployment on Redis's port.
        var endpoint = new Uri(state["--state=".Length..]);
        var service = Docs.Single(d => Kind(d.Doc) == "Service" && Name(d.Doc) == endpoint.Host);
        Assert.Equal("redis.yaml", service.File);
        var port = Assert.Single(Yaml.Maps(service.Doc, "spec.ports"), p => Yaml.Str(p, "port") == endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var redis = Docs.Single(d => Kind(d.Doc) == "Deployment" && Name(d.Doc) == "redis").Doc;
        Assert.Equal(Yaml.Str(redis, "spec.template.metadata.labels.app"), Yaml.Str(service.Doc, "spec.selector.app"));
        Assert.Contains(Yaml.Str(port, "targetPort"), Containers(redis).SelectMany(c => Yaml.Maps(c, "ports")).Select(p => Yaml.Str(p, "containerPort")));

        // The pods wait for that same Redis before the simulator starts (it exits at start when Redis is unreachable).
        var wait = Assert.Single(Yaml.Maps(sim, "spec.template.spec.initContainers"));
        var waitCommand = string.Join(' ', ((List<object?>)Yaml.At(wait, "command")!).OfType<string>());
        Assert.Contains($"-h {endpoint.Host} -p {endpoint.Port}", waitCommand, StringComparison.Ordinal);
    }

    [Fact]
    public void TheKustomization_ListsOnlyFilesThatExist()
    {
        var kustomization = Docs.Single(d => d.File == "kustomization.yaml").Doc;
        var resources = ((List<object?>)Yaml.At(kustomization, "resources")!).OfType<string>().ToArray();

        Assert.Contains("load-agents.yaml", resources);
        Assert.All(resources, r => Assert.True(File.Exists(Path.Combine(K8s, r)), r));
    }

    [Fact]
    public void MiniYaml_ReadsNestedMapsListsAndBlockScalars()
    {
        var doc = Yaml.ParseDocuments("""
            a:
              b: "x # not a comment"  # a comment
              list:
                - name: one
                  port: 1
                - plain
              same:
              - s
              text: |
                line 1
                  line 2
              folded: >-
                x
                y
              empty: {}
            ---
            c: d
            """);

        Assert.Equal(2, doc.Count);
        Assert.Equal("x # not a comment", Yaml.Str(doc[0], "a.b"));
        Assert.Equal("1", Yaml.Str(Yaml.Maps(doc[0], "a.list").Single(), "port"));
        Assert.Equal("plain", ((List<object?>)Yaml.At(doc[0], "a.list")!)[1]);
        Assert.Equal("s", ((List<object?>)Yaml.At(doc[0], "a.same")!).Single());
        Assert.Equal("line 1\n  line 2\n", Yaml.Str(doc[0], "a.text"));
        Assert.Equal("x y", Yaml.Str(doc[0], "a.folded"));
        Assert.Empty((Dictionary<string, object?>)Yaml.At(doc[0], "a.empty")!);
        Assert.Equal("d", Yaml.Str(doc[1], "c"));
    }

    private static string Kind(Dictionary<string, object?> doc) => Yaml.Str(doc, "kind")!;

    private static string Name(Dictionary<string, object?> doc) => Yaml.Str(doc, "metadata.name")!;

    private static IEnumerable<Dictionary<string, object?>> Containers(Dictionary<string, object?> doc) =>
        Yaml.Maps(doc, "spec.template.spec.containers");

    private static string? Env(Dictionary<string, object?> container, string name) =>
        Yaml.Maps(container, "env").Where(e => Yaml.Str(e, "name") == name).Select(e => Yaml.Str(e, "value")).SingleOrDefault();

    private static string Command(Dictionary<string, object?> container) =>
        string.Join(' ', ((Yaml.At(container, "command") as List<object?>) ?? []).OfType<string>());

    private static string HaproxyConfigFromConfigMap() =>
        (string)((Dictionary<string, object?>)Yaml.At(Docs.Single(d => Kind(d.Doc) == "ConfigMap" && Name(d.Doc) == "wallet-haproxy").Doc, "data")!)["haproxy.cfg"]!;

    [GeneratedRegex(@"/app/(PaySim\.[A-Za-z]+)\.dll")]
    private static partial Regex DllOf();

    [GeneratedRegex(@"dotnet publish src/([A-Za-z]+)/")]
    private static partial Regex ProjectOf();

    [GeneratedRegex(@"https?://([a-z][a-z0-9-]*):(\d+)")]
    private static partial Regex InClusterUrl();

    [GeneratedRegex(@"server \S+ 127\.0\.0\.1:(\d+) check")]
    private static partial Regex ServerPort();
}
