<#
.SYNOPSIS
Measures the CPU that a caught-up follower spends while nothing changes: Sync-EventStore -Follow or Export-EventStore -Follow.

.DESCRIPTION
Mirrors the store (-Store, a SQLite file, or -ConnectionString and -Schema, a PostgreSQL schema) into a scratch
SQLite store first (Sync-EventStore, not measured), then starts the follower in its own pwsh (-Command: Sync, or
Export from the store's latest cursor), waits -WarmUpSeconds for it to start and catch up, and reads the CPU time
(user + system) of that process from /proc over -Seconds while nothing writes to the store. Returns the CPU seconds
per idle minute, the number of polls (-PollInterval apart) in that time and what was mirrored (Direction: a
PostgreSQL store is mirrored into SQLite, the common direction of a backup mirror).

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorIdle.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -Store ./out/bench/data/events-1M.db -Command Sync

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorIdle.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -ConnectionString 'Host=127.0.0.1;Port=5432;Username=postgres' -Schema app -Command Export
#>
[CmdletBinding(DefaultParameterSetName = 'Sqlite')]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory, ParameterSetName = 'Sqlite')] [string] $Store,
    [Parameter(Mandatory, ParameterSetName = 'Postgres')] [string] $ConnectionString,
    [Parameter(Mandatory, ParameterSetName = 'Postgres')] [string] $Schema,
    [ValidateSet('Sync', 'Export')] [string] $Command = 'Sync',
    [int] $Seconds = 60,
    [int] $WarmUpSeconds = 15,
    [TimeSpan] $PollInterval = [TimeSpan]::FromMilliseconds(250),
    [string] $WorkDirectory = (Join-Path ((Test-Path /dev/shm -PathType Container) ? '/dev/shm' : [IO.Path]::GetTempPath()) "est-idle-$([guid]::NewGuid().ToString('N'))")
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
New-Item -ItemType Directory -Path $WorkDirectory -Force | Out-Null
$ModulePath = (Resolve-Path $ModulePath).Path
$mirror = Join-Path $WorkDirectory 'mirror.db'
# The store, as parameters of this process's cmdlets and as text in the follower's command.
function ConvertTo-Quoted([string] $Text) { "'" + ($Text -replace "'", "''") + "'" }
if ($PSCmdlet.ParameterSetName -eq 'Postgres') {
    $source = @{ ConnectionString = $ConnectionString; Schema = $Schema }
    $sourceText = "-ConnectionString $(ConvertTo-Quoted $ConnectionString) -Schema $(ConvertTo-Quoted $Schema)"
    $engine = 'PostgreSQL'
}
else {
    $source = @{ Path = (Resolve-Path $Store).Path }
    $sourceText = ConvertTo-Quoted $source.Path
    $engine = 'SQLite'
}

# CPU seconds (user + system) of a process, from /proc/<pid>/stat in clock ticks.
function Get-ProcessCpuSeconds([int] $Id) {
    $fields = (Get-Content "/proc/$Id/stat" -Raw) -replace '^.*\) ', '' -split ' '
    ([long]$fields[11] + [long]$fields[12]) / 100
}

try {
    $follow = if ($Command -eq 'Sync') {
        Sync-EventStore @source -DestinationPath $mirror | Out-Null
        "Sync-EventStore $sourceText -DestinationPath '$mirror' -Follow -PollInterval '$PollInterval' | Out-Null"
    }
    else {
        "Export-EventStore $sourceText -Cursor '$((Get-EventStore @source).LatestCursor)' -Follow -PollInterval '$PollInterval' | Out-Null"
    }
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    foreach ($argument in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command',
            "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModulePath'; $follow")) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $follower = [System.Diagnostics.Process]::Start($start)
    Start-Sleep -Seconds $WarmUpSeconds
    if ($follower.HasExited) { throw "The follower ended early: $($follower.StandardError.ReadToEnd())" }
    $before = Get-ProcessCpuSeconds $follower.Id
    Start-Sleep -Seconds $Seconds
    $after = Get-ProcessCpuSeconds $follower.Id
    [pscustomobject]@{
        Command                 = "$Command-EventStore -Follow"
        Direction               = "$engine -> $(if ($Command -eq 'Sync') { 'SQLite' } else { 'pipeline (Out-Null)' })"
        Events                  = (Get-EventStore @source).EventCount
        CpuSecondsPerIdleMinute = [math]::Round(($after - $before) * 60 / $Seconds, 3)
        Polls                   = [math]::Floor($Seconds / $PollInterval.TotalSeconds)
    }
}
finally {
    if ($follower -and -not $follower.HasExited) { $follower.Kill() }
    Remove-Item $WorkDirectory -Recurse -Force -ErrorAction Ignore
}
