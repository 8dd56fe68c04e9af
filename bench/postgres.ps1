<#
.SYNOPSIS
Times SQLite -> PostgreSQL and PostgreSQL -> SQLite copies of -Count events, and an incremental import of
-IncrementalCount events (1,000 of them duplicates) into the copy, with the built module, on a throwaway server.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh ./bench/postgres.ps1 -Count 200000
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/EventStoreTools/EventStoreTools.psd1'),
    [int] $Count = 100000,
    # The events of the incremental import into the copy (1,000 of them duplicates of stored ones).
    [int] $IncrementalCount = 100000
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force
. (Join-Path $PSScriptRoot '../tests/pester/PostgresServer.ps1')

$work = Join-Path ([System.IO.Path]::GetTempPath()) "est-bench-$([guid]::NewGuid().ToString('N'))"
New-Item -ItemType Directory -Path $work | Out-Null
$server = Start-TestPostgres
try {
    # reSolve-shaped events: 256 threads, 1000 aggregates, timestamps one ms apart from the first.
    $counters = [long[]]::new(256)
    $versions = @{}
    function New-BenchEvents([long] $First, [int] $Number) {
        for ($i = $First; $i -lt $First + $Number; $i++) {
            $thread = $i % 256
            $aggregate = "aggregate-$($i % 1000)"
            $versions[$aggregate] = 1 + ($versions[$aggregate] ?? 0)
            [EventStoreTools.Core.ResolveEvent]@{
                ThreadId = $thread; ThreadCounter = $counters[$thread]++; Timestamp = 1700000000000 + $i; AggregateId = $aggregate
                AggregateVersion = $versions[$aggregate]; Type = 'ITEM_ADDED'
                PayloadJson = "{`"name`":`"item $i`",`"price`":$($i % 997).5,`"tags`":[`"a`",`"b`"],`"owner`":{`"id`":$($i % 50),`"city`":`"Zürich`"}}"
            }
        }
    }
    $source = Join-Path $work 'source.db'
    New-BenchEvents 0 $Count | Import-EventStore $source | Out-Null

    # The incremental batch: 1,000 events the store holds (duplicates), the rest newer than the store.
    $duplicates = [math]::Min(1000, [math]::Min($Count, $IncrementalCount))
    $newer = Join-Path $work 'newer.db'
    New-BenchEvents $Count ($IncrementalCount - $duplicates) | Import-EventStore $newer | Out-Null
    $incremental = Join-Path $work 'incremental.ndjson'
    Export-EventStore $source -First $duplicates -OutFile (Join-Path $work 'duplicates.ndjson')
    Export-EventStore $newer -OutFile (Join-Path $work 'newer.ndjson')
    $batch = [System.IO.File]::Create($incremental)
    try {
        foreach ($part in 'duplicates.ndjson', 'newer.ndjson') {
            $stream = [System.IO.File]::OpenRead((Join-Path $work $part))
            try { $stream.CopyTo($batch) } finally { $stream.Dispose() }
        }
    }
    finally { $batch.Dispose() }

    $rows = @(
        @{ Name = 'SQLite -> PostgreSQL'; Run = { Export-EventStore $source | Import-EventStore -ConnectionString $server.ConnectionString -Schema bench } }
        @{ Name = 'PostgreSQL -> SQLite'; Run = { Export-EventStore -ConnectionString $server.ConnectionString -Schema bench | Import-EventStore (Join-Path $work 'back.db') } }
        @{ Name = 'PostgreSQL -> NDJSON'; Run = { Export-EventStore -ConnectionString $server.ConnectionString -Schema bench -OutFile (Join-Path $work 'events.ndjson') } }
        @{ Name = "NDJSON -> PostgreSQL -Incremental ($duplicates duplicates, into $Count)"; Events = $IncrementalCount; Run = { Import-EventStore -ConnectionString $server.ConnectionString -Schema bench -InFile $incremental -Incremental } }
    )
    $results = foreach ($row in $rows) {
        $elapsed = Measure-Command { & $row.Run | Out-Null }
        $events = $row.Events ?? $Count
        [pscustomobject]@{ Path = $row.Name; Events = $events; Seconds = [math]::Round($elapsed.TotalSeconds, 2); EventsPerSecond = [math]::Round($events / $elapsed.TotalSeconds) }
    }
    $results | Format-Table -AutoSize | Out-String -Width 200
}
finally {
    Stop-TestPostgres $server
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
