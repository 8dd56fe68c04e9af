# PostgreSQL helpers of the benchmark: the server's own copy of a store's rows (the floor of the PostgreSQL rows).
# They use Npgsql and the DDL as loaded by the built module, so the floor creates the table exactly as an import
# does. Dot-source after Import-Module EventStoreTools.

. (Join-Path $PSScriptRoot '../tests/pester/ModuleLibraries.ps1')
$NpgsqlConnectionType = Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnection'
$PostgresSchemaType = Get-ModuleLibraryType 'EventStoreTools.Core' 'EventStoreTools.Core.Postgres.PostgresSchema'

# The module's (internal) description of a schema: its quoted names and reSolve's DDL.
function New-PostgresSchema([string] $Name) { [Activator]::CreateInstance($PostgresSchemaType, [object[]]@($Name)) }

function Invoke-PostgresStatement([string] $ConnectionString, [string[]] $Statements) {
    $connection = $NpgsqlConnectionType::new($ConnectionString)
    try {
        $connection.Open()
        foreach ($sql in $Statements) {
            $command = $connection.CreateCommand()
            $command.CommandText = $sql
            $command.CommandTimeout = 0
            [void]$command.ExecuteNonQuery()
            $command.Dispose()
        }
    }
    finally { $connection.Dispose() }
}

# The server writes the events of $Schema to $File (on the server's machine) in COPY's binary format, in the
# column order of the events table: the input of the floor.
function Export-PostgresCopyFile([string] $ConnectionString, [string] $Schema, [string] $File) {
    $events = (New-PostgresSchema $Schema).Events
    Invoke-PostgresStatement $ConnectionString "COPY $events TO '$($File -replace "'", "''")' (FORMAT BINARY)"
}

<#
The floor: in one transaction, reSolve's CREATE TABLE of the events table (its primary key included) in a fresh
schema, COPY ... FROM the binary file the server reads itself, and the five secondary indexes built afterwards,
all as an import into an empty store runs them (the statements come from the module), then the commit.
#>
function Copy-PostgresEventsWithCopy([string] $ConnectionString, [string] $Schema, [string] $File) {
    $store = (New-PostgresSchema $Schema)
    Invoke-PostgresStatement $ConnectionString "DROP SCHEMA IF EXISTS $($store.Quoted) CASCADE"
    $statements = @(
        'BEGIN'
        "CREATE SCHEMA $($store.Quoted)"
        $store.CreateEventsTable
        "COPY $($store.Events) FROM '$($File -replace "'", "''")' (FORMAT BINARY)"
        foreach ($index in $store.EventIndexes) { $index.Item2 }
        'COMMIT'
    )
    Invoke-PostgresStatement $ConnectionString $statements
}

