# SQLite helpers of the benchmark: generating reSolve-shaped stores and SQLite's own copy (the floor).
# They use Microsoft.Data.Sqlite as loaded by the built module, so they run the same SQLite library as
# the cmdlets. Dot-source after Import-Module EventStoreTools.

# The page cache SqliteEventImport uses for bulk work, so the floor copies under the same conditions.
$BulkCacheSizePragma = 'PRAGMA cache_size=-24576'

. (Join-Path $PSScriptRoot '../tests/pester/ModuleLibraries.ps1')
$SqliteConnectionType = Get-ModuleLibraryType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection'

function Open-BenchmarkDatabase([string] $Path) {
    $connection = $SqliteConnectionType::new("Data Source=$Path;Pooling=False")
    $connection.Open()
    $connection
}

function Invoke-Sql($Connection, [string] $Sql) {
    $command = $Connection.CreateCommand()
    try {
        $command.CommandText = $Sql
        $command.CommandTimeout = 0
        $command.ExecuteScalar()
    }
    finally { $command.Dispose() }
}

function Get-SchemaStatements($Connection, [string] $Schema = 'main') {
    $command = $Connection.CreateCommand()
    try {
        $command.CommandText = "SELECT type, name, tbl_name, sql FROM `"$Schema`".sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        $reader = $command.ExecuteReader()
        while ($reader.Read()) {
            [pscustomobject]@{ Type = $reader.GetString(0); Name = $reader.GetString(1); Table = $reader.GetString(2); Sql = $reader.GetString(3) }
        }
        $reader.Dispose()
    }
    finally { $command.Dispose() }
}

function Get-SqliteVersion {
    $connection = Open-BenchmarkDatabase ':memory:'
    try { Invoke-Sql $connection 'SELECT sqlite_version()' } finally { $connection.Dispose() }
}

function Set-WritePragmas($Connection) {
    # The pragmas SqliteConnections.OpenForWrite and SqliteEventImport set.
    Invoke-Sql $Connection "PRAGMA encoding='UTF-8'; PRAGMA synchronous=EXTRA; PRAGMA journal_mode=DELETE; PRAGMA busy_timeout=60000" | Out-Null
}

<#
Fills an empty store (created by Import-EventStore) with $Count events in one INSERT ... SELECT:
random GUID aggregate ids (about ten events each), several event types, ~220-byte nested payloads,
thread ids and counters as reSolve hands them out, timestamps 37 ms apart.
Event i (in time order) belongs to aggregate i % aggregates, version i / aggregates + 1. The rows are inserted in
time order, as reSolve appends them, so the table is laid out as a store reSolve wrote (an export reads it in
order); the unique index takes them at random pages, which a large page cache (this process only) absorbs.
#>
function Add-GeneratedEvents([string] $Path, [long] $Count, [long] $FirstNumber = 0) {
    $aggregates = [Math]::Max(10, [long][Math]::Ceiling($Count / 10))
    $connection = Open-BenchmarkDatabase $Path
    try {
        Set-WritePragmas $connection
        Invoke-Sql $connection 'BEGIN IMMEDIATE' | Out-Null
        Invoke-Sql $connection 'PRAGMA cache_size=-2097152' | Out-Null
        $indexes = @(Get-SchemaStatements $connection | Where-Object { $_.Type -eq 'index' -and $_.Table -eq 'events' })
        foreach ($index in $indexes) { Invoke-Sql $connection "DROP INDEX `"$($index.Name)`"" | Out-Null }
        Invoke-Sql $connection @"
CREATE TEMP TABLE aggregates(a INTEGER PRIMARY KEY, id TEXT);
INSERT INTO aggregates(a, id)
WITH RECURSIVE n(a) AS (SELECT 0 UNION ALL SELECT a + 1 FROM n WHERE a + 1 < $aggregates)
SELECT a, lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
    || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
FROM n;
"@ | Out-Null
        Invoke-Sql $connection @"
INSERT INTO "events"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload")
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $Count),
numbered AS (SELECT i % $aggregates AS a, i / $aggregates + 1 AS version, $FirstNumber + i AS k, abs(random()) AS r FROM n)
SELECT k % 256, k / 256, 1704067200000 + k * 37, (SELECT id FROM aggregates WHERE aggregates.a = numbered.a), version,
    CASE WHEN version = 1 THEN 'ACCOUNT_OPENED'
         ELSE CASE r % 4 WHEN 0 THEN 'DEPOSIT_MADE' WHEN 1 THEN 'WITHDRAWAL_MADE' WHEN 2 THEN 'ACCOUNT_RENAMED' ELSE 'STATEMENT_ISSUED' END
    END,
    json_object(
        'amount', json_object('value', (r % 1000000) / 100.0, 'currency', 'EUR'),
        'account', json_object('holder', 'Holder ' || (r % 9973), 'iban', printf('DE%020d', r % 100000000000000000)),
        'tags', json_array('bench', k % 7, (k % 3) = 0),
        'note', 'Überweisung №' || k || ' ✓',
        'meta', json_object('source', 'generator', 'sequence', k))
FROM numbered;
"@ | Out-Null
        foreach ($index in $indexes) { Invoke-Sql $connection $index.Sql | Out-Null }
        Invoke-Sql $connection 'DROP TABLE temp.aggregates; COMMIT' | Out-Null
    }
    finally { $connection.Dispose() }
}

