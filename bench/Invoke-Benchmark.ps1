<#
.SYNOPSIS
Measures copies of reSolve-shaped stores against SQLite's own copy and prints a markdown table.

.DESCRIPTION
Generates stores of 10k, 100k and 1M events (once; kept in out/bench/data), then runs every scenario
-Runs times, each run in its own pwsh under /usr/bin/time -v so its peak resident memory is its own,
and reports the median time. The floor is SQLite's ATTACH + INSERT INTO ... SELECT into a new store with
the same schema and pragmas, run by the same SQLite library; every scenario is also shown as a ratio to
the floor of its size. The table goes to the console and to bench/results/latest.md, its rows as data to
bench/results/latest.csv, and their chart (events/s and peak memory against store size) to bench/results/latest.svg.

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Bench

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -Quick

.EXAMPLE
dotnet pwsh ./build.ps1 -Task Bench -Scale
1M, 3M and 10M events (not in CI): export to NDJSON, import from NDJSON and the pipeline copy at each size against
SQLite's own copy, and the incremental import into 10M; the 10M rows say whether peak memory and events/s hold.

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -PostgresOnly
Only the PostgreSQL rows at 1M events: the server's own COPY (the floor), the copies into and out of PostgreSQL,
the NDJSON export from it and the incremental import.

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -MirrorOnly
Only the mirror's rows at 10k and 1M events: the initial Sync-EventStore against the pipeline copy of the same store, the
CPU of a caught-up Sync-EventStore -Follow and Export-EventStore -Follow per idle minute, and reSolve's writer's gaps
between saves on the 1M store alone and with a follower (with the follower's lag).

.EXAMPLE
dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/EventStoreTools/EventStoreTools.psd1 -CompressionOnly -CompressionSize 100000 -Runs 1
Only the compression rows (plain, .gz and .zst exports and imports), at 100k events, once.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # 10k and 100k events only.
    [switch] $Quick,
    # 1M, 3M and 10M events: the copies that must scale, and the incremental import into 10M (minutes; not in CI).
    [switch] $Scale,
    [ValidateRange(1, 99)] [int] $Runs = 3,
    [string] $WorkDirectory = (Join-Path $PSScriptRoot '../out/bench'),
    [string] $ResultFile = (Join-Path $PSScriptRoot 'results/latest.md'),
    # Only the compression rows (to check them without the whole benchmark).
    [switch] $CompressionOnly,
    # The store size of the compression rows: the largest size unless given.
    [long] $CompressionSize,
    # Only the PostgreSQL rows, at the largest size (with -Scale: the incremental import into 10M).
    [switch] $PostgresOnly,
    # Only the mirror's rows (see Measure-MirrorRows), at 10k and 1M events (with -Scale: 10k and 10M).
    [switch] $MirrorOnly,
    # With -MirrorOnly: how long each idle follower is measured.
    [int] $IdleSeconds = 60
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0

$ModulePath = (Resolve-Path $ModulePath).Path
$WorkDirectory = [IO.Path]::GetFullPath($WorkDirectory)
$ResultFile = [IO.Path]::GetFullPath($ResultFile)
# As [long] everywhere: the hashtables below are keyed by size, and an [int] key does not find a [long] one.
$Sizes = [long[]]$(if ($CompressionOnly -and $CompressionSize) { , $CompressionSize } elseif ($MirrorOnly) { 10000, $(if ($Scale) { 10000000 } else { 1000000 }) } elseif ($Scale) { 1000000, 3000000, 10000000 } elseif ($Quick) { 10000, 100000 } else { 10000, 100000, 1000000 })
# The incremental import adds this many events (half already stored) to the largest store.
$IncrementalCount = if ($Quick) { 10000 } else { 100000 }
$Data = Join-Path $WorkDirectory 'data'
$Scratch = Join-Path $WorkDirectory 'scratch'
$Runner = Join-Path $PSScriptRoot 'Invoke-BenchmarkScenario.ps1'
$TimeCommand = '/usr/bin/time'

Import-Module $ModulePath
. (Join-Path $PSScriptRoot 'BenchmarkSqlite.ps1')
. (Join-Path $PSScriptRoot '../tests/pester/PostgresServer.ps1')
. (Join-Path $PSScriptRoot 'BenchmarkPostgres.ps1')

if (-not (Test-Path $TimeCommand)) {
    throw "$TimeCommand is needed for peak memory per scenario: install it with 'apt-get install time'."
}

function Format-Count([long] $Count) {
    if ($Count -eq 0) { '' } elseif ($Count % 1000000 -eq 0) { "$($Count / 1000000)M" } elseif ($Count % 1000 -eq 0) { "$($Count / 1000)k" } else { "$Count" }
}

function New-GeneratedStore([string] $Path, [long] $Count) {
    if (Test-Path $Path) { return }
    Write-Host "Generating $(Format-Count $Count) events into $Path"
    $partial = "$Path.partial"
    Remove-Item $partial -ErrorAction Ignore
    New-GeneratedEventStore -Path $partial -Count $Count
    Move-Item $partial $Path
}

function New-IncrementalStore([string] $Path, [string] $LargeStore, [long] $Count) {
    if (Test-Path $Path) { return }
    Write-Host "Generating the incremental input: $(Format-Count $Count) events, half of them in $LargeStore"
    $partial = "$Path.partial"
    Remove-Item $partial -ErrorAction Ignore
    New-IncrementalInput -Path $partial -LargeStore $LargeStore -Count $Count
    Move-Item $partial $Path
}

function Reset-Scratch {
    Remove-Item $Scratch -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $Scratch | Out-Null
}

# One run in a fresh pwsh; returns the seconds the scenario took and the process's peak RSS in MB.
function Invoke-ScenarioRun([string] $Scenario, [hashtable] $Arguments) {
    $timeReport = Join-Path $WorkDirectory 'time.txt'
    $argumentList = @('-v', '-o', $timeReport, [Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'),
        '-NoProfile', '-NonInteractive', '-File', $Runner, '-ModulePath', $ModulePath, '-Scenario', $Scenario)
    foreach ($name in $Arguments.Keys) { $argumentList += "-$name", $Arguments[$name] }
    $output = & $TimeCommand @argumentList
    if ($LASTEXITCODE -ne 0) { throw "Scenario $Scenario failed (exit code $LASTEXITCODE): $($output -join "`n")" }
    $seconds = [double]::Parse(@($output)[-1], [cultureinfo]::InvariantCulture)
    $rssKb = (Select-String -Path $timeReport -Pattern 'Maximum resident set size \(kbytes\): (\d+)').Matches[0].Groups[1].Value
    [pscustomobject]@{ Seconds = $seconds; PeakMB = [long]$rssKb / 1024; Output = @($output) }
}

<#
Says whether a row reaches its target: "met", or by how much it falls short of each bound it misses. Bounds:
MaxRatio (x floor), MinEventsPerSecond, MaxPeakMB, MaxSeconds; AtSize limits a target to the rows of one size.
#>
function Set-TargetStatus($Row, [hashtable] $Target) {
    if (-not $Target -or ($Target['AtSize'] -and $Target['AtSize'] -ne $Row.Events)) { return }
    $shortfalls = @(
        if ($Target['MaxRatio'] -and $Row.Ratio -gt $Target.MaxRatio) { '{0:N2}x floor, {1:P0} over {2:N1}x' -f $Row.Ratio, ($Row.Ratio / $Target.MaxRatio - 1), $Target.MaxRatio }
        if ($Target['MinEventsPerSecond'] -and $Row.EventsPerSecond -lt $Target.MinEventsPerSecond) { '{0:N0}/s, {1:P0} under {2:N0}/s' -f $Row.EventsPerSecond, (1 - $Row.EventsPerSecond / $Target.MinEventsPerSecond), $Target.MinEventsPerSecond }
        if ($Target['MaxPeakMB'] -and $Row.PeakMB -gt $Target.MaxPeakMB) { '{0:N0} MB, {1:N0} MB over {2:N0} MB' -f $Row.PeakMB, ($Row.PeakMB - $Target.MaxPeakMB), $Target.MaxPeakMB }
        if ($Target['MaxSeconds'] -and $Row.Seconds -gt $Target.MaxSeconds) { '{0:N2} s, {1:P0} over {2:N1} s' -f $Row.Seconds, ($Row.Seconds / $Target.MaxSeconds - 1), $Target.MaxSeconds }
    )
    $Row.Target = if ($shortfalls) { 'short: ' + ($shortfalls -join '; ') } else { 'met' }
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

<#
Reads the files a run takes as its input into the OS page cache. The machine's kernel pages out what has not been
touched for about a minute (DAMON's reclaim), so an input left idle between scenarios came back from the disk in the
first run of the next and not in the others; read first, every run of every scenario (floors too) starts from memory.
#>
function Read-IntoPageCache([hashtable] $Arguments) {
    $buffer = [byte[]]::new(1MB)
    foreach ($path in $Arguments.Values) {
        if ($path -isnot [string] -or -not (Test-Path -LiteralPath $path -PathType Leaf)) { continue }
        $stream = [IO.File]::OpenRead($path)
        try { while ($stream.Read($buffer, 0, $buffer.Length) -gt 0) { } }
        finally { $stream.Dispose() }
    }
}

# Runs a scenario $Runs times; $Prepare runs before each run (outside the measurement) to reset its target.
function Measure-Scenario([string] $Name, [string] $Scenario, [long] $Events, [hashtable] $Arguments, [scriptblock] $Prepare, [long] $Bytes = 0) {
    $results = for ($run = 1; $run -le $Runs; $run++) {
        Reset-Scratch
        if ($Prepare) { & $Prepare }
        Read-IntoPageCache $Arguments
        $result = Invoke-ScenarioRun $Scenario $Arguments
        Write-Host ("  {0,-40} {1,6} run {2}: {3,8:N2} s, {4,5:N0} MB" -f $Name, (Format-Count $Events), $run, $result.Seconds, $result.PeakMB)
        $result
    }
    $median = Get-Median $results.Seconds
    [pscustomobject]@{
        Scenario = $Name
        Events = $Events
        Seconds = $median
        EventsPerSecond = if ($Events -gt 0 -and $median -gt 0) { $Events / $median } else { $null }
        MBPerSecond = if ($Bytes -gt 0) { $Bytes / 1MB / $median } else { $null }
        PeakMB = ($results.PeakMB | Measure-Object -Maximum).Maximum
        Ratio = $null
        Target = ''
        Note = ''
    }
}

New-Item -ItemType Directory -Path $Data -Force | Out-Null
$stores = @{}
foreach ($size in $Sizes) {
    $stores[$size] = Join-Path $Data "events-$(Format-Count $size).db"
    New-GeneratedStore $stores[$size] $size
}
$largest = $Sizes[-1]
$target = Join-Path $Scratch 'target.db'
$ndjson = Join-Path $Data 'export.ndjson'
$rows = [Collections.Generic.List[object]]::new()

# Compression: time and size of an export written plain, .gz (fastest and default level) and .zst, and of the
# imports that read them; the plain NDJSON export's time is the bar (x plain).
function Measure-Compression([long] $Size) {
    $source = $stores[$Size]
    $plain = Measure-Scenario 'Export-EventStore -OutFile .ndjson (plain, the bar)' 'ExportFile' $Size @{ Source = $source; Ndjson = (Join-Path $Scratch 'out.ndjson') } $null
    $plainBytes = (Get-Item (Join-Path $Scratch 'out.ndjson') -ErrorAction Ignore)?.Length
    $plain.Ratio = 1
    $plain.Note = "$([math]::Round($plainBytes / 1MB, 1)) MB; ratio: x plain export"
    $rows.Add($plain)
    foreach ($format in @(
            @{ Name = '.ndjson.gz, -CompressionLevel Fastest'; Extension = '.gz'; Level = 'Fastest' }
            @{ Name = '.ndjson.gz (Optimal)'; Extension = '.gz'; Level = 'Optimal' }
            @{ Name = '.ndjson.zst, -CompressionLevel Fastest'; Extension = '.zst'; Level = 'Fastest' }
            @{ Name = '.ndjson.zst (Optimal)'; Extension = '.zst'; Level = 'Optimal' })) {
        $file = Join-Path $Scratch "out.ndjson$($format.Extension)"
        $row = Measure-Scenario "Export-EventStore -OutFile $($format.Name)" 'ExportFile' $Size @{ Source = $source; Ndjson = $file; CompressionLevel = $format.Level } $null
        $row.Ratio = $row.Seconds / $plain.Seconds
        $bytes = (Get-Item $file).Length
        $row.Note = "$([math]::Round($bytes / 1MB, 1)) MB ($([math]::Round(100 * $bytes / $plainBytes, 1)) % of plain)"
        $rows.Add($row)
    }
    $inputs = Join-Path $Data 'compressed'
    New-Item -ItemType Directory -Path $inputs -Force | Out-Null
    foreach ($extension in '', '.gz', '.zst') {
        $file = Join-Path $inputs "export-$(Format-Count $Size).ndjson$extension"
        if (-not (Test-Path $file)) { Export-EventStore $source -OutFile $file }
        $row = Measure-Scenario "Import-EventStore -InFile .ndjson$extension" 'ImportNdjson' $Size @{ Source = $source; Target = $target; Ndjson = $file } $null
        $row.Ratio = $row.Seconds / $plain.Seconds
        $rows.Add($row)
    }
}

# The first command in a fresh pwsh (issue 15): a 50k-event copy right after Import-Module against the same copy
# again in that process, each run in its own pwsh; the target is the first within 1.3x of the warm one (median of
# the runs' ratios, CPU time beside it as the machine may be shared). Then reSolve's own copy of the same store,
# pipeline(exportEvents, importEvents) in a fresh node, when tests/compat's packages are installed.
function Measure-FirstCommand {
    $firstCount = 50000
    $firstStore = Join-Path $Data "events-$(Format-Count $firstCount).db"
    New-GeneratedStore $firstStore $firstCount
    $pairs = for ($run = 1; $run -le $Runs; $run++) {
        Reset-Scratch
        Read-IntoPageCache @{ Source = $firstStore }
        $result = Invoke-ScenarioRun 'FirstCopy' @{ Source = $firstStore; Target = $target }
        $detail = $result.Output | Where-Object { "$_" -like 'first-cpu *' } | Select-Object -Last 1
        $values = "$detail".Split(' ')
        $warm = [double]::Parse($values[3], [cultureinfo]::InvariantCulture)
        Write-Host ("  {0,-40} {1,6} run {2}: first {3:N2} s, warm {4:N2} s, {5:N2}x" -f 'first copy in a fresh pwsh', (Format-Count $firstCount), $run, $result.Seconds, $warm, ($result.Seconds / $warm))
        [pscustomobject]@{
            First = $result.Seconds; FirstCpu = [double]::Parse($values[1], [cultureinfo]::InvariantCulture)
            Warm = $warm; WarmCpu = [double]::Parse($values[5], [cultureinfo]::InvariantCulture); PeakMB = $result.PeakMB
        }
    }
    $ratio = Get-Median ($pairs | ForEach-Object { $_.First / $_.Warm })
    $cpuRatio = Get-Median ($pairs | ForEach-Object { $_.FirstCpu / $_.WarmCpu })
    $verdict = if ($ratio -le 1.3) { 'met' } else { "short by $([math]::Round($ratio / 1.3, 2))x" }
    $first = Get-Median $pairs.First
    $rows.Add([pscustomobject]@{ Scenario = 'Export-EventStore | Import-EventStore, first command after Import-Module'; Events = $firstCount
        Seconds = $first; EventsPerSecond = $firstCount / $first; MBPerSecond = $null; PeakMB = ($pairs.PeakMB | Measure-Object -Maximum).Maximum; Ratio = $null
        Note = ("{0:N2}x the warm copy (target 1.3x: {1}); CPU {2:N2} s, {3:N2}x the warm copy's" -f $ratio, $verdict, (Get-Median $pairs.FirstCpu), $cpuRatio) })
    $warm = Get-Median $pairs.Warm
    $rows.Add([pscustomobject]@{ Scenario = 'the same copy again in that pwsh (warm)'; Events = $firstCount
        Seconds = $warm; EventsPerSecond = $firstCount / $warm; MBPerSecond = $null; PeakMB = $null; Ratio = $null
        Note = ("CPU {0:N2} s" -f (Get-Median $pairs.WarmCpu)) })

    $compatPackages = Join-Path $PSScriptRoot '../tests/compat/node_modules/@resolve-js/eventstore-lite'
    if (-not (Get-Command node -ErrorAction Ignore) -or -not (Test-Path $compatPackages)) {
        $rows.Add([pscustomobject]@{ Scenario = 'reSolve pipeline(exportEvents, importEvents)'; Events = $firstCount; Seconds = $null; EventsPerSecond = $null
            MBPerSecond = $null; PeakMB = $null; Ratio = $null; Note = 'not run: tests/compat''s packages are not installed (build.ps1 -Task Bench installs them)' })
        return
    }
    $resolveRuns = for ($run = 1; $run -le $Runs; $run++) {
        Reset-Scratch
        Read-IntoPageCache @{ Source = $firstStore }
        $output = node (Join-Path $PSScriptRoot 'resolve-copy.js') $firstStore $target
        if ($LASTEXITCODE -ne 0) { throw "reSolve's copy failed (exit code $LASTEXITCODE): $($output -join "`n")" }
        $seconds = [double]::Parse(@($output)[-1], [cultureinfo]::InvariantCulture)
        Write-Host ("  {0,-40} {1,6} run {2}: {3,8:N2} s" -f 'reSolve pipeline(export, import)', (Format-Count $firstCount), $run, $seconds)
        $seconds
    }
    $resolveSeconds = Get-Median $resolveRuns
    $rows.Add([pscustomobject]@{ Scenario = 'reSolve pipeline(exportEvents, importEvents), eventstore-lite'; Events = $firstCount
        Seconds = $resolveSeconds; EventsPerSecond = $firstCount / $resolveSeconds; MBPerSecond = $null; PeakMB = $null; Ratio = $null
        Note = ("our first copy is {0:N0}x faster (target 50x)" -f ($resolveSeconds / $first)) })
}

# The same events as one JSON array, written as a stream (the NDJSON lines joined by commas).
function ConvertTo-JsonArrayFile([string] $Ndjson, [string] $Path) {
    $reader = [IO.StreamReader]::new($Ndjson)
    $writer = [IO.StreamWriter]::new($Path, $false, [Text.UTF8Encoding]::new($false))
    try {
        $writer.Write('[')
        $first = $true
        while ($null -ne ($line = $reader.ReadLine())) {
            if ($line.Length -eq 0) { continue }
            if (-not $first) { $writer.Write(",`n") }
            $writer.Write($line)
            $first = $false
        }
        $writer.Write("]`n")
    }
    finally { $reader.Dispose(); $writer.Dispose() }
}

# The mirror (issue 30): the initial Sync-EventStore of each size against the pipeline copy of the same store (target
# 1.2x), the CPU of a caught-up follower per idle minute at each size (target: the same at every size, within 2x), and
# reSolve's writer (tests/compat/writer.js at 200 events/s on a copy of the largest store) alone and with
# Sync-EventStore -Follow: its gaps between saves (target p99 within 1.5x of alone) and the follower's lag. Then the
# idle and writer rows again with the stores loaded into a throwaway PostgreSQL, mirrored into SQLite.
function Measure-MirrorRows {
    foreach ($size in $Sizes) {
        $arguments = @{ Source = $stores[$size]; Target = $target }
        $pipeline = Measure-Scenario 'Export-EventStore | Import-EventStore (the bar)' 'Pipeline' $size $arguments $null
        $pipeline.Ratio = 1
        $pipeline.Note = 'x: x this copy'
        $rows.Add($pipeline)
        $sync = Measure-Scenario 'Sync-EventStore, initial sync into a new store' 'Sync' $size $arguments $null
        $sync.Ratio = $sync.Seconds / $pipeline.Seconds
        $sync.Target = if ($sync.Ratio -le 1.2) { 'met' } else { 'short: {0:N2}x the pipeline copy, {1:P0} over 1.2x' -f $sync.Ratio, ($sync.Ratio / 1.2 - 1) }
        $rows.Add($sync)
    }
    $sqliteStores = @{}
    foreach ($size in $Sizes) { $sqliteStores[$size] = @{ Store = $stores[$size] } }
    Add-MirrorIdleRows $sqliteStores ''
    $writerReady = (Get-Command node -ErrorAction Ignore) -and (Test-Path (Join-Path $PSScriptRoot '../tests/compat/node_modules/@resolve-js/eventstore-lite'))
    if ($writerReady) { Add-MirrorWriterRows @{ SourceStore = $stores[$largest] } '' }
    else { Write-Host 'The writer rows need tests/compat''s packages (build.ps1 -Task Bench installs them).' }
    $postgresBin = try { Get-PostgresBin } catch { $null }
    if (-not $postgresBin) {
        Write-Host 'The PostgreSQL mirror rows need PostgreSQL''s server binaries (build.ps1 -Task Bench installs them).'
        return
    }
    $server = Start-TestPostgres -Durable -Bin $postgresBin
    try {
        $postgresStores = @{}
        foreach ($size in $Sizes) {
            Write-Host "Loading $(Format-Count $size) events into PostgreSQL for the mirror"
            $postgres = @{ ConnectionString = $server.ConnectionString; Schema = "mirror_$size" }
            Export-EventStore $stores[$size] | Import-EventStore @postgres -Replace -Force | Out-Null
            $postgresStores[$size] = $postgres
        }
        Add-MirrorIdleRows $postgresStores ', PostgreSQL'
        if ($writerReady) { Add-MirrorWriterRows $postgresStores[$largest] ', PostgreSQL' }
    }
    finally { Stop-TestPostgres $server }
}

# The rows of caught-up followers, Sync-EventStore -Follow and Export-EventStore -Follow, of each store of $Sources
# (keyed by size; the source parameters of Measure-MirrorIdle.ps1); $Label marks the engine in the scenario's name.
function Add-MirrorIdleRows([hashtable] $Sources, [string] $Label) {
    $idle = foreach ($command in 'Sync', 'Export') {
        foreach ($size in $Sizes) {
            $source = $Sources[$size]
            $measured = & (Join-Path $PSScriptRoot 'Measure-MirrorIdle.ps1') -ModulePath $ModulePath @source -Command $command -Seconds $IdleSeconds
            Write-Host ("  {0,-40} {1,-35} {2,6}: {3:N3} CPU-s per idle minute" -f $measured.Command, $measured.Direction, (Format-Count $size), $measured.CpuSecondsPerIdleMinute)
            $measured
        }
    }
    foreach ($measured in $idle) {
        $smallest = $idle | Where-Object { $_.Command -eq $measured.Command } | Select-Object -First 1
        $ratio = $measured.CpuSecondsPerIdleMinute / [math]::Max($smallest.CpuSecondsPerIdleMinute, 0.001)
        $rows.Add([pscustomobject]@{ Scenario = "$($measured.Command)$Label, caught up, nothing written"; Events = $measured.Events; Seconds = $null
            EventsPerSecond = $null; MBPerSecond = $null; PeakMB = $null; Ratio = $null
            Target = if ($ratio -le 2) { 'met' } else { 'short: {0:N1}x the smallest store''s' -f $ratio }
            Note = ('{0:N3} CPU-s per idle minute ({1:N1}x the {2} store''s), a poll every 250 ms, measured over {3} s, {4}' -f $measured.CpuSecondsPerIdleMinute, $ratio, (Format-Count $smallest.Events), $IdleSeconds, $measured.Direction) })
    }
}

# reSolve's writer on the largest store ($Source: the source parameters of Measure-MirrorLag.ps1), alone and with a
# follower; $Label marks the engine in the scenario's name.
function Add-MirrorWriterRows([hashtable] $Source, [string] $Label) {
    $alone = $null
    foreach ($withMirror in $false, $true) {
        $measured = & (Join-Path $PSScriptRoot 'Measure-MirrorLag.ps1') -ModulePath $ModulePath @Source -Rate 200 -Seconds 30 -WithoutMirror:(-not $withMirror) -PollInterval ([TimeSpan]::FromMilliseconds(250))
        $alone ??= $measured
        $note = 'gaps between saves p50 {0} ms, p90 {1} ms, p99 {2} ms, max {3} ms' -f $measured.SaveGapP50, $measured.SaveGapP90, $measured.SaveGapP99, $measured.SaveGapMax
        if ($withMirror) { $note += '; follower lag median {0} ms, worst {1} ms; {2}' -f $measured.MedianLagMilliseconds, $measured.MaxLagMilliseconds, $measured.Direction }
        Write-Host "  reSolve's writer$Label, $(if ($withMirror) { 'with a follower' } else { 'alone' }): $note"
        $rows.Add([pscustomobject]@{ Scenario = "reSolve's writer$Label, 200 events/s requested, $(if ($withMirror) { 'with Sync-EventStore -Follow (250 ms polls)' } else { 'alone' })"
            Events = $largest; Seconds = $null; EventsPerSecond = $measured.WriterEventsPerSecond; MBPerSecond = $null; PeakMB = $null; Ratio = $null
            Target = if (-not $withMirror) { '' } elseif ($measured.SaveGapP99 -le 1.5 * $alone.SaveGapP99) { 'met' } else { 'short: p99 {0:N1}x alone' -f ($measured.SaveGapP99 / $alone.SaveGapP99) }
            Note = $note })
    }
}

if ($CompressionOnly) {
    Measure-Compression $largest
}
elseif ($MirrorOnly) {
    Measure-MirrorRows
}
elseif ($PostgresOnly) {
    Export-EventStore $stores[$largest] -OutFile $ndjson
    Measure-PostgresRows $largest -IncrementalOnly:$Scale
}
else {
    $incrementalInput = Join-Path $Data "incremental-$(Format-Count $IncrementalCount)-into-$(Format-Count $largest).db"
    New-IncrementalStore $incrementalInput $stores[$largest] $IncrementalCount

    $rows.Add((Measure-Scenario 'pwsh + module, idle (baseline memory)' 'Idle' 0 @{ Source = $stores[$Sizes[0]] } $null))
    # The scenarios run at every size after that size's floor, as a ratio to it. Arguments: the scenario's
    # parameters for the store $source (NDJSON export $ndjson of it); Bytes: MB/s of the NDJSON; Target: see
    # Set-TargetStatus; Scale: also run by -Scale. Add a row here.
    $copyTarget = @{ AtSize = 1000000; MaxRatio = 2.0; MinEventsPerSecond = 150000; MaxPeakMB = 400 }
    # Issue #29: the pipeline copy within 2.0x of the floor, -InFile within 1.8x.
    $inFileTarget = $copyTarget.Clone()
    $inFileTarget.MaxRatio = 1.8
    $sizedScenarios = @(
        @{ Name = 'SQLite INSERT ... SELECT ... ORDER BY (row by row)'; Scenario = 'FloorInReadOrder'; Arguments = { @{ Source = $source; Target = $target } } }
        @{ Name = 'Export-EventStore | Import-EventStore'; Scenario = 'Pipeline'; Arguments = { @{ Source = $source; Target = $target } }; Target = $copyTarget; Scale = $true }
        @{ Name = 'Export-EventStore -OutFile (NDJSON)'; Scenario = 'ExportNdjson'; Arguments = { @{ Source = $source; Ndjson = (Join-Path $Scratch 'out.ndjson') } }; Bytes = $true; Scale = $true }
        @{ Name = 'Import-EventStore -InFile (NDJSON)'; Scenario = 'ImportNdjson'; Arguments = { @{ Source = $source; Target = $target; Ndjson = $ndjson } }; Bytes = $true; Target = $inFileTarget; Scale = $true }
        @{ Name = 'Import-EventStore -InFile (JSON array)'; Scenario = 'ImportNdjson'; Arguments = { @{ Source = $source; Target = $target; Ndjson = $jsonArray } }; Bytes = $true; Scale = $true }
        @{ Name = 'Export-EventStore | Measure-Object'; Scenario = 'ExportMeasure'; Arguments = { @{ Source = $source } } }
    )
    $floors = @{}
    foreach ($size in $Sizes) {
        $source = $stores[$size]
        Export-EventStore $source -OutFile $ndjson
        $ndjsonBytes = (Get-Item $ndjson).Length
        $jsonArray = Join-Path $Data 'export.json'
        ConvertTo-JsonArrayFile $ndjson $jsonArray
        $floor = Measure-Scenario 'SQLite ATTACH + INSERT ... SELECT (floor)' 'Floor' $size @{ Source = $source; Target = $target } $null
        $floor.Ratio = 1
        $floors[$size] = $floor.Seconds
        $rows.Add($floor)
        foreach ($scenario in $sizedScenarios) {
            if ($Scale -and -not $scenario['Scale']) { continue }
            $row = Measure-Scenario $scenario.Name $scenario.Scenario $size (& $scenario.Arguments) $null $(if ($scenario['Bytes']) { $ndjsonBytes } else { 0 })
            $row.Ratio = $row.Seconds / $floor.Seconds
            Set-TargetStatus $row $scenario['Target']
            $rows.Add($row)
        }
    }
    # A JSON array of the same events (an application's import body) imports with memory within 10% of the NDJSON file's.
    foreach ($row in @($rows | Where-Object Scenario -eq 'Import-EventStore -InFile (JSON array)')) {
        $lines = $rows | Where-Object { $_.Scenario -eq 'Import-EventStore -InFile (NDJSON)' -and $_.Events -eq $row.Events } | Select-Object -First 1
        if ($lines) { Set-TargetStatus $row @{ MaxPeakMB = 1.1 * $lines.PeakMB } }
    }
    if ($Scale) {
        # At the largest size each copy holds its memory and its rate: peak within 10% of the smallest size's, events/s at least 75% of it.
        foreach ($row in @($rows | Where-Object Events -eq $largest)) {
            $smallest = $rows | Where-Object { $_.Scenario -eq $row.Scenario -and $_.Events -eq $Sizes[0] } | Select-Object -First 1
            if (-not $smallest -or $row.Ratio -eq 1) { continue }
            Set-TargetStatus $row @{ MaxPeakMB = 1.1 * $smallest.PeakMB; MinEventsPerSecond = 0.75 * $smallest.EventsPerSecond }
            $row.Note = 'target: peak within 10%, events/s at least 75% of the 1M row'
        }
    }

    Measure-FirstCommand

    $incrementalName = "Import-EventStore -Incremental into $(Format-Count $largest)"
    $prepare = { Copy-Item $stores[$largest] $target }
    $row = Measure-Scenario $incrementalName 'Incremental' $IncrementalCount @{ Source = $incrementalInput; Target = $target } $prepare
    $row.Note = 'half of the events already stored'
    Set-TargetStatus $row @{ MaxSeconds = $(if ($largest -ge 10000000) { 5 } else { 3 }) }
    $rows.Add($row)

    if (-not $Scale) { Measure-Compression $largest }

    Measure-PostgresRows $largest -IncrementalOnly:$Scale
}
# The mirror's steady-state lag under reSolve's own writer (tests/compat/writer.js) at 1,000 events/s.
if (-not $PostgresOnly -and -not $Scale -and -not $MirrorOnly) {
$lag = & (Join-Path $PSScriptRoot 'Measure-MirrorLag.ps1') -ModulePath $ModulePath -Rate 1000 -Seconds 10
$rows.Add([pscustomobject]@{ Scenario = 'Sync-EventStore -Follow lag, SQLite -> SQLite'; Events = $lag.MirroredEvents; Seconds = $null; EventsPerSecond = $lag.WriterEventsPerSecond
    MBPerSecond = $null; PeakMB = $null; Ratio = $null; Note = "lag median $($lag.MedianLagMilliseconds) ms, worst $($lag.MaxLagMilliseconds) ms (writer at 1,000 events/s requested)" })
}
Remove-Item $Scratch -Recurse -Force -ErrorAction Ignore

function Format-Cell($Value, [string] $Format) { if ($null -eq $Value) { '' } else { $Value.ToString($Format, [cultureinfo]::InvariantCulture) } }

$command = 'dotnet pwsh ./build.ps1 -Task Bench' + $(if ($CompressionOnly) { ' # Invoke-Benchmark.ps1 -CompressionOnly' } elseif ($MirrorOnly) { " # Invoke-Benchmark.ps1 -MirrorOnly -Runs $Runs" + $(if ($Scale) { ' -Scale' }) } elseif ($PostgresOnly) { ' # Invoke-Benchmark.ps1 -PostgresOnly' + $(if ($Scale) { ' -Scale' }) } elseif ($Scale) { ' -Scale' } elseif ($Quick) { ' # Invoke-Benchmark.ps1 -Quick' } else { '' })
$measuredAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')
$table = @(
    "Measured $measuredAt UTC with ``$command``: median of $Runs runs, each in its own pwsh",
    "(times exclude pwsh start-up and Import-Module; peak RSS is the whole pwsh process, the highest of the runs)."
    "SQLite $(Get-SqliteVersion) (Microsoft.Data.Sqlite of the module, for the cmdlets and the floor alike), $([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion).",
    '',
    '| Scenario | Events | Median s | Events/s | MB/s | x floor | Peak RSS MB | Target | Note |',
    '|---|--:|--:|--:|--:|--:|--:|---|---|'
    foreach ($row in $rows) {
        '| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |' -f ($row.Scenario -replace '\|', '\|'), $(if ($row.Events) { Format-Count $row.Events } else { '' }),
            (Format-Cell $row.Seconds 'N2'), (Format-Cell $row.EventsPerSecond 'N0'), (Format-Cell $row.MBPerSecond 'N0'),
            (Format-Cell $row.Ratio 'N2'), (Format-Cell $row.PeakMB 'N0'), $row.PSObject.Properties['Target']?.Value, $row.Note
    }
)
New-Item -ItemType Directory -Path (Split-Path $ResultFile) -Force | Out-Null
$table | Set-Content $ResultFile
Write-Host ''
$table | Write-Host
Write-Host "`nWritten to $ResultFile"

# The same rows as data, and drawn: events/s and peak memory against store size (bench/New-BenchmarkChart.ps1).
. (Join-Path $PSScriptRoot 'BenchmarkRecords.ps1')
$resultCsv = [IO.Path]::ChangeExtension($ResultFile, '.csv')
$records = @($rows | ConvertTo-BenchmarkRecord -LargestStore $largest -Runs $Runs -Measured $measuredAt -Command $command)
$records | Export-Csv $resultCsv -UseQuotes AsNeeded
Write-Host "Written to $resultCsv"
if ($records | Where-Object Operation) {
    $chart = [IO.Path]::ChangeExtension($ResultFile, '.svg')
    & (Join-Path $PSScriptRoot 'New-BenchmarkChart.ps1') -ResultCsv $resultCsv -OutFile $chart
    Write-Host "Drawn in $chart"
}
