<#
.SYNOPSIS
Draws the benchmark's results as an SVG chart: events per second and peak memory against store size.

.DESCRIPTION
Reads one or more CSVs written by bench/Invoke-Benchmark.ps1 (bench/results/latest.csv) and writes a self-contained
SVG (no scripts, no fonts, no links) with two panels side by side: events per second against the events in the store
(log scale), and the peak resident memory of the pwsh process against the same. Each operation (the CSV's Operation
column) measured at two sizes or more is a line, one measured at one size a point; the engines' own copies (IsFloor)
are dashed and labelled "floor"; the marker says the engine (circle SQLite, square PostgreSQL). Rows with an empty
Operation (the idle baseline, the first-command, compression and mirror rows) are not drawn. Where several rows give
an operation at the same size (a default run and a -Scale run both measure 1M), the one with more runs is drawn, or
of equals the last one read. The title names when and with what command each run was measured.

.EXAMPLE
dotnet pwsh ./bench/New-BenchmarkChart.ps1 -ResultCsv bench/results/latest.csv -OutFile bench/results/latest.svg

.EXAMPLE
dotnet pwsh ./bench/New-BenchmarkChart.ps1 -ResultCsv bench/results/default.csv, bench/results/scale.csv -OutFile bench/results/both.svg
A default run (10k, 100k, 1M) and a -Scale run (1M, 3M, 10M) drawn together: their lines run from 10k to 10M.

.EXAMPLE
dotnet pwsh ./bench/New-BenchmarkChart.ps1 -ResultCsv bench/results/2026-12-03.csv -OutFile docs/performance.svg
The chart that docs/performance.md shows.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string[]] $ResultCsv,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$RequiredColumns = 'Operation', 'Engine', 'IsFloor', 'StoreEvents', 'EventsPerSecond', 'PeakMB', 'Runs', 'Measured', 'Command'
$Invariant = [cultureinfo]::InvariantCulture

$Width = 900
$PlotWidth = 350
$PlotHeight = 250
$PlotLefts = 70, 520
$LegendColumnWidth = 440
$LineHeight = 17
$FloorColors = '#222222', '#8c8c8c'
$Colors = '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#393b79', '#ad494a', '#637939'

function Read-ResultRow([string] $Path) {
    $header = @((Get-Content -LiteralPath $Path -TotalCount 1) -split ',' | ForEach-Object { $_.Trim().Trim('"') })
    $missing = @($RequiredColumns | Where-Object { $_ -notin $header })
    if ($missing) {
        throw "$Path is not a result CSV of bench/Invoke-Benchmark.ps1: it has no column $($missing -join ', ') (it needs $($RequiredColumns -join ', '))."
    }
    Import-Csv -LiteralPath $Path
}

function ConvertTo-Number([string] $Text) {
    if ([string]::IsNullOrWhiteSpace($Text)) { $null } else { [double]::Parse($Text, $Invariant) }
}

# One series per operation, in the order the operations first appear: its name, engine, whether it is a floor, and
# its points by size.
function Get-Series($Rows) {
    $byOperation = [ordered]@{}
    foreach ($row in $Rows | Where-Object Operation) {
        if (-not $byOperation.Contains($row.Operation)) { $byOperation[$row.Operation] = [Collections.Generic.List[object]]::new() }
        $byOperation[$row.Operation].Add($row)
    }
    $index = 0
    foreach ($operation in $byOperation.Keys) {
        $first = $byOperation[$operation][0]
        $points = foreach ($size in $byOperation[$operation] | Group-Object StoreEvents) {
            $chosen = $size.Group | Sort-Object { [int]$_.Runs } -Stable | Select-Object -Last 1
            [pscustomobject]@{
                Events = ConvertTo-Number $chosen.StoreEvents
                EventsPerSecond = ConvertTo-Number $chosen.EventsPerSecond
                PeakMB = ConvertTo-Number $chosen.PeakMB
            }
        }
        [pscustomobject]@{
            Name = $operation
            Engine = $first.Engine
            IsFloor = [bool]::Parse($first.IsFloor)
            Index = $index++
            Points = @($points | Sort-Object Events)
        }
    }
}

