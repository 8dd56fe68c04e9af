@{
    Synopsis    = 'Creates a reSolve event store: empty, or filled with a generated, repeatable sample for trying the module and for tests.'
    Description = @'
New-EventStore creates a store that does not exist yet, with reSolve's own tables (events, secrets, snapshots, subscribers; on PostgreSQL also events-threads), as a reSolve application's first start leaves it: a SQLite file (-Path, -LiteralPath) or a PostgreSQL schema (-ConnectionString and -Schema). An existing store is refused (NewEventStoreStoreExists) and left untouched; load events into one with Import-EventStore.

With -SampleEventCount it fills the store with generated bank-account events, through the same import as Import-EventStore: accounts opened and then changed at random (ACCOUNT_OPENED, DEPOSIT_MADE, WITHDRAWAL_MADE, ACCOUNT_RENAMED, and now and then a STATEMENT_ISSUED of a few kilobytes), in time order with some events in the same millisecond, spread over reSolve's 256 threads, with non-ASCII text, and each account's encryption key as a secret. The same -Seed and counts always give the same events and secrets, so a Pester test can make its fixture store in one line and compare it with a known export. The store appears whole or not at all.
'@
    Parameters  = @{
        Path = 'The SQLite file to create. Relative paths, ~ and PSDrives work; a wildcard must match one existing name (use -LiteralPath for a new name with [ or ]). Give -Path, -LiteralPath or -ConnectionString.'
        LiteralPath = 'The SQLite file to create, named exactly: wildcard characters are part of the name.'
        ConnectionString = 'A PostgreSQL store (reSolve''s eventstore-postgresql) instead of a SQLite file: an Npgsql connection string. Use with -Schema; the schema is created when it does not exist.'
        Schema = 'With -ConnectionString: the schema to hold the store (reSolve''s databaseName option).'
        Credential = 'With -ConnectionString: the user name and password to log in with (Get-Credential, or a PSCredential from SecretManagement''s Get-Secret); the password never appears in a message, a -Verbose line or an error.'
        SampleEventCount = 'Fill the store with this many generated events. Default 0: an empty store. Millions are fine: they are generated as they are imported, with constant memory.'
        AggregateCount = 'With -SampleEventCount: over how many aggregates (accounts) the events are spread, 1 to 1,000,000. Default: one per 50 events, at most 100,000.'
        SecretCount = 'With -SampleEventCount: how many accounts get a secret (their encryption key, with the account''s aggregate id as the secret id), 0 up to -AggregateCount. Default: every account, at most 100.'
        Seed = 'With -SampleEventCount: the seed of every random choice. Default 1. The same seed and counts give the same events and secrets, byte for byte.'
    }
    Examples    = @(
        @{
            Code    = 'New-EventStore ./app.db'
            Remarks = 'Creates an empty store with reSolve''s tables, ready for reSolve''s eventstore-lite or for Import-EventStore.'
        }
        @{
            Code    = 'New-EventStore ./sample.db -SampleEventCount 5000'
            Remarks = 'Creates a sample store of 5,000 events over 100 accounts, with 100 secrets, to try the other cmdlets on.'
        }
        @{
            Code    = 'BeforeAll { $store = Join-Path $TestDrive ''fixture.db''; New-EventStore $store -SampleEventCount 200 -AggregateCount 5 -SecretCount 2 -Seed 7 | Out-Null }'
            Remarks = 'In a Pester test of a backup script: a small fixture store, the same in every run.'
        }
        @{
            Code    = 'New-EventStore -ConnectionString ''Host=db;Database=app'' -Schema bench -Credential (Get-Credential) -SampleEventCount 1000000 -Seed 42'
            Remarks = 'Creates a PostgreSQL store of one million generated events, for a benchmark or a migration rehearsal.'
        }
    )
    Links       = @('Get-EventStore', 'Import-EventStore', 'Test-EventStore')
}
