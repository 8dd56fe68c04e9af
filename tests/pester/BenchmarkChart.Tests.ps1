# The benchmark's chart (bench/New-BenchmarkChart.ps1) drawn from CSVs written here, read back as XML: what it draws
# is what the rows say. And the records of bench/BenchmarkRecords.ps1 that the benchmark writes to its CSV.
BeforeAll {
    $script:ChartScript = Join-Path $PSScriptRoot '../../bench/New-BenchmarkChart.ps1'
    . (Join-Path $PSScriptRoot '../../bench/BenchmarkRecords.ps1')

    function New-ResultRow([string] $Operation, [long] $StoreEvents, $EventsPerSecond, $PeakMB, [string] $Engine = 'SQLite', [switch] $IsFloor, [int] $Runs = 3,
        [string] $Measured = '2026-12-03 15:04', [string] $Command = 'dotnet pwsh ./build.ps1 -Task Bench') {
        [pscustomobject][ordered]@{
            Scenario = $Operation; Operation = $Operation; Engine = $Engine; IsFloor = [bool]$IsFloor; Events = $StoreEvents; StoreEvents = $StoreEvents
            EventsPerSecond = $EventsPerSecond; PeakMB = $PeakMB; Runs = $Runs; Measured = $Measured; Command = $Command
        }
    }

    function New-ResultCsv([string] $Name, [object[]] $Rows) {
        $path = Join-Path $TestDrive $Name
        $Rows | Export-Csv $path -UseQuotes AsNeeded
        $path
    }

    function Invoke-Chart([string[]] $ResultCsv) {
        $svg = Join-Path $TestDrive 'chart.svg'
        Remove-Item $svg -ErrorAction Ignore
        & $ChartScript -ResultCsv $ResultCsv -OutFile $svg
        [xml](Get-Content $svg -Raw)
    }

    # The nodes below a document or element that an XPath with the prefix s: for SVG's namespace selects.
    function Select-Svg([System.Xml.XmlNode] $Node, [string] $XPath) {
        $namespaces = [System.Xml.XmlNamespaceManager]::new(($Node.OwnerDocument ?? $Node).NameTable)
        $namespaces.AddNamespace('s', 'http://www.w3.org/2000/svg')
        @($Node.SelectNodes($XPath, $namespaces))
    }

    # The series of a panel ('events-per-second' or 'peak-memory') by operation.
    function Select-Series([xml] $Svg, [string] $Panel, [string] $Operation) {
        Select-Svg $Svg "//s:g[@id='$Panel']/s:g[s:title='$Operation']"
    }

    # The points of the line of an operation in a panel, as X, Y pairs.
    function Get-LinePoint([xml] $Svg, [string] $Panel, [string] $Operation) {
        $line = @(Select-Svg $Svg "//s:g[@id='$Panel']/s:g[s:title='$Operation']/s:polyline")
        $line.Count | Should -Be 1 -Because "$Operation has one line in $Panel"
        foreach ($pair in $line[0].points -split ' ') {
            $x, $y = $pair -split ',' | ForEach-Object { [double]::Parse($_, [cultureinfo]::InvariantCulture) }
            [pscustomobject]@{ X = $x; Y = $y }
        }
    }

    $script:FloorName = 'SQLite ATTACH + INSERT ... SELECT (floor)'
    $script:PipelineName = 'Export-EventStore | Import-EventStore'
    $script:ImportName = 'Import-EventStore -InFile (NDJSON)'
    $script:ToPostgresName = 'Export-EventStore | Import-EventStore, SQLite -> PostgreSQL'
    $script:DefaultRun = @(
        New-ResultRow $FloorName 10000 41000 138 -IsFloor
        New-ResultRow $PipelineName 10000 19000 144
        New-ResultRow $ImportName 10000 22000 148
        New-ResultRow $FloorName 100000 102000 177 -IsFloor
        New-ResultRow $PipelineName 100000 29000 173
        New-ResultRow $ImportName 100000 36000 171
        New-ResultRow $FloorName 1000000 112000 194 -IsFloor
        New-ResultRow $PipelineName 1000000 38000 196
        New-ResultRow $ToPostgresName 1000000 40000 153 -Engine PostgreSQL
        New-ResultRow '' 50000 25000 180
    )
}

