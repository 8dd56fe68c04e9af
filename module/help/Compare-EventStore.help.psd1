@{
    Synopsis    = 'Shows the events that differ between two reSolve event stores: missing, extra and changed.'
    Description = @'
Compare-EventStore reads both stores ordered by the events' key, (threadId, threadCounter), and merges the two streams, so memory stays flat and a million events take seconds. The key is reSolve's primary key and what export and import keep, so a copy or a restore has the same keys as its source. (aggregateId, aggregateVersion) would miss a change of aggregate id or version, which is why it is not the key.

It writes one object per differing event:
- Missing: in the reference store, not in the difference store;
- Extra: in the difference store, not in the reference store;
- Changed: under the same key in both, with another timestamp, aggregateId, aggregateVersion, type or payload; ChangedFields names them. Payloads are compared as their stored JSON text.

Nothing is written when the stores hold the same events. With -Summary it writes one object with the counts instead (and Identical).
'@
    Parameters  = @{
        ConnectionString = 'A PostgreSQL reference store (reSolve''s eventstore-postgresql) instead of -ReferencePath: an Npgsql connection string, with -Schema; give the other store with -DifferencePath. Payloads are compared as text, and PostgreSQL returns them in JSONB key order.'
        Schema      = 'With -ConnectionString: the schema that holds the reference store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret as it is); they replace any user and password of the connection string. A refused login fails with CompareEventStoreAuthenticationFailed (AuthenticationError), an unreachable server with CompareEventStoreConnectionFailed (ConnectionError); the password never appears in a message, a -Verbose line or an error.'
        ReferencePath  = 'The store to compare against (for example the source of a copy). Wildcards must match one file (several fail with CompareEventStoreAmbiguousPath; a pattern that matches nothing is taken as the name as it is).'
        DifferencePath = 'The store compared with it (for example the copy or the restored backup). Wildcards must match one file (several fail with CompareEventStoreAmbiguousPath; a pattern that matches nothing is taken as the name as it is).'
        Summary        = 'Write one summary object (counts of events read, equal, missing, extra and changed, and Identical) instead of each difference.'
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
            Code    = 'Compare-EventStore ./a.db ./b.db | Where-Object Change -eq Changed | Select-Object ThreadId, ThreadCounter, ChangedFields'
            Remarks = 'Shows which fields changed.'
        }
    )
    Links       = @('Get-EventStore', 'Export-EventStore')
}
