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
}