Describe 'New-BenchmarkChart.ps1' {
    It 'draws one line per operation measured at two sizes or more, a point for each size, and a lone marker for one size' {
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun)
        foreach ($panel in 'events-per-second', 'peak-memory') {
            $lines = Select-Svg $svg "//s:g[@id='$panel']//s:polyline"
            @($lines | ForEach-Object { $_.title }) | Should -Be @($FloorName, $PipelineName, $ImportName) -Because "the $panel panel draws each operation of two sizes or more as a line"
            foreach ($line in @{ $FloorName = 3; $PipelineName = 3; $ImportName = 2 }.GetEnumerator()) { @(Get-LinePoint $svg $panel $line.Key).Count | Should -Be $line.Value }
            $copy = @(Select-Series $svg $panel $ToPostgresName)
            $copy.Count | Should -Be 1
            Select-Svg $copy[0] 's:polyline' | Should -BeNullOrEmpty
            @(Select-Svg $copy[0] 's:rect').Count | Should -Be 1 -Because 'a PostgreSQL row is a square marker'
        }
        Select-Svg $svg '//s:title' | ForEach-Object '#text' | Should -Not -Match '50k events' -Because 'a row without an operation is not drawn'
    }

    It 'dashes the floor and labels it "floor", and no other line' {
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun)
        foreach ($panel in 'events-per-second', 'peak-memory') {
            $floorSeries = @(Select-Series $svg $panel $FloorName)[0]
            $floorSeries.class | Should -Be 'series floor'
            @(Select-Svg $floorSeries 's:polyline')[0].'stroke-dasharray' | Should -Not -BeNullOrEmpty
            (Select-Svg $floorSeries 's:text').'#text' | Should -Be 'floor'
            foreach ($other in $PipelineName, $ImportName) {
                $series = @(Select-Series $svg $panel $other)[0]
                @(Select-Svg $series 's:polyline')[0].GetAttribute('stroke-dasharray') | Should -BeNullOrEmpty
                Select-Svg $series 's:text' | Should -BeNullOrEmpty
            }
        }
    }

    It 'names each operation in the legend, and no row without one' {
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun)
        $names = Select-Svg $svg "//s:g[@id='legend']/s:g[@class='legend-entry']/s:text" | ForEach-Object '#text'
        $names | Should -Be @($FloorName, $PipelineName, $ImportName, $ToPostgresName)
        $legendFloor = @(Select-Svg $svg "//s:g[@id='legend']/s:g[s:text='$FloorName']/s:line")
        $legendFloor[0].'stroke-dasharray' | Should -Not -BeNullOrEmpty -Because 'the legend dashes the floor as the panels do'
        Select-Svg $svg "//s:g[@id='legend']/s:g[s:text='$ToPostgresName']/s:line" | Should -BeNullOrEmpty -Because 'an operation of one size has no line'
    }

    It 'draws a higher rate higher and a larger store further right, in both panels' {
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun)
        $copyLine = @(Get-LinePoint $svg 'events-per-second' $PipelineName)
        $floorLine = @(Get-LinePoint $svg 'events-per-second' $FloorName)
        # 19k, 29k, 38k events/s at 10k, 100k, 1M: SVG's y grows downwards.
        $copyLine[0].Y | Should -BeGreaterThan $copyLine[1].Y
        $copyLine[1].Y | Should -BeGreaterThan $copyLine[2].Y
        $copyLine[0].X | Should -BeLessThan $copyLine[1].X
        $copyLine[1].X | Should -BeLessThan $copyLine[2].X
        for ($size = 0; $size -lt 3; $size++) {
            $floorLine[$size].X | Should -Be $copyLine[$size].X
            $floorLine[$size].Y | Should -BeLessThan $copyLine[$size].Y -Because 'the floor copies faster than the pipeline at every size'
        }
        # Log scale: 10k to 100k is as wide as 100k to 1M.
        ($copyLine[1].X - $copyLine[0].X) | Should -BeGreaterThan (0.99 * ($copyLine[2].X - $copyLine[1].X))
        ($copyLine[1].X - $copyLine[0].X) | Should -BeLessThan (1.01 * ($copyLine[2].X - $copyLine[1].X))
        # Peak memory 144, 173, 196 MB: higher too.
        $memory = @(Get-LinePoint $svg 'peak-memory' $PipelineName)
        $memory[0].Y | Should -BeGreaterThan $memory[1].Y
        $memory[1].Y | Should -BeGreaterThan $memory[2].Y
    }

    It 'draws a default run and a -Scale run together: one line from 10k to 10M, at 1M the row of more runs, both runs in the title' {
        $scaleCommand = 'dotnet pwsh ./build.ps1 -Task Bench -Scale'
        $scaleRun = foreach ($size in 1000000, 3000000, 10000000) {
            New-ResultRow $PipelineName $size (36000 - $size / 1000) 191 -Runs 1 -Measured '2026-12-03 15:27' -Command $scaleCommand
        }
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun), (New-ResultCsv 'scale.csv' $scaleRun)
        @(Get-LinePoint $svg 'events-per-second' $PipelineName).Count | Should -Be 5
        $series = @(Select-Series $svg 'events-per-second' $PipelineName)[0]
        $markers = Select-Svg $series 's:circle/s:title' | ForEach-Object '#text'
        $markers | Should -Be @(
            "$PipelineName, 10k events: 19,000 events/s", "$PipelineName, 100k events: 29,000 events/s", "$PipelineName, 1M events: 38,000 events/s"
            "$PipelineName, 3M events: 33,000 events/s", "$PipelineName, 10M events: 26,000 events/s")
        $ticks = Select-Svg $svg "//s:g[@id='events-per-second']/s:text[@text-anchor='middle']" | ForEach-Object '#text'
        $ticks | Should -Contain '3M'
        $ticks | Should -Contain '10M'
        $header = Select-Svg $svg '/s:svg/s:text' | ForEach-Object '#text'
        $header | Should -Contain '2026-12-03 15:04 UTC, median of 3 runs, each in its own pwsh: dotnet pwsh ./build.ps1 -Task Bench'
        $header | Should -Contain "2026-12-03 15:27 UTC, one run, each in its own pwsh: $scaleCommand"
    }

    It 'writes a self-contained SVG: no script, no link, no font but sans-serif' {
        $path = Join-Path $TestDrive 'chart.svg'
        $svg = Invoke-Chart (New-ResultCsv 'default.csv' $DefaultRun)
        $svg.DocumentElement.'font-family' | Should -Be 'sans-serif'
        Select-Svg $svg '//s:script | //s:foreignObject | //s:image | //s:style | //@href | //*[@font-family][not(self::s:svg)]' | Should -BeNullOrEmpty
        Get-Content $path -Raw | Should -Not -Match 'xlink|https?://(?!www\.w3\.org/2000/svg)'
    }

    It 'refuses a CSV of another layout, naming the columns it lacks, and writes nothing' {
        $other = New-ResultCsv 'other.csv' @([pscustomobject]@{ Scenario = 'Export-EventStore | Import-EventStore'; Events = 1000; Seconds = 1 })
        $svg = Join-Path $TestDrive 'refused.svg'
        { & $ChartScript -ResultCsv $other -OutFile $svg } |
            Should -Throw -ExpectedMessage "$other is not a result CSV of bench/Invoke-Benchmark.ps1: it has no column Operation, Engine, IsFloor, StoreEvents, EventsPerSecond, PeakMB, Runs, Measured, Command*"
        Test-Path $svg | Should -BeFalse
    }

    It 'refuses a CSV whose rows measure no operation at a store size' {
        $idle = New-ResultCsv 'idle.csv' @(New-ResultRow '' 0 $null 117)
        { & $ChartScript -ResultCsv $idle -OutFile (Join-Path $TestDrive 'idle.svg') } | Should -Throw -ExpectedMessage '*hold no operation measured at a store size*'
    }
}

