namespace PaySim.LoadEngine.Tests;

public sealed class ResponseTests
{
    [Fact]
    public void StatusCodes_FromIntsAndStrings_ShareOneStringColumn()
    {
        Assert.Equal("200", Response.Ok(200).StatusCode);
        Assert.Equal("503", Response.Fail(503, "down").StatusCode);
        Assert.Equal("UNAVAILABLE", Response.Fail("UNAVAILABLE").StatusCode);
        Assert.Equal("51", Response.Fail("51", "insufficient funds").StatusCode);
        Assert.Equal("1200", Response.Ok(1200).StatusCode);
        Assert.Same(Response.Ok(200).StatusCode, Response.Ok(200).StatusCode);
    }

    [Fact]
    public void MissingCodes_AreCountedAsOkOrFail()
    {
        int? none = null;

        Assert.Equal("ok", Response.Ok().EffectiveStatusCode);
        Assert.Equal("ok", Response.Ok(none).EffectiveStatusCode);
        Assert.Equal("fail", Response.Fail().EffectiveStatusCode);
        Assert.Equal(42, Response.Ok(sizeBytes: 42).SizeBytes);
        Assert.True(Response.Fail().IsFail);
    }
}
