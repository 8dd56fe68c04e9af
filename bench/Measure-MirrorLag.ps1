<#
.SYNOPSIS
Measures Sync-EventStore -Follow's steady-state lag under reSolve's own writer.

.DESCRIPTION
Starts tests/compat/writer.js (reSolve's eventstore-lite saveEvent in Node) appending to a new SQLite store at
-Rate events per second for -Seconds, while Sync-EventStore -Follow mirrors that store into another SQLite store
in this process. The lag of an event is the time from its timestamp (reSolve stamps it with the time of the save)
to the commit of its batch in the destination, over the events copied once the mirror had caught up. Returns the
median and worst lag in ms and the rate the writer reached. Needs tests/compat's npm packages (build.ps1 -Task Test
installs them).

.EXAMPLE
dotnet pwsh ./bench/Measure-MirrorLag.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Rate = 1000,
    [int] $Seconds = 10,
    [TimeSpan] $PollInterval = [TimeSpan]::FromMilliseconds(50),
    [string] $WorkDirectory = (Join-Path ((Test-Path /dev/shm -PathType Container) ? '/dev/shm' : [IO.Path]::GetTempPath()) "est-lag-$([guid]::NewGuid().ToString('N'))")
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
New-Item -ItemType Directory -Path $WorkDirectory -Force | Out-Null
$source = Join-Path $WorkDirectory 'app.db'
$destination = Join-Path $WorkDirectory 'mirror.db'
$node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
$start = [System.Diagnostics.ProcessStartInfo]::new($node)
foreach ($argument in (Join-Path $PSScriptRoot '../tests/compat/writer.js'), '--engine', 'sqlite', '--file', $source, '--rate', $Rate, '--seconds', $Seconds, '--quiet') { $start.ArgumentList.Add("$argument") }
$start.RedirectStandardInput = $true
$start.RedirectStandardOutput = $true
try {
    $writer = [System.Diagnostics.Process]::Start($start)
    $output = $writer.StandardOutput.ReadToEndAsync()
    while (-not (Test-Path $source)) { Start-Sleep -Milliseconds 20 }
    Start-Sleep -Milliseconds 500
    $result = Sync-EventStore $source -DestinationPath $destination -Follow -PollInterval $PollInterval -Timeout ([TimeSpan]::FromSeconds($Seconds))
    $writer.WaitForExit()
    $done = $output.Result -split "`n" | Where-Object { $_ } | Select-Object -Last 1 | ConvertFrom-Json
    [pscustomobject]@{
        WriterEventsPerSecond = [math]::Round($done.saved / ($done.elapsedMs / 1000))
        MirroredEvents        = $result.PreviousCount + $result.CopiedCount
        MedianLagMilliseconds = $result.MedianLagMilliseconds
        MaxLagMilliseconds    = $result.MaxLagMilliseconds
    }
}
finally {
    if ($writer -and -not $writer.HasExited) { $writer.Kill() }
    Remove-Item $WorkDirectory -Recurse -Force -ErrorAction Ignore
}
