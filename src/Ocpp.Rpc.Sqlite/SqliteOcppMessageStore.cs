using Microsoft.Data.Sqlite;
using Ocpp.Rpc.Client;

namespace Ocpp.Rpc.Sqlite;

/// <summary>
/// A durable <see cref="IOcppMessageStore"/> in one SQLite file: WAL journal, one transaction per enqueue and per
/// answer, so a crash at any point leaves every message either queued or completed. The file is held exclusively
/// (<c>locking_mode=EXCLUSIVE</c>) while the store is open: a second process or store on it fails at open with
/// <see cref="OcppMessageStoreFailure.Locked"/>, and a damaged file with <see cref="OcppMessageStoreFailure.Corrupted"/>,
/// never by silently starting an empty queue.
/// </summary>
/// <remarks>
/// Calls run synchronously under one lock (SQLite's API is synchronous; a commit in WAL mode takes tens of
/// microseconds without <see cref="SqliteMessageStoreOptions.FlushEveryCommit"/>). Dispose it after the client.
/// </remarks>
public sealed class SqliteOcppMessageStore : IOcppMessageStore, IDisposable, IAsyncDisposable
{
    private const int SchemaVersion = 1;
    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteMessageStoreOptions _options;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _setAttempts;
    private readonly SqliteCommand _complete;
    private readonly SqliteCommand _prune;
    private readonly SqliteCommand _result;
    private bool _disposed;

    private SqliteOcppMessageStore(string path, SqliteConnection connection, SqliteMessageStoreOptions options)
    {
        FilePath = path;
        _connection = connection;
        _options = options;
        _insert = Prepare("INSERT INTO ocpp_messages (message_id, action, payload) VALUES ($message_id, $action, $payload) RETURNING id", "$message_id", "$action", "$payload");
        _setAttempts = Prepare("UPDATE ocpp_messages SET attempts = $attempts WHERE id = $id AND status = 0", "$attempts", "$id");
        _complete = Prepare(
            "UPDATE ocpp_messages SET status = $status, response = $response, error_code = $error_code, error_description = $error_description, attempts = $attempts, completed_at = $completed_at WHERE id = $id AND status = 0",
            "$status", "$response", "$error_code", "$error_description", "$attempts", "$completed_at", "$id");
        _prune = Prepare("DELETE FROM ocpp_messages WHERE status <> 0 AND id <= $below", "$below");
        _result = Prepare("SELECT id, message_id, action, status, response, error_code, error_description, attempts, completed_at FROM ocpp_messages WHERE id = $id AND status <> 0", "$id");
    }

