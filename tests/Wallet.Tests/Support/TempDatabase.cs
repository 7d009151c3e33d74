namespace PaySim.Wallet.Tests.Support;

/// <summary>A SQLite path in a fresh temp folder, deleted with the folder afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "paysim-wallet-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_dir);
        Path = System.IO.Path.Combine(_dir, "wallet.db");
    }

    public string Path { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
