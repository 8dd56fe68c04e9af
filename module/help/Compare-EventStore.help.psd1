@{
    Synopsis    = 'Shows the events that differ between two reSolve event stores: missing, extra and changed.'
    Description = @'
Compare-EventStore reads both stores ordered by the events' key, (threadId, threadCounter), and merges the two streams, so memory stays flat and a million events take seconds. The key is reSolve's primary key and what export and import keep, so a copy or a restore has the same keys as its source. (aggregateId, aggregateVersion) would miss a change of aggregate id or version, which is why it is not the key.

It writes one object per differing event:
- Missing: in the reference store, not in the difference store;
- Extra: in the difference store, not in the reference store;
- Changed: under the same key in both, with another timestamp, aggregateId, aggregateVersion, type or payload; ChangedFields names them. Payloads are compared as JSON values by default (key order, whitespace and number spelling do not matter: PostgreSQL's JSONB reorders keys); -PayloadComparison Text compares the stored text byte for byte.

Either side may be a SQLite store, a PostgreSQL schema (-ConnectionString and -Schema for the reference, -DifferenceConnectionString and -DifferenceSchema for the other side), an NDJSON export (plain, .gz or .zst; - for standard input) or a backup folder (whose manifest, when it has one, must match). An export or a backup is in reSolve's read order, not in key order: it is first imported into a temporary SQLite store in the temporary folder (deleted at the end), whose primary key then gives the order, so memory stays bounded whatever its size; it needs the disk space of that store.

Nothing is written when the stores hold the same events. With -Summary it writes one object with the counts instead (and Identical).
'@
    Parameters  = @{
        ConnectionString = 'A PostgreSQL reference store (reSolve''s eventstore-postgresql) instead of -ReferencePath: an Npgsql connection string, with -Schema; give the other store with -DifferencePath. PostgreSQL returns payloads in JSONB key order, which the default -PayloadComparison Json ignores.'
        Schema      = 'With -ConnectionString: the schema that holds the reference store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with CompareEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with CompareEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ReferencePath  = 'The store to compare against (for example the source of a copy): a SQLite store, an NDJSON export (plain, .gz, .zst) or a backup folder. A path''s wildcards must match one item (several fail with CompareEventStoreAmbiguousPath).'
        DifferencePath = 'The store compared with it (for example the copy, the export or the backup folder): a SQLite store, an NDJSON export (plain, .gz, .zst) or a backup folder. A path''s wildcards must match one item (several fail with CompareEventStoreAmbiguousPath).'
        DifferenceConnectionString = 'A PostgreSQL difference store instead of -DifferencePath: an Npgsql connection string, with -DifferenceSchema.'
        DifferenceSchema = 'With -DifferenceConnectionString: the schema that holds the difference store.'
        PayloadComparison = 'Json (default): payloads are equal when they hold the same JSON value, whatever the key order or number spelling. Text: equal only when the stored text is the same.'
        Summary        = 'Write one summary object (counts of events read, equal, missing, extra and changed, and Identical) instead of each difference.'
    }
    Examples    = @(
        @{
            Code    = 'Compare-EventStore ./app.db ./backups/2026-12-03 -Summary'
            Remarks = 'Proves a backup folder against the live store without restoring it: Identical is True when every event is in both.'
        }
        @{
            Code    = "Compare-EventStore ./app.db -DifferenceConnectionString 'Host=db;Username=app' -DifferenceSchema app -Summary"
            Remarks = 'Compares a SQLite store with its PostgreSQL copy; payloads are compared as JSON values, so JSONB''s key order does not count as a change.'
        }
        @{
            Code    = 'Compare-EventStore ./app.db ./restored.db'
            Remarks = 'Lists every event that is missing from, extra in or changed in the restored store.'
        }
        @{
            Code    = 'if (-not (Compare-EventStore ./app.db ./copy.db -Summary).Identical) { throw ''The copy differs.'' }'
            Remarks = 'Checks a copy in a script.'
        }
        @{
            Code    = 'Compare-EventStore ./a.db ./b.db | Where-Object Change -eq Changed | Select-Object ThreadId, ThreadCounter, ChangedFields'
            Remarks = 'Shows which fields changed.'
        }
    )
    Links       = @('Get-EventStore', 'Export-EventStore')
}
