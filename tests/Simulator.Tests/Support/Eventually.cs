using Grpc.Core;

namespace PaySim.Simulator.Tests.Support;

internal static class Eventually
{
    /// <summary>Retries a call that fails with UNAVAILABLE (a channel still backing off) for up to 15 s.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms; false if it still does not hold after <paramref name="limit"/>.</summary>
    public static async Task<bool> WithinAsync(TimeSpan limit, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}
