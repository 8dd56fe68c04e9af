using System.Net;
using Npgsql;

namespace EventStoreTools.Core.Postgres;

/// <summary>Opens connections to a PostgreSQL server and turns its errors into <see cref="EventStoreException"/>s.</summary>
internal static class PostgresConnections
{
    /// <summary>
    /// The connection string as every connection of a store uses it, refused clearly when Npgsql would not take it.
    /// Multiplexing is a pooling option that runs no synchronous command (Npgsql fails each with
    /// NotSupportedException); the tools run every step synchronously on a connection of its own, so it is turned
    /// off. Error details are turned on: our errors name the key of
    /// a duplicate, which Npgsql hides unless asked.
    /// </summary>
    public static string Normalize(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { IncludeErrorDetail = true, Multiplexing = false }.ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException)
        {
            throw InvalidConnectionString(ex);
        }
    }

    private static EventStoreException InvalidConnectionString(Exception ex) =>
        new(EventStoreErrorKind.InvalidConnectionString, $"The connection string is not valid: {ex.Message}", ex);

    /// <param name="connectionString">A connection string from <see cref="Normalize"/>.</param>
    public static NpgsqlConnection Open(string connectionString, string displayName)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(connectionString);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            connection.Open();
            EventStoreLog.Write($"Connected to the PostgreSQL store {displayName} in {EventStoreLog.Seconds(clock)}.");
            return connection;
        }
        // Options Npgsql checks only when it connects: buffer sizes out of range, Target Session Attributes with one host.
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            connection?.Dispose();
            throw InvalidConnectionString(ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            connection?.Dispose();
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

    /// <summary>
    /// A connection string without its password, and the user name and password it held (null when it held none): what
    /// an output object may show, and the credential that goes with it.
    /// </summary>
    public static (string ConnectionString, NetworkCredential? Credential) WithoutPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.Password)) return (builder.ConnectionString, null);
        var credential = new NetworkCredential(builder.Username ?? "", builder.Password);
        builder.Remove("Password");
        return (builder.ConnectionString, credential);
    }

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
            throw InvalidConnectionString(ex);
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

    public static bool TableExists(NpgsqlConnection connection, PostgresSchema schema, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", $"{schema.Quoted}.{PostgresSchema.QuoteIdentifier(table)}");
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

    /// <summary>Fails clearly unless the schema holds reSolve's event store (see <see cref="RequireResolveTables"/>).</summary>
    public static void RequireEventsTable(NpgsqlConnection connection, PostgresSchema schema, string displayName)
    {
        if (!SchemaExists(connection, schema))
            throw new EventStoreException(EventStoreErrorKind.StoreNotFound, $"The PostgreSQL store {displayName} does not exist: there is no schema \"{schema.Name}\". Check -Schema, or create the store with New-EventStore or Import-EventStore.");
        if (!EventsTableExists(connection, schema))
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"The schema \"{schema.Name}\" of {displayName} is not a reSolve event store: it has no \"events\" table.");
        RequireResolveTables(connection, schema, displayName);
    }

    /// <summary>
    /// Fails with <see cref="EventStoreErrorKind.NotAnEventStore"/> unless the events and threads tables (and the
    /// secrets table, when there is one) have the columns and primary keys of reSolve's DDL: a table that is merely
    /// named "events" belongs to another application, and is neither read as events nor dropped by -Replace.
    /// </summary>
    public static void RequireResolveTables(NpgsqlConnection connection, PostgresSchema schema, string displayName)
    {
        RequireShape(connection, schema, displayName, PostgresSchema.EventsShape, required: true);
        RequireShape(connection, schema, displayName, PostgresSchema.ThreadsShape, required: true);
        RequireShape(connection, schema, displayName, PostgresSchema.SecretsShape, required: false);
    }

    private static void RequireShape(NpgsqlConnection connection, PostgresSchema schema, string displayName, TableShape shape, bool required)
    {
        using var command = new NpgsqlCommand("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, COALESCE(a.attnum = ANY(pk.conkey), false)
            FROM pg_attribute AS a
            LEFT JOIN pg_constraint AS pk ON pk.conrelid = a.attrelid AND pk.contype = 'p'
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, connection);
        command.Parameters.AddWithValue("table", schema.Table(shape.Table));
        var columns = new List<ColumnShape>();
        var primaryKey = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                columns.Add(new ColumnShape(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
                if (reader.GetBoolean(3)) primaryKey.Add(reader.GetString(0));
            }
        }
        if (columns.Count == 0 && !required) return;
        var difference = columns.Count == 0
            ? $"it has no \"{shape.Table}\" table"
            : shape.Difference(columns, primaryKey, []) is { } different ? $"its \"{shape.Table}\" table is not reSolve's ({different})" : null;
        if (difference is not null)
            throw new EventStoreException(EventStoreErrorKind.NotAnEventStore,
                $"The schema \"{schema.Name}\" of {displayName} is not a reSolve event store: {difference}.");
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

    /// <summary>Server, port, database and schema: the same for every connection string that reaches one store (as far as its text tells).</summary>
    public static string Identity(string connectionString, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{builder.Host?.ToLowerInvariant()}:{builder.Port}/{builder.Database ?? builder.Username}/{schema}";
    }

    /// <summary>Names a store in messages without its password: host:port/database, schema.</summary>
    /// <param name="connectionString">A connection string from <see cref="Normalize"/>.</param>
    public static string DisplayName(string connectionString, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} schema \"{schema}\"";
    }
}
