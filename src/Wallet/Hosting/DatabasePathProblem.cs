using Microsoft.Data.Sqlite;
using PaySim.Wallet.Configuration;

namespace PaySim.Wallet.Hosting;

/// <summary>
/// Turns what opening the SQLite file threw into one line naming the option and the flag (a user error,
/// exit code 2), instead of a stack trace.
/// </summary>
internal static class DatabasePathProblem
{
    private const int ReadOnly = 8;
    private const int Corrupt = 11;
    private const int CannotOpen = 14;
    private const int NotADatabase = 26;

    public static bool IsUserError(Exception e) => e is SqliteException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    public static WalletOptionsException Describe(string path, Exception e)
    {
        var what = "databasePath (--db) '" + path + "'";
        var line = e switch
        {
            _ when Directory.Exists(path) => $"{what} is a directory; give a file inside it, e.g. {Path.Combine(path, WalletDefaults.DatabasePath)}",
            _ when FileAbove(path) is { } file => $"{what} cannot be created: '{file}' is a file, not a folder",
            SqliteException { SqliteErrorCode: NotADatabase or Corrupt } => $"{what} is not a SQLite database (give a wallet database or a new file)",
            SqliteException { SqliteErrorCode: ReadOnly } => $"{what} is read-only; the wallet writes to it",
            SqliteException { SqliteErrorCode: CannotOpen } => $"{what} cannot be opened for writing (does its folder exist and is it writable?)",
            SqliteException s => $"{what} cannot be used: {FirstLine(s.Message)}",
            _ => $"{what} cannot be created: {FirstLine(e.Message)}",
        };
        return new WalletOptionsException([line]);
    }

    // A folder on the way that is in fact a file: the path can never be created.
    private static string? FileAbove(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return null;
        }

        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                return dir;
            }
        }

        return null;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
