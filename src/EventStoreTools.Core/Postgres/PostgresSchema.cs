namespace EventStoreTools.Core.Postgres;

/// <summary>
/// reSolve eventstore-postgresql's schema, statement for statement as its init() creates it (default table
/// names), so a store we create is one reSolve opens without "already exists" surprises.
/// </summary>
internal sealed class PostgresSchema
{
    public const int ThreadCount = EventValidation.ThreadCount;

    public PostgresSchema(string schema)
    {
        Name = schema;
        Quoted = QuoteIdentifier(schema);
        Events = $"{Quoted}.\"events\"";
        Threads = $"{Quoted}.\"events-threads\"";
        IncrementalImport = $"{Quoted}.{QuoteIdentifier(IncrementalImportTable)}";
    }

    /// <summary>reSolve's table of the events pushed into an open incremental import.</summary>
    public const string IncrementalImportTable = "events-incremental-import";
    public const string FreezeTable = "events-freeze";

    /// <summary>reSolve's freeze(): the marker table and its comment, as eventstore-postgresql creates them.</summary>
    public IEnumerable<string> CreateFreezeTable()
    {
        yield return $"""CREATE TABLE {Quoted}.{QuoteIdentifier(FreezeTable)} ("surrogate" BIGINT NOT NULL, PRIMARY KEY("surrogate"))""";
        yield return $"""COMMENT ON TABLE {Quoted}.{QuoteIdentifier(FreezeTable)} IS 'RESOLVE EVENT STORE {QuoteIdentifier(FreezeTable)} FREEZE MARKER'""";
    }

    public string DropFreezeTable => $"DROP TABLE {Quoted}.{QuoteIdentifier(FreezeTable)}";

    /// <summary>
    /// Waits for every transaction that is writing events (reSolve's saveEvent holds ROW EXCLUSIVE on the table
    /// until it commits) and lets none start meanwhile: SHARE conflicts with ROW EXCLUSIVE.
    /// </summary>
    public string WaitForEventWriters => $"LOCK TABLE {Events} IN SHARE MODE";

    public string Name { get; }

    /// <summary>The schema as an SQL identifier.</summary>
    public string Quoted { get; }

    /// <summary>The events table, qualified.</summary>
    public string Events { get; }

    /// <summary>The threads table (the next threadCounter of every thread), qualified.</summary>
    public string Threads { get; }

    /// <summary>The incremental-import table, qualified.</summary>
    public string IncrementalImport { get; }

