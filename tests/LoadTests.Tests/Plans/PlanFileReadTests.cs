using System.Diagnostics;
using PaySim.LoadTests.Cli;
using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Tests.Cli;

namespace PaySim.LoadTests.Tests.Plans;

/// <summary>
/// A plan file is read with bounds: a pipe with no writer and a device that never ends (/dev/zero) are one line and
/// exit 2, instead of a harness that hangs or fills its memory.
/// </summary>
public sealed class PlanFileReadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-planfile-").FullName;

    [Fact]
    public async Task A_pipe_with_no_writer_is_refused_after_the_timeout_instead_of_hanging()
    {
        var fifo = Path.Combine(_dir, "plan.json");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        try
        {
            var watch = Stopwatch.StartNew();
            var ex = Assert.Throws<PlanException>(() => PlanCatalog.ReadBounded(fifo, "--plan", TimeSpan.FromMilliseconds(300)));

            Assert.Equal($"--plan: \"{fifo}\" did not reach its end within 300ms (a pipe or a device?); give a plan .json file.", ex.Message);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        }
        finally
        {
            // Let the reader that is still blocked in open() finish: a writer comes and goes, the reader sees the end.
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }
        }
    }

    [Fact]
    public async Task A_device_that_never_ends_is_refused_at_the_size_limit_by_the_run()
    {
        var (code, stdout, stderr) = await CliRunner.RunAsync("run", "--dry-run", "--plan", "/dev/zero", "--report-dir", Path.Combine(_dir, "r"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: --plan: \"/dev/zero\" is more than 64 MiB; a plan is a JSON file of a few KB.", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(Path.Combine(_dir, "r")));
    }

    [Theory]
    [InlineData("/proc/self/mem", "error: --plan: \"/proc/self/mem\" cannot be read (Input/output error : '/proc/self/mem'); give a plan .json file.")]
    public async Task A_file_that_cannot_be_read_is_one_line_not_an_internal_error(string path, string expected)
    {
        // Before, the failed read surfaced as an AggregateException: "internal error" and a stack trace, exit 3.
        var (code, _, stderr) = await CliRunner.RunAsync("run", "--dry-run", "--plan", path, "--report-dir", Path.Combine(_dir, "r"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task A_plan_file_is_read_as_before_with_or_without_a_byte_order_mark()
    {
        var plain = Path.Combine(_dir, "a.json");
        var bom = Path.Combine(_dir, "b.json");
        const string json = """{"scenarios":[{"name":"payment","weight":1}],"rate":2,"description":"café"}""";
        await File.WriteAllTextAsync(plain, json, new System.Text.UTF8Encoding(false));
        await File.WriteAllTextAsync(bom, json, new System.Text.UTF8Encoding(true));

        Assert.Equal(json, PlanCatalog.ReadBounded(plain, "--plan"));
        Assert.Equal(json, PlanCatalog.ReadBounded(bom, "--plan"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
