@{
    Synopsis    = 'Shows what differs between two reSolve event stores: missing, extra, changed and renumbered events, and missing, extra and changed secrets.'
    Description = @'
Compare-EventStore pairs events by (aggregateId, aggregateVersion), the key reSolve keeps unique, and secrets by their id. Both stores are read in that order (aggregate ids by their UTF-8 bytes, on PostgreSQL with COLLATE "C") and merged like a sorted merge join, so memory stays flat however large the stores are.

It writes one StoreDifference per difference; its Change is:
- Missing: an event in the reference store, not in the difference store;
- Extra: an event in the difference store, not in the reference store;
- Changed: an event in both with another type, timestamp or payload; ChangedFields names them (and ThreadId or ThreadCounter when it is also numbered differently). Payloads are compared as JSON values by default (key order, whitespace and number spelling do not matter: PostgreSQL's JSONB reorders keys); -PayloadComparison Bytes compares the payload bytes the store holds;
- Renumbered: an event in both with the same content under another threadId or threadCounter. reSolve's incremental import numbers threads its own way (and Import-EventStore -Incremental does as reSolve does), so a store filled that way holds the same events under other numbers: it compares with no missing, extra or changed event and its renumbered events counted;
- SecretMissing, SecretExtra, SecretChanged: a secret by id only in the reference store, only in the difference store, or in both with another value (ChangedFields: Secret), deleted on one side only (Deleted: reSolve keeps a deleted secret as a row without a value) or under another idx (Idx). A difference names the secret's id; secret values never appear in the output, in messages or in errors.

An event that changed its aggregateId or aggregateVersion shows as one Missing and one Extra event. An incremental import also gives aggregateVersion anew, in reSolve's read order: two events of one aggregate with the same timestamp whose versions are stored against that order come back with their versions swapped, which shows as two Changed events.

Either side may be a SQLite store, a PostgreSQL schema (-ConnectionString and -Schema for the reference, -DifferenceConnectionString and -DifferenceSchema for the other side), an NDJSON export (plain, .gz or .zst; - for standard input) or a backup folder (whose manifest, when it has one, must match). An export or a backup is in reSolve's read order, not in key order: it is first imported into a temporary SQLite store, in a folder of the temporary folder that only the current user can open, deleted at the end; it needs the disk space of that store. An NDJSON export holds no secrets, so secrets are not compared with it (SecretsCompared is False). A backup folder's secrets.db holds no deleted secrets (reSolve's exportSecrets leaves them out), so only secrets with a value are compared with a backup folder.

Nothing is written when the stores are identical. With -Summary it writes one EventStoreComparisonSummary instead: ReferenceCount, DifferenceCount, EqualCount (events in both with the same content, numbered alike or not), MissingCount, ExtraCount, ChangedCount, RenumberedCount, SecretsCompared, ReferenceSecretCount, DifferenceSecretCount, MissingSecretCount, ExtraSecretCount, ChangedSecretCount, Elapsed, SameEvents (no missing, extra or changed event) and Identical (the same events under the same numbers, and the same secrets). A renumbered copy has SameEvents True and Identical False: a cursor taken from one store does not read the same events from the other.
'@
    Parameters  = @{
        LiteralPath = 'The reference store, named exactly as it is (wildcard characters included). A store object from Get-EventStore or a file from Get-ChildItem binds here by its PSPath.'
        DifferenceLiteralPath = 'The store or backup compared with the reference, named exactly as it is (wildcard characters included).'
        DifferenceCredential = 'With -DifferenceConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret); they replace any user and password of the connection string, and never appear in a message or an error.'
        ConnectionString = 'A PostgreSQL reference store (reSolve''s eventstore-postgresql) instead of -ReferencePath: an Npgsql connection string, with -Schema; give the other store with -DifferencePath. PostgreSQL returns payloads in JSONB key order, which the default -PayloadComparison Json ignores.'
        Schema      = 'With -ConnectionString: the schema that holds the reference store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with CompareEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with CompareEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        Path  = 'The store to compare against (-ReferencePath is its older name) (for example the source of a copy): a SQLite store, an NDJSON export (plain, .gz, .zst) or a backup folder. A path''s wildcards must match one item (several fail with CompareEventStoreAmbiguousPath).'
        DifferencePath = 'The store compared with it (for example the copy, the export or the backup folder): a SQLite store, an NDJSON export (plain, .gz, .zst) or a backup folder. A path''s wildcards must match one item (several fail with CompareEventStoreAmbiguousPath).'
        DifferenceConnectionString = 'A PostgreSQL difference store instead of -DifferencePath: an Npgsql connection string, with -DifferenceSchema.'
        DifferenceSchema = 'With -DifferenceConnectionString: the schema that holds the difference store.'
        PayloadComparison = 'Json (default): payloads are equal when they hold the same JSON value, whatever the key order or number spelling. Bytes: equal only when the payload bytes the store holds are the same (SQLite''s payload text as written, JSONB''s own text on PostgreSQL, the canonical text of an export or backup, which is imported first); across engines nearly every object or array payload differs (JSONB''s text has its own key order and spacing). Text is the older name of Bytes and means the same.'
        Summary        = 'Write one summary object instead of each difference: counts of events read, equal, missing, extra, changed and renumbered, of secrets read, missing, extra and changed, SameEvents and Identical.'
    }
    Examples    = @(
        @{
            Code    = 'Compare-EventStore ./app.db ./restored.db'
            Remarks = 'Lists every event that is missing from, extra in or changed in the restored store.'
        }
        @{
            Code    = 'if (-not (Compare-EventStore ./app.db ./copy.db -Summary).Identical) { throw ''The copy differs.'' }'
            Remarks = 'Checks a copy in a script.'
        }
        @{
            Code    = 'Compare-EventStore ./app.db ./backups/2026-12-03 -Summary'
            Remarks = 'Proves a backup folder against the live store without restoring it: Identical is True when every event is in both under the same numbers and every secret with a value is in both.'
        }
        @{
            Code    = 'Compare-EventStore ./a.db ./b.db | Where-Object Change -eq Changed | Select-Object AggregateId, AggregateVersion, ChangedFields'
            Remarks = 'Shows which fields changed.'
        }
        @{
            Code    = "Compare-EventStore ./app.db -DifferenceConnectionString 'Host=db;Username=app' -DifferenceSchema app -Summary"
            Remarks = 'Compares a SQLite store with its PostgreSQL copy; payloads are compared as JSON values, so JSONB''s key order does not count as a change.'
        }
        @{
            Code    = 'Compare-EventStore ./app.db ./incremental.db -Summary | Select-Object SameEvents, Identical, RenumberedCount'
            Remarks = 'Checks a store filled by an incremental import: SameEvents is True when it holds every event, RenumberedCount says how many of them reSolve numbered otherwise.'
        }
        @{
            Code    = 'Compare-EventStore ./app.db ./restored.db | Where-Object Change -like Secret* | Select-Object Change, SecretId, ChangedFields'
            Remarks = 'Lists by id the secrets a restore lost, added or changed; their values are never shown.'
        }
    )
    Links       = @('Get-EventStore', 'Export-EventStore')
}
