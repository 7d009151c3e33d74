using Grpc.Core;
using PaySim.Simulator.Calls;
using PaySim.Simulator.Tests.Support;
using StackExchange.Redis;
using Xunit;

namespace PaySim.Simulator.Tests.Calls;

public sealed class ExceptionStatusInterceptorTests
{
    public static TheoryData<Exception, StatusCode> Cases => new()
    {
        { new InvalidOperationException("card state changed"), StatusCode.FailedPrecondition },
        { new ArgumentException("bad amount"), StatusCode.InvalidArgument },
        { new FormatException("bad pan"), StatusCode.InvalidArgument },
        { new OverflowException("too big"), StatusCode.InvalidArgument },
        { new KeyNotFoundException("no card"), StatusCode.NotFound },
        { new TimeoutException("idempotency key still being processed"), StatusCode.Unavailable },
        { new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "redis down", null, CommandStatus.Unknown), StatusCode.Unavailable },
        { new ObjectDisposedException("store"), StatusCode.Unavailable },
        { new OperationCanceledException(), StatusCode.Unavailable },
        { new NullReferenceException(), StatusCode.Internal },
        { new Exception("anything else"), StatusCode.Internal },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_unary_handler_exception_leaves_as_a_named_status_never_unknown(Exception thrown, StatusCode expected)
    {
        var interceptor = new ExceptionStatusInterceptor();
        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>(
            "req", new FakeServerCallContext("/paysim.issuer.v1.Issuer/Authorize"), (_, _) => throw thrown));

        Assert.Equal(expected, ex.StatusCode);
        Assert.NotEqual(StatusCode.Unknown, ex.StatusCode);
        Assert.StartsWith($"simulator: {thrown.GetType().Name}: ", ex.Status.Detail);
        Assert.DoesNotContain('\n', ex.Status.Detail);
    }

    [Fact]
    public async Task An_async_failure_is_mapped_too()
    {
        var interceptor = new ExceptionStatusInterceptor();
        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>(
            "req", new FakeServerCallContext("/m"), async (_, _) =>
            {
                await Task.Yield();
                throw new InvalidOperationException("late");
            }));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("simulator: InvalidOperationException: late", ex.Status.Detail);
    }

    [Fact]
    public async Task A_cancelled_call_is_cancelled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var interceptor = new ExceptionStatusInterceptor();
        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>(
            "req", new FakeServerCallContext("/m", cts.Token), (_, _) => throw new OperationCanceledException(cts.Token)));

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task RpcExceptions_pass_through_untouched()
    {
        var interceptor = new ExceptionStatusInterceptor();
        var original = new RpcException(new Status(StatusCode.ResourceExhausted, "capacity"));
        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>(
            "req", new FakeServerCallContext("/m"), (_, _) => throw original));

        Assert.Same(original, ex);
    }

    [Fact]
    public async Task A_streaming_handler_exception_is_mapped()
    {
        var interceptor = new ExceptionStatusInterceptor();
        var ex = await Assert.ThrowsAsync<RpcException>(() => interceptor.ServerStreamingServerHandler<string, string>(
            "req", null!, new FakeServerCallContext("/m"), (_, _, _) => throw new KeyNotFoundException("no inbox")));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public void A_long_message_is_cut_to_one_bounded_line()
    {
        var ex = ExceptionStatusInterceptor.ToRpc(new Exception(new string('x', 5000) + "\nsecond line"), false);

        Assert.Equal(ExceptionStatusInterceptor.MaxDetail, ex.Status.Detail.Length);
        Assert.EndsWith("…", ex.Status.Detail);
    }
}