Describe 'The benchmark''s records (BenchmarkRecords.ps1)' {
    BeforeAll {
        function ConvertTo-TestRecord([string] $Scenario, [long] $Events, $EventsPerSecond = 1000) {
            $row = [pscustomobject]@{ Scenario = $Scenario; Events = $Events; Seconds = 1.23456; EventsPerSecond = $EventsPerSecond; MBPerSecond = $null
                PeakMB = 190.6; Ratio = $null; Note = '' }
            $row | ConvertTo-BenchmarkRecord -LargestStore 1000000 -Runs 3 -Measured '2026-12-07 21:00' -Command 'dotnet pwsh ./build.ps1 -Task Bench'
        }
    }

    It 'names the engine and the floor of each row, and the line it belongs to' {
        $floor = ConvertTo-TestRecord 'SQLite ATTACH + INSERT ... SELECT (floor)' 100000
        $floor.Operation, $floor.Engine, $floor.IsFloor, $floor.StoreEvents | Should -Be 'SQLite ATTACH + INSERT ... SELECT (floor)', 'SQLite', $true, 100000
        $floor.Seconds, $floor.PeakMB, $floor.EventsPerSecond, $floor.MBPerSecond | Should -Be '1.235', '191', '1000', '' -Because 'the CSV holds numbers in the invariant culture'
        $copy = ConvertTo-TestRecord 'PostgreSQL CREATE TABLE + COPY FROM binary file + indexes (floor)' 1000000
        $copy.Engine, $copy.IsFloor | Should -Be 'PostgreSQL', $true
        $toPostgres = ConvertTo-TestRecord 'Export-EventStore | Import-EventStore, SQLite -> PostgreSQL' 1000000
        $toPostgres.Engine, $toPostgres.IsFloor, $toPostgres.Operation | Should -Be 'PostgreSQL', $false, 'Export-EventStore | Import-EventStore, SQLite -> PostgreSQL'
    }

    It 'measures an incremental import at the size of the store it imports into, on one line at every size' {
        $intoLargest = ConvertTo-TestRecord 'Import-EventStore -Incremental into 1M' 100000
        $intoLargest.StoreEvents, $intoLargest.Events | Should -Be 1000000, 100000
        $intoLargest.Operation | Should -Be 'Import-EventStore -Incremental of 100,000 events'
        (ConvertTo-TestRecord 'Import-EventStore -Incremental into 10M' 100000).Operation | Should -Be $intoLargest.Operation
        (ConvertTo-TestRecord 'Import-EventStore -Incremental into 1M, PostgreSQL' 100000).Operation | Should -Be 'Import-EventStore -Incremental of 100,000 events, PostgreSQL'
    }

    It 'leaves out of the chart the rows that measure no operation at a store size' -TestCases @(
        @{ Scenario = 'pwsh + module, idle (baseline memory)'; Events = 0 }
        @{ Scenario = 'Export-EventStore | Import-EventStore, first command after Import-Module'; Events = 50000 }
        @{ Scenario = 'the same copy again in that pwsh (warm)'; Events = 50000 }
        @{ Scenario = 'reSolve pipeline(exportEvents, importEvents), eventstore-lite'; Events = 50000 }
        @{ Scenario = 'Export-EventStore -OutFile .ndjson.gz (Optimal)'; Events = 1000000 }
        @{ Scenario = 'Import-EventStore -InFile .ndjson.zst'; Events = 1000000 }
        @{ Scenario = 'Sync-EventStore -Follow lag, SQLite -> SQLite'; Events = 5974 }
        @{ Scenario = 'reSolve''s writer, 200 events/s requested, alone'; Events = 1000000 }
    ) {
        (ConvertTo-TestRecord $Scenario $Events).Operation | Should -BeNullOrEmpty
        (ConvertTo-TestRecord 'Export-EventStore -OutFile (NDJSON)' 1000000).Operation | Should -Be 'Export-EventStore -OutFile (NDJSON)'
    }
}
