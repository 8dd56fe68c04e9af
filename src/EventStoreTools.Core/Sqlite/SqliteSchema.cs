namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// reSolve eventstore-lite's schema, statement for statement as its init() creates it (default table names),
/// so a store we create is one reSolve opens without "already exists" surprises.
/// </summary>
internal static class SqliteSchema
{
    public const string EventsTable = "events";

    public const string CreateEventsTable = """
        CREATE TABLE "events"(
              "threadId" BIGINT NOT NULL,
              "threadCounter" BIGINT NOT NULL,
              "timestamp" BIGINT NOT NULL,
              "aggregateId" VARCHAR(700) NOT NULL,
              "aggregateVersion" BIGINT NOT NULL,
              "type" VARCHAR(700) NOT NULL,
              "payload" JSON NULL,
              PRIMARY KEY("threadId", "threadCounter"),
              UNIQUE("aggregateId", "aggregateVersion")
            )
        """;

    /// <summary>The secondary indexes of the events table, by name. A bulk load into an empty table builds them afterwards.</summary>
    public static readonly IReadOnlyList<(string Name, string Sql)> EventIndexes =
    [
        ("aggregateIdAndVersion-idx", """
            CREATE INDEX "aggregateIdAndVersion-idx" ON "events"(
                  "aggregateId", "aggregateVersion"
                )
            """),
        ("aggregateId-idx", """
            CREATE INDEX "aggregateId-idx" ON "events"(
                  "aggregateId"
                )
            """),
        ("aggregateVersion-idx", """
            CREATE INDEX "aggregateVersion-idx" ON "events"(
                  "aggregateVersion"
                )
            """),
        ("type-idx", """
            CREATE INDEX "type-idx" ON "events"(
                  "type"
                )
            """),
        ("timestamp-idx", """
            CREATE INDEX "timestamp-idx" ON "events"(
                  "timestamp"
                )
            """),
    ];

    public const string CreateSnapshotsTable = """
        CREATE TABLE "snapshots" (
              "snapshotKey" TEXT,
              "content" TEXT,
              PRIMARY KEY("snapshotKey")
            )
        """;

    public const string CreateSubscribersTable = """
        CREATE TABLE "subscribers" (
              "applicationName" VARCHAR(700) NOT NULL,
              "eventSubscriber" VARCHAR(700) NOT NULL,
              "destination" JSON NOT NULL,
              "status" JSON NOT NULL,
              PRIMARY KEY("applicationName", "eventSubscriber")
            )
        """;

    public const string CreateSecretsTable = """
        CREATE TABLE "secrets" (
              "idx" BIG INT NOT NULL UNIQUE,
              "id" VARCHAR(700) NOT NULL PRIMARY KEY,
              "secret" text
            )
        """;

    public const string CreateSecretsIndex = """
        CREATE UNIQUE INDEX IF NOT EXISTS "idx-index" ON "secrets"(
              "idx"
            )
        """;

    public const string SecretsTable = "secrets";

    /// <summary>The events table as <see cref="CreateEventsTable"/> makes it, to recognise reSolve's stores by.</summary>
    public static readonly TableShape EventsShape = new(EventsTable, StringComparer.OrdinalIgnoreCase,
        [
            new("threadId", "BIGINT", true),
            new("threadCounter", "BIGINT", true),
            new("timestamp", "BIGINT", true),
            new("aggregateId", "VARCHAR(700)", true),
            new("aggregateVersion", "BIGINT", true),
            new("type", "VARCHAR(700)", true),
            new("payload", "JSON", false),
        ],
        primaryKey: ["threadId", "threadCounter"],
        uniqueKey: ["aggregateId", "aggregateVersion"]);

    /// <summary>The secrets table as <see cref="CreateSecretsTable"/> makes it.</summary>
    public static readonly TableShape SecretsShape = new(SecretsTable, StringComparer.OrdinalIgnoreCase,
        [
            new("idx", "BIG INT", true),
            new("id", "VARCHAR(700)", true),
            new("secret", "TEXT", false),
        ],
        primaryKey: ["id"],
        uniqueKey: ["idx"]);
    public const string FreezeTable = "events-freeze";

    /// <summary>reSolve's freeze(): the marker table, with its comment, exactly as eventstore-lite creates it.</summary>
    public const string CreateFreezeTable = """
        CREATE TABLE "events-freeze"(
        -- RESOLVE EVENT STORE "events" FREEZE MARKER
        "surrogate" BIGINT NOT NULL, PRIMARY KEY("surrogate"))
        """;

    public const string DropFreezeTable = """DROP TABLE "events-freeze" """;
    public const string IncrementalImportTable = "events-incremental-import";

    /// <summary>reSolve's dropEvents(): everything but the secrets.</summary>
    public static readonly string[] DropEventsStatements =
    [
        """DROP TABLE IF EXISTS "events-freeze" """,
        """DROP TABLE IF EXISTS "events" """,
        """DROP TABLE IF EXISTS "snapshots" """,
        """DROP TABLE IF EXISTS "events-incremental-import" """,
        """DROP TABLE IF EXISTS "subscribers" """,
    ];
}
