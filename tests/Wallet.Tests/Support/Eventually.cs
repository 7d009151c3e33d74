namespace PaySim.Wallet.Tests.Support;

internal static class Eventually
{
    /// <summary>Polls <paramref name="probe"/> every 50 ms until <paramref name="done"/> holds or <paramref name="limit"/> passes; returns the last value.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
