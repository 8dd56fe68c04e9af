# The benchmark's rows as the records of its CSV (bench/results/latest.csv), which bench/New-BenchmarkChart.ps1 draws.
# Dot-sourced by bench/Invoke-Benchmark.ps1.

<#
One record per row: the table's columns, numbers written in the invariant culture, and the columns the chart needs:
- Engine: the store engine the row measures (PostgreSQL when either side of a copy is PostgreSQL); empty for the idle
  baseline, which reads no store.
- IsFloor: the engine's own copy (SQLite's INSERT ... SELECT, PostgreSQL's COPY), that the copies are a ratio of.
- StoreEvents: the size of the store the row measures: the events copied, or for an incremental import the store it
  imports into (the largest one; Events is the events it imports).
- Operation: the chart's line the row belongs to, the same name at every size; empty for the rows that are no
  operation at a store size (the idle baseline, the 50k first-command rows, the compression rows at one size, the
  mirror's writer, lag and idle rows).
They are read from the scenario names, which say all of it, so that the many places that make rows need not.
#>
function ConvertTo-BenchmarkRecord {
    param(
        [Parameter(Mandatory, ValueFromPipeline)] $Row,
        [Parameter(Mandatory)] [long] $LargestStore,
        [Parameter(Mandatory)] [int] $Runs,
        # When the run was measured (UTC, yyyy-MM-dd HH:mm) and the command that ran it, for the chart's title.
        [Parameter(Mandatory)] [string] $Measured,
        [Parameter(Mandatory)] [string] $Command
    )
    process {
        $scenario = $Row.Scenario
        $incremental = $scenario -match '-Incremental into \d+[kM]?\b'
        $operation = if (-not $Row.Events -or -not $Row.EventsPerSecond -or
            $scenario -match 'first command|\(warm\)$|^reSolve|-Follow|-(OutFile|InFile) \.ndjson') { '' }
        elseif ($incremental) { $scenario -replace '-Incremental into \d+[kM]?\b', ('-Incremental of {0:N0} events' -f $Row.Events) }
        else { $scenario }
        [pscustomobject][ordered]@{
            Scenario = $scenario
            Operation = $operation
            Engine = if ($scenario -match 'PostgreSQL') { 'PostgreSQL' } elseif ($Row.Events) { 'SQLite' } else { '' }
            IsFloor = $scenario -match '\(floor\)'
            Events = $Row.Events
            StoreEvents = if ($incremental) { $LargestStore } else { $Row.Events }
            Seconds = Format-InvariantNumber $Row.Seconds '0.###'
            EventsPerSecond = Format-InvariantNumber $Row.EventsPerSecond '0'
            MBPerSecond = Format-InvariantNumber $Row.MBPerSecond '0.#'
            PeakMB = Format-InvariantNumber $Row.PeakMB '0'
            Ratio = Format-InvariantNumber $Row.Ratio '0.###'
            Runs = $Runs
            Measured = $Measured
            Command = $Command
            Target = $Row.PSObject.Properties['Target']?.Value
            Note = $Row.Note
        }
    }
}

function Format-InvariantNumber($Value, [string] $Format) {
    if ($null -eq $Value) { '' } else { ([double]$Value).ToString($Format, [cultureinfo]::InvariantCulture) }
}
