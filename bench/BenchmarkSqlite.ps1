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
Writes a new store of $Count events with New-EventStore's generated sample (what a user's fixture stores are made
with): bank accounts opened over time, one per ten events (at most 1,000,000), each event's account drawn at random
so that reSolve's unique index (aggregateId, aggregateVersion) takes it at a random page as in a real store; payloads
of a few dozen bytes to a few kilobytes with non-ASCII text; 100 secrets; rows in time order, as reSolve appends them.
#>
function New-GeneratedEventStore([string] $Path, [long] $Count, [int] $Seed = 1) {
    $aggregates = [int][Math]::Min(1000000, [Math]::Max(10, [Math]::Ceiling($Count / 10)))
    New-EventStore -LiteralPath $Path -SampleEventCount $Count -AggregateCount $aggregates -Seed $Seed | Out-Null
}

<#
The input of the incremental-import scenario: the newest $Count/2 events of $LargeStore (already stored) and
$Count/2 new ones after them (another seed's sample, moved after the large store's newest event and thread counters).
#>
function New-IncrementalInput([string] $Path, [string] $LargeStore, [long] $Count) {
    $stored = [long]($Count / 2)
    New-GeneratedEventStore -Path $Path -Count ($Count - $stored) -Seed 2
    $connection = Open-BenchmarkDatabase $Path
    try {
        Set-WritePragmas $connection
        Invoke-Sql $connection "ATTACH DATABASE '$($LargeStore -replace "'", "''")' AS large" | Out-Null
        Invoke-Sql $connection @"
UPDATE "events" SET
    "timestamp" = "timestamp" + (SELECT max("timestamp") FROM large."events") - (SELECT min("timestamp") FROM main."events") + 1,
    "threadCounter" = "threadCounter" + (SELECT max("threadCounter") FROM large."events") + 1;
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