function Format-Quantity([double] $Value) {
    if ($Value -ge 1e6) { ($Value / 1e6).ToString('0.#', $Invariant) + 'M' }
    elseif ($Value -ge 1e3) { ($Value / 1e3).ToString('0.#', $Invariant) + 'k' }
    else { $Value.ToString('0.#', $Invariant) }
}

function Format-Coordinate([double] $Value) { $Value.ToString('0.#', $Invariant) }

# A step of 1, 2 or 5 times a power of ten that cuts 0..Maximum into about five ticks.
function Get-TickStep([double] $Maximum) {
    $raw = $Maximum / 5
    $magnitude = [Math]::Pow(10, [Math]::Floor([Math]::Log10($raw)))
    $step = foreach ($multiple in 1, 2, 5, 10) { if ($raw -le $multiple * $magnitude) { $multiple * $magnitude; break } }
    $step
}

function Write-Element($Writer, [string] $Name, [System.Collections.IDictionary] $Attributes, [string] $Text, [scriptblock] $Children) {
    $Writer.WriteStartElement($Name, 'http://www.w3.org/2000/svg')
    foreach ($key in $Attributes.Keys) { $Writer.WriteAttributeString($key, [string]$Attributes[$key]) }
    if ($Text) { $Writer.WriteString($Text) }
    if ($Children) { & $Children }
    $Writer.WriteEndElement()
}

function Write-Marker($Writer, $Series, [double] $X, [double] $Y, [string] $Tooltip) {
    $color = Get-SeriesColor $Series
    $children = if ($Tooltip) { { Write-Element $Writer 'title' @{} $Tooltip } }
    switch ($Series.Engine) {
        'SQLite' { Write-Element $Writer 'circle' ([ordered]@{ cx = Format-Coordinate $X; cy = Format-Coordinate $Y; r = 3.5; fill = $color }) $null $children }
        'PostgreSQL' { Write-Element $Writer 'rect' ([ordered]@{ x = Format-Coordinate ($X - 3.5); y = Format-Coordinate ($Y - 3.5); width = 7; height = 7; fill = $color }) $null $children }
        default {
            $diamond = '{0},{1} {2},{3} {0},{4} {5},{3}' -f (Format-Coordinate $X), (Format-Coordinate ($Y - 4.5)), (Format-Coordinate ($X + 4.5)), (Format-Coordinate $Y), (Format-Coordinate ($Y + 4.5)), (Format-Coordinate ($X - 4.5))
            Write-Element $Writer 'polygon' ([ordered]@{ points = $diamond; fill = $color }) $null $children
        }
    }
}

function Get-SeriesColor($Series) {
    if ($Series.IsFloor) { $FloorColors[$Series.FloorIndex % $FloorColors.Count] } else { $Colors[$Series.ColorIndex % $Colors.Count] }
}

function Get-LineStyle($Series) {
    $style = [ordered]@{ fill = 'none'; stroke = Get-SeriesColor $Series; 'stroke-width' = 1.8 }
    if ($Series.IsFloor) { $style['stroke-dasharray'] = '6 4' }
    $style
}

