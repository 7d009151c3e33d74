using PaySim.LoadTests.Plans;
using PaySim.LoadTests.Reporting;

namespace PaySim.LoadTests.Tests.Reporting;

public sealed class OutTargetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("paysim-out-").FullName;

    [Theory]
    [InlineData("json=results.json", "results.json", false)]
    [InlineData("json=/tmp/x/results.json.gz", "/tmp/x/results.json.gz", true)]
    [InlineData("json=a=b.json", "a=b.json", false)]
    public void Parse_JsonEqualsPath_GzSuffixCompresses(string text, string path, bool gzip) =>
        Assert.Equal(new OutTarget(path, gzip), OutTarget.Parse(text));

    [Theory]
    [InlineData("csv=x.csv", "\"csv\" is no output")]
    [InlineData("json", "\"json\" names no file")]
    [InlineData("json=", "names no file")]
    [InlineData("json= ", "names no file")]
    [InlineData("", "an empty value")]
    [InlineData("results.json", "is no output")]
    [InlineData("JSON=x", "is no output")]
    public void Parse_Refuses_NamingTheFlagAndWhatItAllows(string text, string why)
    {
        var ex = Assert.Throws<PlanException>(() => OutTarget.Parse(text));
        Assert.StartsWith("--out: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("json=PATH", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void EnsureWritable_MissingFolder_IsRefusedAndCreatesNothing()
    {
        var path = Path.Combine(_dir, "missing", "r.json");
        var ex = Assert.Throws<PlanException>(() => new OutTarget(path, false).EnsureWritable());
        Assert.StartsWith("--out: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void EnsureWritable_AFolder_IsRefused()
    {
        var ex = Assert.Throws<PlanException>(() => new OutTarget(_dir, false).EnsureWritable());
        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureWritable_AWritableFolder_PassesAndLeavesNothingBehind()
    {
        new OutTarget(Path.Combine(_dir, "r.json"), false).EnsureWritable();
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void EnsureWritable_AnExistingFile_IsKeptUntouchedUntilTheRun()
    {
        var path = Path.Combine(_dir, "r.json");
        File.WriteAllText(path, "old");
        new OutTarget(path, false).EnsureWritable();
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void EnsureWritable_AFolderThatTakesNoFiles_IsRefused()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // needs /proc, where nobody (root included) creates files
        }

        var ex = Assert.Throws<PlanException>(() => new OutTarget("/proc/paysim-out.json", false).EnsureWritable());
        Assert.StartsWith("--out: \"/proc/paysim-out.json\" is not writable (", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/proc/paysim-out.json"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
