using Microsoft.Data.Sqlite;

namespace PaySim.Wallet.Storage;

/// <summary>
/// The SQLite file every instance of a host shares. WAL lets readers run beside the one writer; the
/// busy timeout makes concurrent writers from several instances wait instead of failing.
/// </summary>
internal sealed class WalletDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY,
            phone TEXT NOT NULL UNIQUE,
            name TEXT,
            password_hash TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            pin_failures INTEGER NOT NULL DEFAULT 0,
            pin_locked_until INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS login_attempts (
            phone TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            locked_until INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS password_resets (
            phone TEXT PRIMARY KEY,
            code_hash TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            failures INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS devices (
            user_id TEXT NOT NULL REFERENCES users(id),
            device_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (user_id, device_id));
        CREATE TABLE IF NOT EXISTS device_challenges (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            device_id TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            failures INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sessions (
            token_hash TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS bindings (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            issuer_binding_id TEXT,
            status TEXT NOT NULL,
            last4 TEXT NOT NULL,
            masked_phone TEXT,
            card_id TEXT,
            error_code TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS cards (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            card_token TEXT NOT NULL,
            last4 TEXT NOT NULL,
            network TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            binding_id TEXT);
        CREATE INDEX IF NOT EXISTS cards_by_user ON cards(user_id, created_at);
        CREATE TABLE IF NOT EXISTS payments (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users(id),
            idempotency_key TEXT NOT NULL,
            card_id TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            merchant TEXT NOT NULL,
            order_reference TEXT NOT NULL,
            status TEXT NOT NULL,
            authorization_id TEXT,
            error_code TEXT,
            error_message TEXT,
            error_status INTEGER,
            refunded_minor INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            release_pending INTEGER NOT NULL DEFAULT 0,
            challenge_id TEXT,
            challenge_phone TEXT,
            challenge_expires_at INTEGER,
            challenge_ttl_s INTEGER,
            challenge_otp TEXT,
            UNIQUE (user_id, idempotency_key));
        CREATE INDEX IF NOT EXISTS payments_by_user ON payments(user_id, created_at);
        CREATE TABLE IF NOT EXISTS refunds (
            id TEXT PRIMARY KEY,
            payment_id TEXT NOT NULL REFERENCES payments(id),
            user_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            status TEXT NOT NULL,
            issuer_refund_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (payment_id, idempotency_key));
        CREATE INDEX IF NOT EXISTS refunds_by_user ON refunds(user_id, created_at);
        CREATE INDEX IF NOT EXISTS refunds_by_status ON refunds(status, updated_at);
        CREATE TABLE IF NOT EXISTS notifications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            payment_id TEXT,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS notifications_by_user ON notifications(user_id, id);
        """;

    // Added after the first release: a file made by an older wallet gets them on start (CREATE TABLE IF NOT
    // EXISTS leaves an existing table as it is). Indexes on them come after.
    private static readonly (string Table, string Column, string Definition)[] AddedColumns =
    [
        ("cards", "binding_id", "TEXT"),
        ("payments", "release_pending", "INTEGER NOT NULL DEFAULT 0"),
        ("payments", "challenge_id", "TEXT"),
        ("payments", "challenge_phone", "TEXT"),
        ("payments", "challenge_expires_at", "INTEGER"),
        ("payments", "challenge_ttl_s", "INTEGER"),
        ("payments", "challenge_otp", "TEXT"),
    ];

    private const string IndexesOnAddedColumns = """
        CREATE UNIQUE INDEX IF NOT EXISTS cards_by_binding ON cards(binding_id);
        CREATE INDEX IF NOT EXISTS payments_by_status ON payments(status, updated_at);
        CREATE INDEX IF NOT EXISTS payments_to_release ON payments(release_pending, updated_at);
        """;

    private readonly string _connectionString;

    public WalletDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Creates the file and schema if missing and switches the file to WAL (a persistent setting).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        await wal.ExecuteScalarAsync(cancellationToken);
        await using var schema = connection.CreateCommand();
        schema.CommandText = Schema;
        await schema.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (table, column, definition) in AddedColumns)
        {
            await AddColumnIfMissingAsync(connection, table, column, definition, cancellationToken);
        }

        await using var indexes = connection.CreateCommand();
        indexes.CommandText = IndexesOnAddedColumns;
        await indexes.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task AddColumnIfMissingAsync(SqliteConnection connection, string table, string column, string definition, CancellationToken ct)
    {
        await using var info = connection.Command("SELECT COUNT(*) FROM pragma_table_info($t) WHERE name = $c", ("$t", table), ("$c", column));
        if ((long)(await info.ExecuteScalarAsync(ct))! > 0)
        {
            return;
        }

        try
        {
            await using var alter = connection.Command($"ALTER TABLE {table} ADD COLUMN {column} {definition}");
            await alter.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException e) when (e.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase))
        {
            // Another instance starting on the same file added it first.
        }
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commits.
        pragmas.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Releases this file's pooled handles so it can be deleted or reopened by a new host.</summary>
    public void ReleasePooledConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }
}
