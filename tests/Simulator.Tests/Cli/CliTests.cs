using System.Text;
using System.Text.Json;
using PaySim.Simulator.Cli;
using PaySim.Simulator.Tests.Support;

namespace PaySim.Simulator.Tests.Cli;

public sealed class CliTests
{
    [Theory]
    [InlineData("--bogus")]
    [InlineData("--nodes", "many")]
    [InlineData("cardholders", "--format", "xml")]
    [InlineData("cardholders", "--persona", "nobody")]
    [InlineData("cardholders", "--count", "100000001")]
    public async Task BadFlag_ExitsWithCode2_AndOneLine(params string[] args)
    {
        var (code, _, err) = await Run(args);

        Assert.Equal(2, code);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", err);
    }

    [Fact]
    public async Task BadOptionValue_ExitsWithCode2_NamingTheField()
    {
        var (code, _, err) = await Run("serve", "--nodes", "0", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0");

        Assert.Equal(2, code);
        Assert.Contains("--nodes: must be 1..", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("--control-port 65535", "error: --control-port: must be 0..65534, 0 = ephemeral; its gRPC port is this + 1 (was 65535)")]
    [InlineData("--control-port -1", "error: --control-port: must be 0..65534, 0 = ephemeral; its gRPC port is this + 1 (was -1)")]
    [InlineData("--control-port 70000", "error: --control-port: must be 0..65534, 0 = ephemeral; its gRPC port is this + 1 (was 70000)")]
    [InlineData("--max-active-faults 1000001", "error: --max-active-faults: must be 1..1000000, or left out for no limit (was 1000001)")]
    [InlineData("--max-active-faults 0", "error: --max-active-faults: must be 1..1000000, or left out for no limit (was 0)")]
    [InlineData("--bind localhost", "error: --bind: must be an IP address such as 127.0.0.1 or 0.0.0.0 (was 'localhost')")]
    [InlineData("--control-token x --nodes 40", "error: --nodes: must be 1..32 (was 40)")]
    [InlineData("--fault-seed -5", "error: --fault-seed: \"-5\" is less than 0 (see --help)")]
    [InlineData("--max-active-faults many", "error: --max-active-faults: \"many\" is not a whole number (see --help)")]
    [InlineData("--seed abc", "error: --seed: \"abc\" is not a whole number (see --help)")]
    [InlineData("--nodes 99999999999", "error: --nodes: \"99999999999\" is more than 32 (see --help)")]
    [InlineData("--bind 192.0.2.1", "error: --bind: cannot listen on 192.0.2.1: Cannot assign requested address")]
    public async Task BadServeFlag_IsExit2_WithOneLineNamingTheFlag(string flags, string expected)
    {
        var defaults = flags.Contains("--control-port", StringComparison.Ordinal) ? "--issuer-port 0 --sms-port 0" : "--issuer-port 0 --sms-port 0 --control-port 0";
        var (code, _, err) = await Run(["serve", .. (defaults + " " + flags).Split(' ')]);

        Assert.Equal(2, code);
        Assert.Equal(expected, err.TrimEnd('\n'));
    }

    [Fact]
    public async Task ServeRiskEmpty_IsOneLineAndExit2_NotAnInternalError()
    {
        var (code, _, err) = await Run("serve", "--issuer-port", "0", "--sms-port", "0", "--control-port", "0", "--risk", "");

        Assert.Equal(2, code);
        Assert.Equal("error: --risk: a file name is required; give a risk rules .json file", err.TrimEnd('\n'));
    }

    // A refused base value (--nodes 33, --issuer-port 65536) is the only error: no port clashes or ranges derived from it.
    [Theory]
    [InlineData("--issuer-port 7641 --sms-port 7651 --control-port 7660 --nodes 33", "error: --nodes: must be 1..32 (was 33)")]
    [InlineData("--issuer-port 65536 --sms-port 7651 --control-port 7660", "error: --issuer-port: must be 0..65535, 0 = ephemeral (was 65536)")]
    [InlineData("--issuer-port 65535 --sms-port 7651 --control-port 7660", "error: --issuer-port: 65535 + 3 nodes runs past port 65535; allowed 0..65533")]
    [InlineData("--issuer-port 7641 --sms-port 7642 --control-port 7660", "error: port 7642 is used twice (issuer-2, --sms-port); every port must differ")]
    public async Task DerivedPortChecks_RunOnlyOnValidBaseValues(string flags, string expected)
    {
        var (code, _, err) = await Run(["serve", .. flags.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Equal(expected, err.TrimEnd('\n'));
    }

    [Fact]
    public async Task Serve_WithAPortInUse_ExitsWithCode2_AndOneLine()
    {
        await using var sim = await TestSimulator.StartAsync(TestSimulator.EphemeralOptions(nodes: 1));
        var used = sim.Host.ControlUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, _, err) = await Run("serve", "--nodes", "1", "--issuer-port", "0", "--sms-port", "0", "--control-port", used);

        Assert.Equal(2, code);
        Assert.Equal($"error: port {used} (control) is already in use on 127.0.0.1; choose another port", err.TrimEnd('\n'));
    }

    [Fact]
    public async Task Help_DescribesEveryServeFlag_AndExitsZero()
    {
        var (code, output, _) = await Run("--help");

        Assert.Equal(0, code);
        foreach (var flag in new[] { "--nodes", "--issuer-port", "--sms-port", "--control-port", "--seed", "--cardholders", "serve", "cardholders" })
        {
            Assert.Contains(flag, output);
        }
    }

    [Fact]
    public async Task CardholdersCsv_IsByteIdenticalForASeed_AndDiffersForAnother()
    {
        var a = await Export("cardholders", "--count", "300", "--seed", "5", "--format", "csv");
        var b = await Export("cardholders", "--count", "300", "--seed", "5", "--format", "csv");
        var c = await Export("cardholders", "--count", "300", "--seed", "6", "--format", "csv");

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var lines = Encoding.UTF8.GetString(a).TrimEnd('\n').Split('\n');
        Assert.Equal(301, lines.Length);
        Assert.StartsWith("index,pan,network,expiry,cvv,holder_name", lines[0]);
    }

    [Fact]
    public async Task CardholdersJson_IsDeterministic_AndHonoursPersonaAndLocale()
    {
        var a = await Export("cardholders", "--count", "40", "--seed", "9", "--format", "json", "--persona", "id-mismatch", "--locale", "zh_CN");
        var b = await Export("cardholders", "--count", "40", "--seed", "9", "--format", "json", "--persona", "id-mismatch", "--locale", "zh_CN");

        Assert.Equal(a, b);
        using var doc = JsonDocument.Parse(a);
        var list = doc.RootElement.GetProperty("cardholders").EnumerateArray().ToList();
        Assert.Equal(40, list.Count);
        Assert.All(list, c =>
        {
            Assert.Equal("id-mismatch", c.GetProperty("persona").GetString());
            Assert.Equal("zh_CN", c.GetProperty("locale").GetString());
        });

        using var magic = JsonDocument.Parse(await Export("cardholders", "--persona", "magic", "--format", "json"));
        Assert.Equal(9, magic.RootElement.GetProperty("cardholders").GetArrayLength());
    }

    [Theory]
    [InlineData("csv", null, null, 9_000)]
    [InlineData("json", null, null, 9_000)]
    [InlineData("csv", "low-balance", "en", 300)]
    [InlineData("json", "slow-sms", null, 200)]
    [InlineData("csv", null, null, 0)]
    [InlineData("json", null, null, 0)]
    public async Task TheParallelExport_WritesTheBytes_OfTheOneCardAtATimeExport(string format, string? persona, string? locale, int count)
    {
        var args = new List<string> { "cardholders", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "3", "--format", format };
        if (persona is not null)
        {
            args.AddRange(["--persona", persona]);
        }

        if (locale is not null)
        {
            args.AddRange(["--locale", locale]);
        }

        var parallel = await Export([.. args]);
        var rows = CliApp.Select(3, 0.7, count, locale, persona).ToList();
        Assert.Equal(count, rows.Count);
        byte[] expected;
        if (format == "json")
        {
            using var stream = new MemoryStream();
            PaySim.Simulator.Cardholders.CardholderExport.WriteJson(stream, rows);
            expected = stream.ToArray();
            using var doc = JsonDocument.Parse(parallel);
            Assert.Equal(count, doc.RootElement.GetProperty("cardholders").GetArrayLength());
        }
        else
        {
            var writer = new StringWriter();
            PaySim.Simulator.Cardholders.CardholderExport.WriteCsv(writer, rows);
            expected = new UTF8Encoding(false).GetBytes(writer.ToString());
            Assert.Equal(count + 1, Encoding.UTF8.GetString(parallel).Count(c => c == '\n'));
        }

        Assert.Equal(expected, parallel);
    }

    // The standalone simulator's cardholders have no risk persona (weight 0): a filter on one ends at once with no rows
    // and says why, instead of scanning up to 100,000,000 cards for minutes (the same for a locale --zh-cn-share rules out).
    [Theory]
    [InlineData("csv", "--persona", "risk-flagged", "note: --persona risk-flagged: the generator makes no risk-flagged cardholders (its weight is 0), so none are written; it makes healthy, low-balance, expired, blocked, phone-mismatch, id-mismatch, name-mismatch, sms-unreachable, slow-sms, and --persona magic lists the magic cards")]
    [InlineData("json", "--persona", "frequent-payer", "note: --persona frequent-payer: the generator makes no frequent-payer cardholders")]
    [InlineData("csv", "--locale", "en", "note: --locale en: --zh-cn-share 1 makes no en cardholders, so none are written")]
    public async Task CardholdersFilter_NoCardCanMatch_EndsAtOnceWithNoRows(string format, string flag, string value, string note)
    {
        using var stream = new MemoryStream();
        var error = new StringWriter();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var code = await CliApp.RunAsync(["cardholders", "--count", "100000", "--format", format, flag, value, .. flag == "--locale" ? new[] { "--zh-cn-share", "1" } : []], new StringWriter(), error, stream);

        Assert.Equal(0, code);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.StartsWith(note, error.ToString());
        Assert.Single(error.ToString().TrimEnd('\n').Split('\n'));
        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(format == "json" ? "{\"cardholders\":[]}" : string.Join(',', PaySim.Simulator.Cardholders.CardholderExport.Columns) + "\n", text.Replace("\r\n", "\n"));
    }

    // The magic cards are a fixed list, all zh_CN: --locale en finds none, and says so in the same kind of line as a
    // persona the generator never makes (exit 0, the empty list), not a bare CSV header.
    [Theory]
    [InlineData("csv", true)]
    [InlineData("json", true)]
    [InlineData("csv", false)]
    public async Task CardholdersMagic_WithALocaleNoMagicCardHas_SaysSoAndWritesNoRows(string format, bool toStream)
    {
        using var stream = new MemoryStream();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["cardholders", "--persona", "magic", "--locale", "EN", "--format", format], output, error, toStream ? stream : null);

        Assert.Equal(0, code);
        Assert.Equal(
            "note: --persona magic --locale en: magic cardholders exist only for zh_CN, so none are written; drop --locale or give --locale zh_CN\n",
            error.ToString().Replace("\r\n", "\n"));
        var text = (toStream ? Encoding.UTF8.GetString(stream.ToArray()) : output.ToString()).Replace("\r\n", "\n");
        Assert.Equal(format == "json" ? "{\"cardholders\":[]}" : string.Join(',', PaySim.Simulator.Cardholders.CardholderExport.Columns) + "\n", text);
    }

    [Fact]
    public async Task CardholdersMagic_WithZhCn_WritesTheMagicCards_WithNoNote()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["cardholders", "--persona", "magic", "--locale", "zh_CN"], output, error, null);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error.ToString());
        Assert.Equal(PaySim.Simulator.Cardholders.MagicCards.All.Count + 1, output.ToString().Count(c => c == '\n'));
    }

    // A filter rarer than one card in 1,000 ends its bounded scan (count × 1,000 + 10,000 cards) before --count rows:
    // it writes what it found and says so in one line, exit 0 like the note of a persona never made. Both writers
    // (the parallel one to a stream, the one-card-at-a-time one to a text writer) say the same.
    [Theory]
    [InlineData(true, new[] { "--locale", "en", "--zh-cn-share", "0.9999", "--count", "100" }, "note: wrote 5 of 100 cardholders: only 5 of the first 110,000 generated match --locale en with --zh-cn-share 0.9999 (the scan stops at --count × 1,000 + 10,000 cards); lower --zh-cn-share or drop a filter")]
    [InlineData(false, new[] { "--locale", "en", "--zh-cn-share", "0.9999", "--count", "100" }, "note: wrote 5 of 100 cardholders: only 5 of the first 110,000 generated match --locale en with --zh-cn-share 0.9999 (the scan stops at --count × 1,000 + 10,000 cards); lower --zh-cn-share or drop a filter")]
    [InlineData(true, new[] { "--persona", "sms-unreachable", "--locale", "en", "--zh-cn-share", "0.999", "--count", "50" }, "note: wrote 0 of 50 cardholders: only 0 of the first 60,000 generated match --persona sms-unreachable --locale en with --zh-cn-share 0.999 (the scan stops at --count × 1,000 + 10,000 cards); lower --zh-cn-share or drop a filter")]
    [InlineData(false, new[] { "--locale", "zh_CN", "--zh-cn-share", "0.0001", "--count", "100", "--format", "json" }, "note: wrote ")]
    public async Task CardholdersFilter_RarerThanTheScan_WritesWhatItFound_AndSaysSo(bool parallel, string[] flags, string note)
    {
        using var stream = new MemoryStream();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliApp.RunAsync(["cardholders", .. flags], output, error, parallel ? stream : null);

        Assert.Equal(0, code);
        var err = error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.StartsWith(note, err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        var text = parallel ? Encoding.UTF8.GetString(stream.ToArray()) : output.ToString();
        if (note.Contains(" of 100 cardholders: only 5 ", StringComparison.Ordinal))
        {
            Assert.Equal(5 + 1, text.Replace("\r\n", "\n", StringComparison.Ordinal).Count(c => c == '\n'));
        }
    }

    [Fact]
    public async Task CardholdersFilter_ThatFindsEveryRow_PrintsNoNote()
    {
        var (code, _, err) = await Run("cardholders", "--locale", "en", "--persona", "slow-sms", "--count", "200");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
    }

    // --locale and --format take any letter case, as --persona and the control plane's ?locale= do.
    [Fact]
    public async Task CardholdersLocaleAndFormat_IgnoreLetterCase()
    {
        var upper = await Export("cardholders", "--count", "30", "--seed", "4", "--format", "JSON", "--locale", "EN");
        var lower = await Export("cardholders", "--count", "30", "--seed", "4", "--format", "json", "--locale", "en");
        var csv = await Export("cardholders", "--count", "5", "--format", "Csv", "--locale", "ZH_cn");

        Assert.Equal(lower, upper);
        Assert.Equal(30, JsonDocument.Parse(upper).RootElement.GetProperty("cardholders").GetArrayLength());
        Assert.StartsWith("index,pan,", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
        Assert.Contains(",zh_CN,", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CardholdersExport_ObservesCancellation()
    {
        using var stream = new MemoryStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();

        // slow-sms is 3 % of cards: 100,000,000 of them would scan every index, minutes of CPU.
        var code = await CliApp.RunAsync(["cardholders", "--count", "100000000", "--persona", "slow-sms"], new StringWriter(), new StringWriter(), stream, cts.Token);

        Assert.Equal(130, code);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public void StopNotice_NamesTheExportForCardholders_AndTheSimulatorOtherwise()
    {
        Assert.Equal("stopping the export (Ctrl+C again to quit at once)", CliApp.StopNotice(["cardholders", "--count", "5"]));
        Assert.Equal("stopping the simulator (Ctrl+C again to quit at once)", CliApp.StopNotice(["serve", "--nodes", "1"]));
        Assert.Equal("stopping the simulator (Ctrl+C again to quit at once)", CliApp.StopNotice([]));
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var code = await CliApp.RunAsync(args, output, error, new MemoryStream(), cts.Token);
        return (code, output.ToString(), error.ToString().Replace("\r\n", "\n"));
    }

    private static async Task<byte[]> Export(params string[] args)
    {
        using var stream = new MemoryStream();
        var code = await CliApp.RunAsync(args, new StringWriter(), new StringWriter(), stream);
        Assert.Equal(0, code);
        return stream.ToArray();
    }
}