    /// <summary>NAMEDATALEN - 1: the bytes of an identifier PostgreSQL keeps; it cuts longer ones without an error.</summary>
    public const int MaxIdentifierBytes = 63;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Refuses a schema name the server would not keep as given: over 63 bytes of UTF-8 it is cut (so two long
    /// names sharing their first 63 bytes are one schema, and an import into one could replace the other), a
    /// NUL character cannot be sent, and a lone surrogate would become U+FFFD.
    /// </summary>
    public static void RequireKeptByServer(string schema)
    {
        string? problem = null;
        if (schema.Contains('\0', StringComparison.Ordinal))
            problem = "it contains a NUL character, which PostgreSQL names cannot hold";
        else
        {
            try
            {
                var bytes = StrictUtf8.GetByteCount(schema);
                if (bytes > MaxIdentifierBytes)
                    problem = $"it is {bytes} bytes long in UTF-8, and PostgreSQL keeps only the first {MaxIdentifierBytes} bytes of a name (it would silently use a shorter name, which another store may have)";
            }
            catch (System.Text.EncoderFallbackException)
            {
                problem = "it contains a lone UTF-16 surrogate, which PostgreSQL would store as another character";
            }
        }
        if (problem is not null)
            throw new EventStoreException(EventStoreErrorKind.InvalidStoreName, $"The schema name '{schema}' cannot be used: {problem}.");
    }

    /// <summary>reSolve's escapeId(): an identifier with double quotes doubled.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>reSolve's escape(): a string literal with single quotes doubled.</summary>
    public static string QuoteLiteral(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The events table as <see cref="CreateEventsTable"/> makes it (types as PostgreSQL's format_type names them), to recognise reSolve's stores by.</summary>
    public static readonly TableShape EventsShape = new("events", StringComparer.Ordinal,
        [
            new("threadId", "bigint", true),
            new("threadCounter", "bigint", true),
            new("timestamp", "bigint", true),
            new("aggregateId", "character varying(190)", true),
            new("aggregateVersion", "bigint", true),
            new("type", "character varying(190)", true),
            new("payload", "jsonb", false),
            new("eventSize", "bigint", true),
        ],
        primaryKey: ["threadId", "threadCounter"]);

    /// <summary>The threads table as <see cref="CreateThreadsTable"/> makes it.</summary>
    public static readonly TableShape ThreadsShape = new("events-threads", StringComparer.Ordinal,
        [new("threadId", "bigint", true), new("threadCounter", "bigint", true)],
        primaryKey: ["threadId"]);

    /// <summary>The secrets table as <see cref="CreateSecretsTable"/> makes it (BIGSERIAL is a bigint NOT NULL).</summary>
    public static readonly TableShape SecretsShape = new("secrets", StringComparer.Ordinal,
        [new("idx", "bigint", true), new("id", "character varying(190)", true), new("secret", "text", false)],
        primaryKey: ["id"]);

    /// <summary>A table of this schema, qualified.</summary>
    public string Table(string name) => $"{Quoted}.{QuoteIdentifier(name)}";

    public string CreateEventsTable => $"""
        CREATE TABLE {Events}(
          "threadId" BIGINT NOT NULL,
          "threadCounter" INT8 NOT NULL,
          "timestamp" BIGINT NOT NULL,
          "aggregateId" VARCHAR(190) NOT NULL,
          "aggregateVersion" BIGINT NOT NULL,
          "type" VARCHAR(190) NOT NULL,
          "payload" JSONB,
          "eventSize" BIGINT NOT NULL,
          PRIMARY KEY("threadId", "threadCounter")
        )
        """;

    /// <summary>The name PostgreSQL gives the primary key of <see cref="CreateEventsTable"/>.</summary>
    private const string EventsPrimaryKey = "events_pkey";

    /// <summary>
    /// A load into an events table this transaction created builds the primary key after the rows, as the other
    /// indexes, by one sort instead of an insert per row; the constraint it re-adds is the one reSolve's DDL made.
    /// </summary>
    public string DropEventsPrimaryKey => $"""ALTER TABLE {Events} DROP CONSTRAINT "{EventsPrimaryKey}" """;

    public string AddEventsPrimaryKey => $"""ALTER TABLE {Events} ADD CONSTRAINT "{EventsPrimaryKey}" PRIMARY KEY("threadId", "threadCounter")""";

    /// <summary>The five indexes of the events table, by name. A bulk load into an empty table builds them afterwards.</summary>
    public IReadOnlyList<(string Name, string Sql)> EventIndexes =>
    [
        ("events-aggregateIdAndVersion", $"""CREATE UNIQUE INDEX "events-aggregateIdAndVersion" ON {Events} USING BTREE("aggregateId", "aggregateVersion")"""),
        ("events-aggregateId", $"""CREATE INDEX "events-aggregateId" ON {Events} USING BTREE("aggregateId")"""),
        ("events-aggregateVersion", $"""CREATE INDEX "events-aggregateVersion" ON {Events} USING BTREE("aggregateVersion")"""),
        ("events-type", $"""CREATE INDEX "events-type" ON {Events} USING BTREE("type")"""),
        ("events-timestamp", $"""CREATE INDEX "events-timestamp" ON {Events} USING BTREE("timestamp")"""),
    ];

    public string CreateSnapshotsTable => $"""
        CREATE TABLE {Quoted}."snapshots" (
          "snapshotKey" TEXT NOT NULL,
          "snapshotContent" TEXT,
          PRIMARY KEY("snapshotKey")
        )
        """;

    public string CreateThreadsTable => $"""
        CREATE TABLE {Threads}(
          "threadId" BIGINT NOT NULL,
          "threadCounter" BIGINT NOT NULL,
          PRIMARY KEY("threadId")
        )
        """;

    public string FillThreadsTable =>
        $"""INSERT INTO {Threads}("threadId", "threadCounter") VALUES """
        + string.Join(", ", Enumerable.Range(0, ThreadCount).Select(thread => $"({thread}, 0)"));

    public string CreateSubscribersTable => $"""
        CREATE TABLE {Quoted}."subscribers"(
          "applicationName" VARCHAR(190) NOT NULL,
          "eventSubscriber" VARCHAR(190) NOT NULL,
          "destination" JSONB NOT NULL,
          "status" JSONB NOT NULL,
          PRIMARY KEY("applicationName", "eventSubscriber")
        )
        """;

    public string CreateSecretsTable => $"""
        CREATE TABLE IF NOT EXISTS {Quoted}."secrets" (
          "idx" BIGSERIAL,
          "id" VARCHAR(190) NOT NULL PRIMARY KEY,
          "secret" text COLLATE pg_catalog."default"
        )
        """;

    public string CreateSecretsIndex => $"""CREATE UNIQUE INDEX IF NOT EXISTS "secrets-global" ON {Quoted}."secrets" ("idx")""";

    /// <summary>reSolve's init(): every table of an event store, indexes included unless a bulk load builds them later.</summary>
    public IEnumerable<string> CreateEventStore(bool withEventIndexes)
    {
        yield return CreateEventsTable;
        if (withEventIndexes)
        {
            foreach (var (_, sql) in EventIndexes) yield return sql;
        }
        yield return CreateSnapshotsTable;
        yield return CreateThreadsTable;
        yield return FillThreadsTable;
        yield return CreateSubscribersTable;
        yield return CreateSecretsTable;
        yield return CreateSecretsIndex;
    }

    /// <summary>
    /// reSolve's beginIncrementalImport (PG/begin-incremental-import.ts): the table, and the import id in its
    /// comment, escaped twice as reSolve escapes it.
    /// </summary>
    public string CreateIncrementalImportTable(string importId) => $"""
        CREATE TABLE {IncrementalImport}(
          "sortedIdx" BIGINT NULL,
          "rowid" BIGSERIAL,
          "threadId" BIGINT NULL,
          "threadCounter" INT8 NULL,
          "timestamp" BIGINT NOT NULL,
          "aggregateId" VARCHAR(190) NOT NULL,
          "aggregateVersion" BIGINT NULL,
          "type" VARCHAR(190) NOT NULL,
          "payload" JSONB,
          "eventSize" BIGINT NOT NULL
        );
        COMMENT ON TABLE {IncrementalImport}
        IS {QuoteLiteral($"RESOLVE INCREMENTAL-IMPORT {QuoteLiteral(importId)} OWNED TABLE")}
        """;

    /// <summary>reSolve's dropEvents(): everything but the secrets.</summary>
    public IEnumerable<string> DropEvents()
    {
        foreach (var table in new[] { "events", "events-threads", "events-freeze", "snapshots", IncrementalImportTable, "subscribers" })
            yield return $"DROP TABLE IF EXISTS {Quoted}.{QuoteIdentifier(table)}";
    }

    public IEnumerable<string> DropEventIndexes() =>
        EventIndexes.Select(index => $"DROP INDEX IF EXISTS {Quoted}.{QuoteIdentifier(index.Name)}");

    /// <summary>
    /// After secrets were inserted with their own idx: the BIGSERIAL's next value follows the largest, so that
    /// reSolve's setSecret does not collide with them.
    /// </summary>
    public string MoveSecretsSequenceForward => $"""
        SELECT setval(pg_get_serial_sequence('{Quoted.Replace("'", "''", StringComparison.Ordinal)}."secrets"', 'idx'),
          GREATEST((SELECT max("idx") FROM {Quoted}."secrets"), 1), (SELECT max("idx") FROM {Quoted}."secrets") IS NOT NULL)
        """;

    /// <summary>
    /// Moves every thread's next counter past the stored events, never back (reSolve's injectEvents:
    /// GREATEST(current, max + 1)).
    /// </summary>
    public string MoveThreadsForward => $"""
        UPDATE {Threads} AS t SET "threadCounter" = GREATEST(t."threadCounter", stored."next")
        FROM (SELECT "threadId", MAX("threadCounter") + 1 AS "next" FROM {Events} GROUP BY "threadId") AS stored
        WHERE t."threadId" = stored."threadId"
        """;
}