# One panel: its frame, ticks, grid and axis titles, then each series' line (two sizes or more) and markers.
function Write-Panel($Writer, [string] $Id, [string] $Title, [string] $Metric, [string] $Unit, [double] $Left, [double] $Top, $Series, $XScale) {
    $values = @($Series.Points | ForEach-Object { $_.$Metric } | Where-Object { $null -ne $_ })
    $maximum = ($values | Measure-Object -Maximum).Maximum
    # A little headroom, so that the highest line does not run along the frame.
    $maximum = [Math]::Max(1.05 * $maximum, 1)
    $step = Get-TickStep $maximum
    $yTop = [Math]::Ceiling($maximum / $step) * $step
    $bottom = $Top + $PlotHeight
    $toY = { param($value) $bottom - $value / $yTop * $PlotHeight }
    $toX = { param($events) $Left + ([Math]::Log10($events) - $XScale.Low) / ($XScale.High - $XScale.Low) * $PlotWidth }
    Write-Element $Writer 'g' ([ordered]@{ id = $Id }) $null {
        Write-Element $Writer 'text' ([ordered]@{ x = $Left; y = $Top - 10; 'font-size' = 13; 'font-weight' = 'bold' }) $Title
        for ($tick = 0; $tick -le $yTop + $step / 2; $tick += $step) {
            $y = Format-Coordinate (& $toY $tick)
            Write-Element $Writer 'line' ([ordered]@{ x1 = $Left; y1 = $y; x2 = $Left + $PlotWidth; y2 = $y; stroke = '#e4e4e4' })
            Write-Element $Writer 'text' ([ordered]@{ x = $Left - 6; y = $y; 'text-anchor' = 'end'; 'dominant-baseline' = 'middle' }) (Format-Quantity $tick)
        }
        foreach ($events in $XScale.Ticks) {
            $x = Format-Coordinate (& $toX $events)
            Write-Element $Writer 'line' ([ordered]@{ x1 = $x; y1 = $Top; x2 = $x; y2 = $bottom; stroke = '#e4e4e4' })
            Write-Element $Writer 'text' ([ordered]@{ x = $x; y = $bottom + 16; 'text-anchor' = 'middle' }) (Format-Quantity $events)
        }
        Write-Element $Writer 'rect' ([ordered]@{ x = $Left; y = $Top; width = $PlotWidth; height = $PlotHeight; fill = 'none'; stroke = '#555555' })
        Write-Element $Writer 'text' ([ordered]@{ x = $Left + $PlotWidth / 2; y = $bottom + 34; 'text-anchor' = 'middle' }) 'events in the store (log scale)'
        $yTitleX = $Left - 52
        $yTitleY = $Top + $PlotHeight / 2
        Write-Element $Writer 'text' ([ordered]@{ x = $yTitleX; y = $yTitleY; 'text-anchor' = 'middle'; transform = "rotate(-90 $yTitleX $yTitleY)" }) $Unit
        foreach ($one in $Series) {
            $points = @($one.Points | Where-Object { $null -ne $_.$Metric })
            if (-not $points) { continue }
            $coordinates = @($points | ForEach-Object { [pscustomobject]@{ X = & $toX $_.Events; Y = & $toY $_.$Metric; Point = $_ } })
            Write-Element $Writer 'g' ([ordered]@{ class = if ($one.IsFloor) { 'series floor' } else { 'series' } }) $null {
                Write-Element $Writer 'title' @{} $one.Name
                if ($coordinates.Count -ge 2) {
                    $line = Get-LineStyle $one
                    $line.Insert(0, 'points', (($coordinates | ForEach-Object { "$(Format-Coordinate $_.X),$(Format-Coordinate $_.Y)" }) -join ' '))
                    Write-Element $Writer 'polyline' $line $null { Write-Element $Writer 'title' @{} $one.Name }
                }
                foreach ($coordinate in $coordinates) {
                    $value = $coordinate.Point.$Metric.ToString('N0', $Invariant)
                    Write-Marker $Writer $one $coordinate.X $coordinate.Y "$($one.Name), $(Format-Quantity $coordinate.Point.Events) events: $value $Unit"
                }
                if ($one.IsFloor) {
                    $last = $coordinates[-1]
                    Write-Element $Writer 'text' ([ordered]@{ x = Format-Coordinate ($last.X + 7); y = Format-Coordinate ($last.Y - 6); fill = Get-SeriesColor $one; 'font-style' = 'italic' }) 'floor'
                }
            }
        }
    }
}

