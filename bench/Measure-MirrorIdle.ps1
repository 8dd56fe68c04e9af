<#
.SYNOPSIS
Measures the CPU that a caught-up follower spends while nothing changes: Sync-EventStore -Follow or Export-EventStore -Follow.

.DESCRIPTION
Mirrors -Store into a scratch SQLite store first (Sync-EventStore, not measured), then starts the follower in its own
pwsh (-Command: Sync, or Export from the store's latest cursor), waits -WarmUpSeconds for it to start and catch up,
and reads the CPU time (user + system) of that process from /proc over -Seconds while nothing writes to the store.
Returns the CPU seconds per idle minute and the number of polls (-PollInterval apart) in that time.

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorIdle.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -Store ./out/bench/data/events-1M.db -Command Sync
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Store,
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
$Store = (Resolve-Path $Store).Path
$mirror = Join-Path $WorkDirectory 'mirror.db'

# CPU seconds (user + system) of a process, from /proc/<pid>/stat in clock ticks.
function Get-ProcessCpuSeconds([int] $Id) {
    $fields = (Get-Content "/proc/$Id/stat" -Raw) -replace '^.*\) ', '' -split ' '
    ([long]$fields[11] + [long]$fields[12]) / 100
}

try {
    $follow = if ($Command -eq 'Sync') {
        Sync-EventStore $Store -DestinationPath $mirror | Out-Null
        "Sync-EventStore '$Store' -DestinationPath '$mirror' -Follow -PollInterval '$PollInterval' | Out-Null"
    }
    else {
        "Export-EventStore '$Store' -Cursor '$((Get-EventStore $Store).LatestCursor)' -Follow -PollInterval '$PollInterval' | Out-Null"
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
        Events                  = (Get-EventStore $Store).EventCount
        CpuSecondsPerIdleMinute = [math]::Round(($after - $before) * 60 / $Seconds, 3)
        Polls                   = [math]::Floor($Seconds / $PollInterval.TotalSeconds)
    }
}
finally {
    if ($follower -and -not $follower.HasExited) { $follower.Kill() }
    Remove-Item $WorkDirectory -Recurse -Force -ErrorAction Ignore
}
