namespace PaySim.LoadTests.Tests.EndToEnd;

/// <summary><c>--out json=PATH.gz</c>: the same lines, gzip-compressed; in the second lane beside the plain run.</summary>
[Collection(EndToEndSecondLane.Name)]
public sealed class OutJsonGzipRunTests
{
    [Fact]
    public async Task Run_WithOutJsonGz_WritesTheSameShapeGzipCompressed()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paysim-out-{Guid.NewGuid():N}.json.gz");
        var run = await ShortRun.RunForAsync("smoke", "5s", "--out", "json=" + file);
        try
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal([0x1f, 0x8b], bytes[..2]);
            OutJsonRunTests.AssertFileMatchesReport(run, file, gzip: true);
        }
        finally
        {
            run.Delete();
            File.Delete(file);
        }
    }
}