<#
The input of the incremental-import scenario: the newest $Count/2 events of $LargeStore (already stored)
and $Count/2 new ones after them.
#>
function Add-IncrementalInput([string] $Path, [string] $LargeStore, [long] $LargeCount, [long] $Count) {
    $stored = [long]($Count / 2)
    Add-GeneratedEvents -Path $Path -Count ($Count - $stored) -FirstNumber $LargeCount
    $connection = Open-BenchmarkDatabase $Path
    try {
        Set-WritePragmas $connection
        Invoke-Sql $connection "ATTACH DATABASE '$($LargeStore -replace "'", "''")' AS large" | Out-Null
        Invoke-Sql $connection @"
INSERT INTO "events" SELECT * FROM large."events" ORDER BY "timestamp" DESC, "threadCounter" DESC, "threadId" DESC LIMIT $stored
"@ | Out-Null
        Invoke-Sql $connection 'DETACH DATABASE large' | Out-Null
    }
    finally { $connection.Dispose() }
}

<#
SQLite's own copy into a new file, as our import does it: the same schema and pragmas, one transaction,
secondary indexes built after the rows are in.
Plain INSERT ... SELECT * between tables of one schema is SQLite's transfer optimization: it copies
records and index entries as they are, in index order. -InReadOrder (an ORDER BY) turns it off, so SQLite
inserts row by row in reSolve's read order, as any streaming import must.
#>
function Copy-EventsWithAttach([string] $Source, [string] $Target, [switch] $InReadOrder) {
    $connection = Open-BenchmarkDatabase $Target
    try {
        Set-WritePragmas $connection
        Invoke-Sql $connection "ATTACH DATABASE '$($Source -replace "'", "''")' AS source" | Out-Null
        $schema = @(Get-SchemaStatements $connection 'source')
        Invoke-Sql $connection 'BEGIN IMMEDIATE' | Out-Null
        Invoke-Sql $connection $BulkCacheSizePragma | Out-Null
        foreach ($table in $schema | Where-Object Type -eq 'table') { Invoke-Sql $connection $table.Sql | Out-Null }
        $order = if ($InReadOrder) { ' ORDER BY "timestamp", "threadCounter", "threadId"' } else { '' }
        Invoke-Sql $connection "INSERT INTO main.`"events`" SELECT * FROM source.`"events`"$order" | Out-Null
        foreach ($index in $schema | Where-Object Type -eq 'index') { Invoke-Sql $connection $index.Sql | Out-Null }
        Invoke-Sql $connection 'COMMIT' | Out-Null
        Invoke-Sql $connection 'DETACH DATABASE source' | Out-Null
    }
    finally { $connection.Dispose() }
}
