using System.Net;
using Npgsql;

namespace EventStoreTools.Core.Postgres;

/// <summary>Opens connections to a PostgreSQL server and turns its errors into <see cref="EventStoreException"/>s.</summary>
internal static class PostgresConnections
{
    public static NpgsqlConnection Open(string connectionString, string displayName)
    {
        NpgsqlConnection connection;
        try
        {
            // The key of a duplicate is in the error detail, which Npgsql hides unless asked: our errors name it.
            connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { IncludeErrorDetail = true }.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"The connection string is not valid: {ex.Message}", ex);
        }
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            connection.Open();
            EventStoreLog.Write($"Connected to the PostgreSQL store {displayName} in {EventStoreLog.Seconds(clock)}.");
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException)
        {
            connection.Dispose();
            throw new EventStoreException(ConnectFailureKind(ex), $"Cannot connect to the PostgreSQL store {displayName}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A refused login is not a missing store: a script retries a server that is down, not a wrong password.
    /// Npgsql's messages name the user, never the password.
    /// </summary>
    private static EventStoreErrorKind ConnectFailureKind(Exception ex) => ex switch
    {
        // invalid_password, invalid_authorization_specification
        PostgresException { SqlState: "28P01" or "28000" } => EventStoreErrorKind.AuthenticationFailed,
        // invalid_catalog_name: no such database
        PostgresException { SqlState: "3D000" } => EventStoreErrorKind.StoreNotFound,
        PostgresException => EventStoreErrorKind.StoreError,
        // The server asks for a password that was not given (Npgsql's own check, before any SqlState).
        NpgsqlException when ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase) => EventStoreErrorKind.AuthenticationFailed,
        NpgsqlException or TimeoutException => EventStoreErrorKind.ConnectionFailed,
        _ => EventStoreErrorKind.InvalidInput,
    };

    /// <summary>The connection string with a credential's user name and password in place of its own.</summary>
    public static string WithCredential(string connectionString, NetworkCredential? credential)
    {
        if (credential is null) return connectionString;
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { Username = credential.UserName, Password = credential.Password }.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"The connection string is not valid: {ex.Message}", ex);
        }
    }

    public static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public static bool SchemaExists(NpgsqlConnection connection, PostgresSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = @schema", connection);
        command.Parameters.AddWithValue("schema", schema.Name);
        return command.ExecuteScalar() is not null;
    }

    public static bool EventsTableExists(NpgsqlConnection connection, PostgresSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", schema.Events);
        return (bool)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Takes the schema's write lock until the transaction ends: a second import into the same schema waits
    /// here, then sees the first one's events, rather than interleaving with it.
    /// </summary>
    public static void LockImports(NpgsqlConnection connection, PostgresSchema schema)
    {
        using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('EventStoreTools import ' || @schema))", connection);
        command.Parameters.AddWithValue("schema", schema.Name);
        command.ExecuteNonQuery();
    }

    /// <summary>Fails clearly unless the schema holds reSolve's events table.</summary>
    public static void RequireEventsTable(NpgsqlConnection connection, PostgresSchema schema, string displayName)
    {
        if (!SchemaExists(connection, schema))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The PostgreSQL store {displayName} does not exist: there is no schema \"{schema.Name}\".");
        if (!EventsTableExists(connection, schema))
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"The schema \"{schema.Name}\" of {displayName} is not a reSolve event store: it has no \"events\" table.");
    }

    public static EventStoreException Translate(NpgsqlException ex, string displayName, ResolveEvent? e = null)
    {
        var message = ex is PostgresException pg ? $"{pg.MessageText}{(pg.Detail is { Length: > 0 } detail ? ". " + detail : "")}" : ex.Message;
        var kind = (ex as PostgresException)?.SqlState switch
        {
            // unique_violation
            "23505" => EventStoreErrorKind.DuplicateEvent,
            // invalid_text_representation (bad JSON), untranslatable_character (\u0000 in JSONB), string too long, numeric out of range
            "22P02" or "22P05" or "22001" or "22003" or "22025" => EventStoreErrorKind.InvalidInput,
            // lock_not_available, deadlock, serialization failure
            "55P03" or "40P01" or "40001" => EventStoreErrorKind.StoreBusy,
            _ => EventStoreErrorKind.StoreError,
        };
        var text = kind == EventStoreErrorKind.DuplicateEvent
            ? $"An event with the same threadId and threadCounter, or aggregateId and aggregateVersion, is already in the store or earlier in the input: {message}"
            : $"PostgreSQL error on {displayName}: {message}";
        return new EventStoreException(kind, text, ex) { Event = e };
    }

    /// <summary>Names a store in messages without its password: host:port/database, schema.</summary>
    public static string DisplayName(string connectionString, string schema)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} schema \"{schema}\"";
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"The connection string is not valid: {ex.Message}", ex);
        }
    }
}