    /// <summary>The store file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Opens (or creates) the store file, takes it exclusively, recovers its WAL after a crash, and checks it.
    /// </summary>
    /// <param name="path">The file, e.g. <c>/var/lib/station/ocpp-queue.db</c>; its folder must exist.</param>
    /// <param name="options">Durability, busy timeout, retention; <see cref="SqliteMessageStoreOptions.Default"/> when null.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="OcppMessageStoreException">
    /// The file is held by another process or store (<see cref="OcppMessageStoreFailure.Locked"/>), is not a store or
    /// is damaged (<see cref="OcppMessageStoreFailure.Corrupted"/>), or cannot be opened or has a newer schema
    /// (<see cref="OcppMessageStoreFailure.Unavailable"/>).
    /// </exception>
    public static SqliteOcppMessageStore Open(string path, SqliteMessageStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= SqliteMessageStoreOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.RetainedResults, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BusyTimeout, TimeSpan.Zero, nameof(options));
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // Closing must release the file (and its exclusive lock) at once.
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}");
            Execute(connection, "PRAGMA locking_mode = EXCLUSIVE");
            string? mode = Scalar(connection, "PRAGMA journal_mode = WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new OcppMessageStoreException(OcppMessageStoreFailure.Unavailable, $"The message store {path} could not switch to WAL journaling (journal mode: {mode}).");
            }

            Execute(connection, options.FlushEveryCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            using (SqliteTransaction transaction = connection.BeginTransaction(deferred: false))
            {
                long version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version", transaction), System.Globalization.CultureInfo.InvariantCulture);
                if (version == 0)
                {
                    EnsureEmptyOrOurs(connection, transaction, path);
                    Execute(connection, Schema, transaction);
                    Execute(connection, $"PRAGMA user_version = {SchemaVersion}", transaction);
                }
                else if (version != SchemaVersion)
                {
                    throw new OcppMessageStoreException(OcppMessageStoreFailure.Unavailable, $"The message store {path} has schema version {version}; this library reads version {SchemaVersion}. Nothing was changed.");
                }

                transaction.Commit();
            }

            if (options.CheckIntegrityOnOpen && Scalar(connection, "PRAGMA quick_check") is string check && !string.Equals(check, "ok", StringComparison.Ordinal))
            {
                throw new OcppMessageStoreException(OcppMessageStoreFailure.Corrupted, $"The message store {path} is damaged (quick_check: {check}). Nothing was changed; move the file away to start an empty queue.");
            }

            return new SqliteOcppMessageStore(path, connection, options);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw Map(ex, path, "open");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OcppStoredMessage>> LoadPendingAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using SqliteCommand command = _connection.CreateCommand();
                command.CommandText = "SELECT id, message_id, action, payload, attempts FROM ocpp_messages WHERE status = 0 ORDER BY id";
                using SqliteDataReader reader = command.ExecuteReader();
                var messages = new List<OcppStoredMessage>();
                while (reader.Read())
                {
                    messages.Add(new OcppStoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetInt32(4)));
                }

                return ValueTask.FromResult<IReadOnlyList<OcppStoredMessage>>(messages);
            }
            catch (SqliteException ex)
            {
                throw Map(ex, FilePath, "read the queue of");
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<OcppStoredMessage> EnqueueAsync(string messageId, string action, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(action);
        byte[] bytes = payload.ToArray();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _insert.Parameters[0].Value = messageId;
                _insert.Parameters[1].Value = action;
                _insert.Parameters[2].Value = bytes;
                long id = (long)_insert.ExecuteScalar()!;
                return ValueTask.FromResult(new OcppStoredMessage(id, messageId, action, bytes, 0));
            }
            catch (SqliteException ex)
            {
                throw Map(ex, FilePath, "append to");
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask SetAttemptsAsync(long id, int attempts, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _setAttempts.Parameters[0].Value = attempts;
                _setAttempts.Parameters[1].Value = id;
                _setAttempts.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                throw Map(ex, FilePath, "write to");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CompleteAsync(OcppMessageResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
                _complete.Transaction = transaction;
                _complete.Parameters[0].Value = (int)result.Status;
                _complete.Parameters[1].Value = (object?)result.Response ?? DBNull.Value;
                _complete.Parameters[2].Value = (object?)result.ErrorCode ?? DBNull.Value;
                _complete.Parameters[3].Value = (object?)result.ErrorDescription ?? DBNull.Value;
                _complete.Parameters[4].Value = result.Attempts;
                _complete.Parameters[5].Value = result.CompletedAt.ToUnixTimeMilliseconds();
                _complete.Parameters[6].Value = result.Id;
                _complete.ExecuteNonQuery();
                _prune.Transaction = transaction;
                _prune.Parameters[0].Value = result.Id - _options.RetainedResults;
                _prune.ExecuteNonQuery();
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw Map(ex, FilePath, "record a result in");
            }
            finally
            {
                _complete.Transaction = null;
                _prune.Transaction = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<OcppMessageResult?> GetResultAsync(long id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _result.Parameters[0].Value = id;
                using SqliteDataReader reader = _result.ExecuteReader();
                if (!reader.Read())
                {
                    return ValueTask.FromResult<OcppMessageResult?>(null);
                }

                return ValueTask.FromResult<OcppMessageResult?>(new OcppMessageResult(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    (OcppMessageStatus)reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt32(7),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8))));
            }
            catch (SqliteException ex)
            {
                throw Map(ex, FilePath, "read a result from");
            }
        }
    }

    /// <summary>Closes the file and releases its lock.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _insert.Dispose();
            _setAttempts.Dispose();
            _complete.Dispose();
            _prune.Dispose();
            _result.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>Closes the file and releases its lock.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private const string Schema = """
        CREATE TABLE ocpp_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL,
            action TEXT NOT NULL,
            payload BLOB NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            status INTEGER NOT NULL DEFAULT 0,
            response TEXT,
            error_code TEXT,
            error_description TEXT,
            completed_at INTEGER
        );
        CREATE INDEX ocpp_messages_pending ON ocpp_messages (status, id);
        """;

    // A file with user_version 0 is ours to initialise only when it has no tables: never take over another database.
    private static void EnsureEmptyOrOurs(SqliteConnection connection, SqliteTransaction transaction, string path)
    {
        long tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", transaction), System.Globalization.CultureInfo.InvariantCulture);
        if (tables != 0)
        {
            throw new OcppMessageStoreException(OcppMessageStoreFailure.Corrupted, $"The file {path} is a SQLite database but not a message store (it has {tables} other tables). Nothing was changed.");
        }
    }

    private static OcppMessageStoreException Map(SqliteException ex, string path, string what)
    {
        (OcppMessageStoreFailure failure, string why) = ex.SqliteErrorCode switch
        {
            5 or 6 => (OcppMessageStoreFailure.Locked, "it is locked by another process or store (only one client may use a store file)"),
            11 or 26 => (OcppMessageStoreFailure.Corrupted, "it is not a message store or is damaged; nothing was changed, move the file away to start an empty queue"),
            _ => (OcppMessageStoreFailure.Unavailable, ex.Message),
        };
        return new OcppMessageStoreException(failure, $"Could not {what} the message store {path}: {why} (SQLite error {ex.SqliteErrorCode}).", ex);
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