function Write-Legend($Writer, [double] $Top, $Series) {
    Write-Element $Writer 'g' ([ordered]@{ id = 'legend'; 'font-size' = 10 }) $null {
        Write-Element $Writer 'text' ([ordered]@{ x = 20; y = $Top; fill = '#444444' }) 'Dashed: the engine''s own copy (the floor). Circle: SQLite; square: PostgreSQL. A lone marker: measured at one size.'
        foreach ($one in $Series) {
            $left = 20 + ($one.Index % 2) * $LegendColumnWidth
            $y = $Top + 18 + [Math]::Floor($one.Index / 2) * $LineHeight
            Write-Element $Writer 'g' ([ordered]@{ class = 'legend-entry' }) $null {
                if ($one.Points.Count -ge 2) {
                    $line = Get-LineStyle $one
                    $line.x1 = $left; $line.y1 = $y; $line.x2 = $left + 24; $line.y2 = $y
                    Write-Element $Writer 'line' $line
                }
                Write-Marker $Writer $one ($left + 12) $y $null
                Write-Element $Writer 'text' ([ordered]@{ x = $left + 32; y = $y; 'dominant-baseline' = 'middle' }) $one.Name
            }
        }
    }
}

$rows = @(foreach ($path in $ResultCsv) { Read-ResultRow $path })
$series = @(Get-Series $rows)
if (-not $series) { throw "$($ResultCsv -join ', ') hold no operation measured at a store size (every Operation is empty): nothing to draw." }
$floorIndex = 0
$colorIndex = 0
foreach ($one in $series) {
    $one | Add-Member FloorIndex $floorIndex
    $one | Add-Member ColorIndex $colorIndex
    if ($one.IsFloor) { $floorIndex++ } else { $colorIndex++ }
}

$sizes = @($series.Points.Events | Sort-Object -Unique)
$low = [Math]::Log10($sizes[0]) - 0.15
$high = [Math]::Log10($sizes[-1]) + 0.15
$decades = for ($power = [Math]::Ceiling($low); $power -le $high; $power++) { [Math]::Pow(10, $power) }
$xScale = [pscustomobject]@{ Low = $low; High = $high; Ticks = @(@($decades) + $sizes | Sort-Object -Unique) }

$runs = @($rows | Where-Object Operation | Select-Object Measured, Command, Runs -Unique)
$subtitles = @(foreach ($run in $runs) {
        "$($run.Measured) UTC, $(if ($run.Runs -eq '1') { 'one run' } else { "median of $($run.Runs) runs" }), each in its own pwsh: $($run.Command)"
    })
$panelTop = 46 + 15 * $subtitles.Count + 28
$legendTop = $panelTop + $PlotHeight + 62
$height = $legendTop + 18 + [Math]::Ceiling($series.Count / 2) * $LineHeight + 8

$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$OutFile = [IO.Path]::GetFullPath($OutFile, (Get-Location).Path)
New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
$writer = [System.Xml.XmlWriter]::Create($OutFile, $settings)
try {
    $title = 'EventStoreTools benchmark: events per second and peak memory against store size'
    $svg = [ordered]@{ width = $Width; height = $height; viewBox = "0 0 $Width $height"; 'font-family' = 'sans-serif'; 'font-size' = 11; fill = '#222222' }
    Write-Element $writer 'svg' $svg $null {
        Write-Element $writer 'title' @{} $title
        Write-Element $writer 'rect' ([ordered]@{ width = $Width; height = $height; fill = '#ffffff' })
        Write-Element $writer 'text' ([ordered]@{ x = 20; y = 24; 'font-size' = 15; 'font-weight' = 'bold' }) $title
        for ($line = 0; $line -lt $subtitles.Count; $line++) {
            Write-Element $writer 'text' ([ordered]@{ x = 20; y = 44 + 15 * $line; fill = '#444444'; 'font-size' = 10 }) $subtitles[$line]
        }
        Write-Panel $writer 'events-per-second' 'Events per second (higher is faster)' 'EventsPerSecond' 'events/s' $PlotLefts[0] $panelTop $series $xScale
        Write-Panel $writer 'peak-memory' 'Peak RSS of the pwsh process' 'PeakMB' 'MB' $PlotLefts[1] $panelTop $series $xScale
        Write-Legend $writer $legendTop $series
    }
}
finally { $writer.Dispose() }