# Takes back an incremental import's events: those newer than $Newest (the store's newest before it; older ones
# it skips), and the threads' next counters with them, so each run imports into the same store; VACUUM clears the
# deleted rows, as in a store that never held them (index-only lookups need no heap visit).
function Reset-PostgresStore([string] $ConnectionString, [string] $Schema, [long] $Newest) {
    $store = New-PostgresSchema $Schema
    Invoke-PostgresStatement $ConnectionString @(
        "DELETE FROM $($store.Events) WHERE `"timestamp`" > $Newest"
        "UPDATE $($store.Threads) AS t SET `"threadCounter`" = COALESCE((SELECT max(`"threadCounter`") + 1 FROM $($store.Events) AS e WHERE e.`"threadId`" = t.`"threadId`"), 0)"
        "VACUUM $($store.Events)"
    )
}

function Get-PostgresNewestTimestamp([string] $ConnectionString, [string] $Schema) {
    $connection = $NpgsqlConnectionType::new($ConnectionString)
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = "SELECT max(`"timestamp`") FROM $((New-PostgresSchema $Schema).Events)"
        [long]$command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
}

<#
The PostgreSQL rows, on a throwaway server with PostgreSQL's default durability (fsync on), when PostgreSQL's
server binaries are installed (Get-PostgresBin: EVENTSTORETOOLS_PG_BIN or npm's PostgreSQL). The floor is the
server's own binary COPY of the same rows plus the index build (Copy-PostgresEventsWithCopy); the copies into
PostgreSQL and the export from it are shown as a ratio to it, with their targets. -Scale: only the incremental
import into the largest store. Uses the benchmark's Measure-Scenario, New-IncrementalStore and its variables.
#>
# $Size: a key of $stores as the benchmark made it (an int, not a long: hashtable keys compare by type).
function Measure-PostgresRows($Size, [switch] $IncrementalOnly) {
    $postgresBin = try { Get-PostgresBin } catch { $null }
    if (-not $postgresBin) {
        $rows.Add([pscustomobject]@{ Scenario = 'PostgreSQL copies'; Events = $Size; Seconds = $null; EventsPerSecond = $null
            MBPerSecond = $null; PeakMB = $null; Ratio = $null; Note = 'not run: no PostgreSQL server binaries (apt-get install -y postgresql)' })
        return
    }
    $server = Start-TestPostgres -Durable -Bin $postgresBin
    try {
        $source = $stores[$Size]
        $pg = @{ Source = $source; Target = $target; Ndjson = (Join-Path $Scratch 'out.ndjson'); ConnectionString = $server.ConnectionString }
        $copyTarget = 1.5
        $setTarget = {
            param($Row, [double] $Floor)
            $Row.Ratio = $Row.Seconds / $Floor
            $Row.Note = if ($Row.Ratio -le $copyTarget) { "x PostgreSQL COPY floor; target ${copyTarget}x: met" }
            else { "x PostgreSQL COPY floor; target ${copyTarget}x: short by {0:P0}" -f ($Row.Ratio / $copyTarget - 1) }
        }
        if (-not $IncrementalOnly) {
            $toPostgres = Measure-Scenario 'Export-EventStore | Import-EventStore, SQLite -> PostgreSQL' 'ToPostgres' $Size $pg $null
            # The floor's input: the rows just imported, as the server's binary COPY file.
            $copyFile = Join-Path $server.Directory 'events.copy'
            Export-PostgresCopyFile $server.ConnectionString 'bench' $copyFile
            $floorArguments = $pg.Clone()
            $floorArguments.Ndjson = $copyFile
            $floor = Measure-Scenario 'PostgreSQL CREATE TABLE + COPY FROM binary file + indexes (floor)' 'PostgresFloor' $Size $floorArguments $null
            $floor.Ratio = 1
            $floor.Note = 'the server alone: reSolve''s DDL, COPY, the five secondary indexes'
            $rows.Add($floor)
            & $setTarget $toPostgres $floor.Seconds
            $rows.Add($toPostgres)
            $ndjsonArguments = $pg.Clone()
            $ndjsonArguments.Ndjson = $ndjson
            $fromNdjson = Measure-Scenario 'Import-EventStore -InFile (NDJSON), NDJSON -> PostgreSQL' 'NdjsonToPostgres' $Size $ndjsonArguments $null
            & $setTarget $fromNdjson $floor.Seconds
            $rows.Add($fromNdjson)
            $between = Measure-Scenario 'Export-EventStore | Import-EventStore, PostgreSQL -> PostgreSQL' 'PostgresToPostgres' $Size $pg $null
            & $setTarget $between $floor.Seconds
            $rows.Add($between)
            $export = Measure-Scenario 'Export-EventStore -OutFile (NDJSON) from PostgreSQL' 'PostgresNdjson' $Size $pg $null
            $export.Ratio = $export.Seconds / $floor.Seconds
            $export.Note = if ($export.EventsPerSecond -ge 150000) { 'target 150k events/s, flat memory: met' } else { 'target 150k events/s: short by {0:P0}' -f (1 - $export.EventsPerSecond / 150000) }
            $rows.Add($export)
            $toSqlite = Measure-Scenario 'Export-EventStore | Import-EventStore, PostgreSQL -> SQLite' 'FromPostgres' $Size $pg $null
            $sqliteFloors = Get-Variable floors -ValueOnly -ErrorAction Ignore
            if ($sqliteFloors -and $sqliteFloors.ContainsKey($Size)) {
                $toSqlite.Ratio = $toSqlite.Seconds / $sqliteFloors[$Size]
                $toSqlite.Note = 'ratio to the SQLite floor'
            }
            $rows.Add($toSqlite)
        }
        else {
            Write-Host "Loading $(Format-Count $Size) events into PostgreSQL for the incremental import"
            Export-EventStore $source | Import-EventStore -ConnectionString $server.ConnectionString -Schema bench -Replace -Force | Out-Null
        }
        # Half of the events already stored, the other half newer; each run starts from the same store.
        $incrementalCount = [Math]::Min(100000, $Size / 10)
        $incrementalInput = Join-Path $Data "incremental-$(Format-Count $incrementalCount)-into-$(Format-Count $Size).db"
        New-IncrementalStore $incrementalInput $source $incrementalCount
        $newest = Get-PostgresNewestTimestamp $server.ConnectionString 'bench'
        $incrementalArguments = $pg.Clone()
        $incrementalArguments.Source = $incrementalInput
        $reset = { Reset-PostgresStore $server.ConnectionString 'bench' $newest }
        $row = Measure-Scenario "Import-EventStore -Incremental into $(Format-Count $Size), PostgreSQL" 'PostgresIncremental' $incrementalCount $incrementalArguments $reset
        $row.Note = 'half of the events already stored' + $(if ($Size -ge 10000000) { '; target 5 s: ' + $(if ($row.Seconds -le 5) { 'met' } else { 'short by {0:P0}' -f ($row.Seconds / 5 - 1) }) })
        $rows.Add($row)
    }
    finally { Stop-TestPostgres $server }
}
