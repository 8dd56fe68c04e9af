<#
.SYNOPSIS
Runs one benchmark scenario once, in its own pwsh, and prints the seconds it took as the last line.

.DESCRIPTION
Started by Invoke-Benchmark.ps1 under /usr/bin/time, so the peak memory it reports belongs to this
scenario alone. Only the scenario itself is timed: pwsh start-up and Import-Module are not.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)]
    [ValidateSet('Idle', 'Floor', 'FloorInReadOrder', 'Pipeline', 'ExportNdjson', 'ExportFile', 'ImportNdjson', 'ExportMeasure', 'Incremental',
        'ToPostgres', 'FromPostgres', 'PostgresNdjson', 'PostgresIncremental', 'FirstCopy', 'PostgresFloor', 'NdjsonToPostgres', 'PostgresToPostgres', 'Sync')]
    [string] $Scenario,
    [Parameter(Mandatory)] [string] $Source,
    [string] $Target,
    # PostgresFloor: the server's binary COPY file.
    [string] $Ndjson,
    # The PostgreSQL store of the PostgreSQL scenarios: a connection string; the schema is "bench".
    [string] $ConnectionString,
    # ExportFile: how hard a .gz or .zst $Ndjson is compressed.
    [string] $CompressionLevel = 'Optimal'
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
Import-Module $ModulePath

# FirstCopy: the first Export | Import right after Import-Module, as an admin script's one command in a fresh pwsh
# runs it, then the same copy again in this process (warm, into $Target.warm). Nothing else runs before the first
# copy. Prints "first-cpu <s> warm <s> warm-cpu <s>" (CPU: user + system of the whole process), then the first
# copy's seconds as the last line.
if ($Scenario -eq 'FirstCopy') {
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $times = foreach ($copy in $Target, "$Target.warm") {
        $process.Refresh()
        $cpu = $process.TotalProcessorTime
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Export-EventStore $Source | Import-EventStore $copy | Out-Null
        $watch.Stop()
        $process.Refresh()
        [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; Cpu = ($process.TotalProcessorTime - $cpu).TotalSeconds }
    }
    [string]::Format([cultureinfo]::InvariantCulture, 'first-cpu {0} warm {1} warm-cpu {2}', $times[0].Cpu, $times[1].Seconds, $times[1].Cpu)
    $times[0].Seconds.ToString([cultureinfo]::InvariantCulture)
    return
}

. (Join-Path $PSScriptRoot 'BenchmarkSqlite.ps1')
if ($Scenario -eq 'PostgresFloor') { . (Join-Path $PSScriptRoot 'BenchmarkPostgres.ps1') }

$watch = [Diagnostics.Stopwatch]::StartNew()
switch ($Scenario) {
    'Idle' { }
    'Floor' { Copy-EventsWithAttach -Source $Source -Target $Target }
    'FloorInReadOrder' { Copy-EventsWithAttach -Source $Source -Target $Target -InReadOrder }
    'Pipeline' { Export-EventStore $Source | Import-EventStore $Target | Out-Null }
    'Sync' { Sync-EventStore $Source -DestinationPath $Target | Out-Null }
    'ExportNdjson' { Export-EventStore $Source -OutFile $Ndjson }
    # Compressed by the extension of $Ndjson (.gz, .zst) at $CompressionLevel.
    'ExportFile' { Export-EventStore $Source -OutFile $Ndjson -CompressionLevel $CompressionLevel }
    'ImportNdjson' { Import-EventStore $Target -InFile $Ndjson | Out-Null }
    'ExportMeasure' { Export-EventStore $Source | Measure-Object | Out-Null }
    # $Target is a copy of the large store; $Source holds the events to add, half of them already in $Target.
    'Incremental' { Export-EventStore $Source | Import-EventStore $Target -Incremental | Out-Null }
    # -Replace: the schema holds the previous run's copy.
    'ToPostgres' { Export-EventStore $Source | Import-EventStore -ConnectionString $ConnectionString -Schema bench -Replace -Force | Out-Null }
    'FromPostgres' { Export-EventStore -ConnectionString $ConnectionString -Schema bench | Import-EventStore $Target | Out-Null }
    # The server's own copy of the rows of schema "bench" (BenchmarkPostgres.ps1), into schema "floor".
    'PostgresFloor' { Copy-PostgresEventsWithCopy $ConnectionString 'floor' $Ndjson }
    'NdjsonToPostgres' { Import-EventStore -ConnectionString $ConnectionString -Schema copy -Replace -Force -InFile $Ndjson | Out-Null }
    'PostgresToPostgres' { Export-EventStore -ConnectionString $ConnectionString -Schema bench | Import-EventStore -ConnectionString $ConnectionString -Schema copy -Replace -Force | Out-Null }
    'PostgresNdjson' { Export-EventStore -ConnectionString $ConnectionString -Schema bench -OutFile $Ndjson }
    # The schema holds a copy of the store the events of $Source were made for, half of them already in it.
    'PostgresIncremental' { Export-EventStore $Source | Import-EventStore -ConnectionString $ConnectionString -Schema bench -Incremental | Out-Null }
}
$watch.Stop()
$watch.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
