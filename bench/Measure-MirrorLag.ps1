<#
.SYNOPSIS
Measures Sync-EventStore -Follow's steady-state lag under reSolve's own writer.

.DESCRIPTION
Starts tests/compat/writer.js (reSolve's eventstore-lite saveEvent in Node) appending to a new SQLite store at
-Rate events per second for -Seconds, while Sync-EventStore -Follow mirrors that store into another SQLite store
in this process. The lag of an event is the time from its timestamp (reSolve stamps it with the time of the save)
to the commit of its batch in the destination, over the events copied once the mirror had caught up. Returns the
median and worst lag in ms, the rate the writer reached, and the gaps between the writer's consecutive saves (from
the timestamps reSolve gave them: p50, p90, p99, max), which grow when a reader holds the store's lock. -SourceStore
starts the writer on a copy of that store (1M events: what the application's store looks like), -WithoutMirror
runs the writer alone, for its gaps without a follower. -ConnectionString and -Schema start the writer on that
PostgreSQL schema instead (reSolve's eventstore-postgresql; the schema is used as it is, created by reSolve when
absent) and the follower mirrors it into a new SQLite store (PostgreSQL -> SQLite, the common direction of a backup
mirror; Direction in the result says which). Needs tests/compat's npm packages (build.ps1 -Task Test installs them).

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorLag.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorLag.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -SourceStore ./out/bench/data/events-1M.db -Rate 200 -Seconds 30 -WithoutMirror

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorLag.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -ConnectionString 'Host=127.0.0.1;Port=5432;Username=postgres' -Schema app -Rate 200 -Seconds 30
#>
[CmdletBinding(DefaultParameterSetName = 'Sqlite')]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Rate = 1000,
    [int] $Seconds = 10,
    [TimeSpan] $PollInterval = [TimeSpan]::FromMilliseconds(50),
    # A store the writer appends to (copied first; the mirror, already caught up with it, follows from there).
    [Parameter(ParameterSetName = 'Sqlite')] [string] $SourceStore,
    # A PostgreSQL store the writer appends to (in place; the mirror, caught up with it first, follows from there).
    [Parameter(Mandatory, ParameterSetName = 'Postgres')] [string] $ConnectionString,
    [Parameter(Mandatory, ParameterSetName = 'Postgres')] [string] $Schema,
    [switch] $WithoutMirror,
    [string] $WorkDirectory = (Join-Path ((Test-Path /dev/shm -PathType Container) ? '/dev/shm' : [IO.Path]::GetTempPath()) "est-lag-$([guid]::NewGuid().ToString('N'))")
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
New-Item -ItemType Directory -Path $WorkDirectory -Force | Out-Null
$destination = Join-Path $WorkDirectory 'mirror.db'
$node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
$start = [System.Diagnostics.ProcessStartInfo]::new($node)
if ($PSCmdlet.ParameterSetName -eq 'Postgres') {
    $source = @{ ConnectionString = $ConnectionString; Schema = $Schema }
    # Npgsql's reading of the connection string (its defaults and synonyms), for the writer's arguments.
    . (Join-Path $PSScriptRoot '../tests/pester/ModuleLibraries.ps1')
    $server = (Get-ModuleLibraryType 'Npgsql' 'Npgsql.NpgsqlConnectionStringBuilder')::new($ConnectionString)
    $writerStore = '--engine', 'postgres', '--schema', $Schema, '--pg-host', $server.Host, '--pg-port', $server.Port,
        '--pg-user', ($server.Username ?? 'postgres'), '--pg-database', ($server.Database ?? 'postgres')
    if ($server.Password) { $start.Environment['PGPASSWORD'] = $server.Password }
    $engine = 'PostgreSQL'
}
else {
    $source = @{ Path = (Join-Path $WorkDirectory 'app.db') }
    $writerStore = '--engine', 'sqlite', '--file', $source.Path
    if ($SourceStore) { Copy-Item $SourceStore $source.Path }
    $engine = 'SQLite'
}
function Test-Source { if ($engine -eq 'SQLite') { Test-Path $source.Path } else { try { $null -ne (Get-EventStore @source) } catch { $false } } }
# A store that exists before the writer starts is mirrored first; a new one, once reSolve's init has created it.
if ((Test-Source) -and -not $WithoutMirror) { Sync-EventStore @source -DestinationPath $destination | Out-Null }
foreach ($argument in @(Join-Path $PSScriptRoot '../tests/compat/writer.js') + $writerStore + @('--rate', $Rate, '--seconds', $Seconds)) { $start.ArgumentList.Add("$argument") }
$start.RedirectStandardInput = $true
$start.RedirectStandardOutput = $true
try {
    $writer = [System.Diagnostics.Process]::Start($start)
    $output = $writer.StandardOutput.ReadToEndAsync()
    while (-not (Test-Source)) { Start-Sleep -Milliseconds 20 }
    Start-Sleep -Milliseconds 500
    $result = $null
    $result = if (-not $WithoutMirror) { Sync-EventStore @source -DestinationPath $destination -Follow -PollInterval $PollInterval -Timeout ([TimeSpan]::FromSeconds($Seconds)) }
    $writer.WaitForExit()
    $lines = @($output.Result -split "`n" | Where-Object { $_ } | ConvertFrom-Json)
    $done = $lines[-1]
    $timestamps = @($lines | Where-Object { $_.PSObject.Properties['timestamp'] } | ForEach-Object { [long]$_.timestamp })
    $gaps = @(for ($i = 1; $i -lt $timestamps.Count; $i++) { $timestamps[$i] - $timestamps[$i - 1] }) | Sort-Object
    function Get-Percentile([double] $Share) { if ($gaps) { $gaps[[math]::Min($gaps.Count - 1, [int][math]::Floor($Share * $gaps.Count))] } }
    [pscustomobject]@{
        Direction             = if ($WithoutMirror) { "$engine (no follower)" } else { "$engine -> SQLite" }
        WriterEventsPerSecond = [math]::Round($done.saved / ($done.elapsedMs / 1000))
        MirroredEvents        = if ($result) { $result.PreviousCount + $result.CopiedCount }
        MedianLagMilliseconds = if ($result) { $result.MedianLagMilliseconds }
        MaxLagMilliseconds    = if ($result) { $result.MaxLagMilliseconds }
        SaveGapP50            = Get-Percentile 0.5
        SaveGapP90            = Get-Percentile 0.9
        SaveGapP99            = Get-Percentile 0.99
        SaveGapMax            = $gaps ? $gaps[-1] : $null
    }
}
finally {
    if ($writer -and -not $writer.HasExited) { $writer.Kill() }
    Remove-Item $WorkDirectory -Recurse -Force -ErrorAction Ignore
}
