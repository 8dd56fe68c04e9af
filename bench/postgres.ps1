<#
.SYNOPSIS
Times SQLite -> PostgreSQL and PostgreSQL -> SQLite copies with the built module, on a throwaway server.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Build; dotnet pwsh ./bench/postgres.ps1 -Count 200000
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/EventStoreTools/EventStoreTools.psd1'),
    [int] $Count = 100000
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath -Force
. (Join-Path $PSScriptRoot '../tests/pester/PostgresServer.ps1')

$work = Join-Path ([System.IO.Path]::GetTempPath()) "est-bench-$([guid]::NewGuid().ToString('N'))"
New-Item -ItemType Directory -Path $work | Out-Null
$server = Start-TestPostgres
try {
    $source = Join-Path $work 'source.db'
    $counters = [long[]]::new(256)
    $versions = @{}
    & {
        for ($i = 0; $i -lt $Count; $i++) {
            $thread = $i % 256
            $aggregate = "aggregate-$($i % 1000)"
            $versions[$aggregate] = 1 + ($versions[$aggregate] ?? 0)
            [EventStoreTools.Core.ResolveEvent]@{
                ThreadId = $thread; ThreadCounter = $counters[$thread]++; Timestamp = 1700000000000 + $i; AggregateId = $aggregate
                AggregateVersion = $versions[$aggregate]; Type = 'ITEM_ADDED'
                PayloadJson = "{`"name`":`"item $i`",`"price`":$($i % 997).5,`"tags`":[`"a`",`"b`"],`"owner`":{`"id`":$($i % 50),`"city`":`"Zürich`"}}"
            }
        }
    } | Import-EventStore $source | Out-Null

    $rows = @(
        @{ Name = 'SQLite -> PostgreSQL'; Run = { Export-EventStore $source | Import-EventStore -ConnectionString $server.ConnectionString -Schema bench } }
        @{ Name = 'PostgreSQL -> SQLite'; Run = { Export-EventStore -ConnectionString $server.ConnectionString -Schema bench | Import-EventStore (Join-Path $work 'back.db') } }
        @{ Name = 'PostgreSQL -> NDJSON'; Run = { Export-EventStore -ConnectionString $server.ConnectionString -Schema bench -OutFile (Join-Path $work 'events.ndjson') } }
    )
    foreach ($row in $rows) {
        $elapsed = Measure-Command { & $row.Run | Out-Null }
        [pscustomobject]@{ Path = $row.Name; Events = $Count; Seconds = [math]::Round($elapsed.TotalSeconds, 2); EventsPerSecond = [math]::Round($Count / $elapsed.TotalSeconds) }
    }
}
finally {
    Stop-TestPostgres $server
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
