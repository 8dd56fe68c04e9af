# Memory on huge lines (issue 11): every path that reads or writes a huge payload peaks at a few times its largest line,
# not 7-12x as when the payload was a .NET string (2 bytes a character) and copied at each step. Each path runs in a
# fresh pwsh; its peak is the process's VmHWM over its RSS once the module is loaded.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:HugePayloads = foreach ($n in 0, 1) { '{"items":["' + [string]::new([char](0x78 + $n), 20000000) + '","' + [string]::new('y', 20000000) + '"],"n":' + $n + '}' }
    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'

    # Two lines of about 40 MB each (different threads and aggregates): a path that held both at once, or read the
    # second while writing the first, would exceed its bound.
    $script:HugeExport = New-TestPath 'huge.ndjson'
    $writer = [IO.StreamWriter]::new($HugeExport, $false, [Text.UTF8Encoding]::new($false))
    try {
        foreach ($n in 0, 1) {
            $payload = $HugePayloads[$n]
            $writer.Write('{"threadCounter":1000,"threadId":' + (3 + $n) + ',"type":"HUGE","timestamp":' + (4200000000000 + $n) +
                ',"aggregateId":"huge-' + $n + '","aggregateVersion":1,"payload":' + $payload + "}`n")
        }
    }
    finally { $writer.Dispose() }
    $script:HugeLine = 40000000
    $script:HugeStore = New-TestPath 'huge.db'
    Import-EventStore $HugeStore -InFile $ReferenceExport | Out-Null
    Import-EventStore $HugeStore -InFile $HugeExport -Append | Out-Null

    # The peak of a script in a fresh pwsh over its RSS once the module is loaded, in bytes.
    function Measure-PeakMemory([string] $Script) {
        $output = Invoke-FreshPwsh @"
`$base = [long]((Get-Content /proc/self/status | Select-String 'VmRSS') -replace '\D', '')
$Script | Out-Null
`$peak = [long]((Get-Content /proc/self/status | Select-String 'VmHWM') -replace '\D', '')
"`$base `$peak"
"@
        $LASTEXITCODE | Should -Be 0 -Because "$output"
        $base, $peak = "$($output | Select-Object -Last 1)".Trim() -split ' ' | ForEach-Object { [long]$_ * 1KB }
        $peak - $base
    }
}

Describe 'Memory on huge lines' {
    # Measured with two 40 MB lines (and with one 110 MB line, where SQLite's fixed page caches weigh less):
    # export 2.4x (2.1x), pipeline import 2.9x (3.3x), -InFile 2.9x (3.3x), -Incremental 3.4x (3.8x).
    # Before: 7.0x (6.7x), 12.5x (11.9x), 12.8x (12.2x), 9.8x (8.6x).
    It '<Path> of two 40 MB lines peaks at under 4.5x the largest line' -ForEach @(
        @{ Path = 'Export-EventStore -OutFile'; Script = { param($store, $in, $out) "Export-EventStore '$store' -OutFile '$out'" }; Check = 'export' }
        @{ Path = 'Export-EventStore | Import-EventStore'; Script = { param($store, $in, $out) "Export-EventStore '$store' | Import-EventStore '$out'" }; Check = 'pipeline' }
        @{ Path = 'Import-EventStore -InFile'; Script = { param($store, $in, $out) "Import-EventStore '$out' -InFile '$in'" }; Check = 'infile' }
        @{ Path = 'Import-EventStore -InFile -Incremental'; Script = { param($store, $in, $out) "Import-EventStore '$out' -InFile '$in' -Incremental" }; Check = 'incremental' }
    ) {
        $out = New-TestPath "out-$Check.db"
        if ($Check -eq 'incremental') { Import-EventStore $out -InFile $ReferenceExport | Out-Null }
        $used = Measure-PeakMemory (& $Script $HugeStore $HugeExport $out)
        Write-Host "$Path of two $([Math]::Round($HugeLine / 1MB)) MB lines: peak $([Math]::Round($used / 1MB)) MB over the loaded module ($([Math]::Round($used / $HugeLine, 1))x)."
        $used | Should -BeLessThan (4.5 * $HugeLine)

        # And the huge payloads arrived whole, byte for byte.
        if ($Check -eq 'export') {
            # reSolve's export of the fixture, then the two lines as they were imported.
            $reference = (Get-Item $ReferenceExport).Length
            (Get-Item $out).Length | Should -Be ($reference + (Get-Item $HugeExport).Length)
            $stream = [IO.File]::OpenRead($out)
            try {
                $null = $stream.Seek($reference, 'Begin')
                [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($stream)) | Should -Be (Get-FileHash $HugeExport -Algorithm SHA256).Hash
            }
            finally { $stream.Dispose() }
        }
        else {
            $huge = @(Export-EventStore $out -EventType HUGE)
            $huge.Count | Should -Be 2
            $huge[0].PayloadJson -ceq $HugePayloads[0] | Should -BeTrue
            $huge[1].PayloadJson -ceq $HugePayloads[1] | Should -BeTrue
        }
    }
}

Describe 'Memory on many ordinary events' {
    # Streaming: events are exported and imported in pages and batches, never held together, so the peak does not
    # grow with the number of events. Measured as the benchmark measures it (the whole process's peak resident
    # memory, VmHWM, in a fresh pwsh), and compared between two sizes of the same events in the same conditions, so
    # that what the machine's load moves (JIT, the GC's budget, SQLite's caches) cancels out: a fixed bound over the
    # loaded module measured 50-63 MB on a quiet machine and 117-122 MB on a loaded one.
    BeforeAll {
        # A store of $Count events of 2 KB each.
        function New-ManyEventStore([int] $Count) {
            $many = New-TestPath "many-$Count.ndjson"
            $writer = [IO.StreamWriter]::new($many, $false, [Text.UTF8Encoding]::new($false))
            try {
                $text = 'p' * 2000
                for ($i = 0; $i -lt $Count; $i++) {
                    $writer.Write('{"threadCounter":' + [Math]::Floor($i / 256) + ',"threadId":' + ($i % 256) + ',"type":"T","timestamp":' + (1600000000000 + $i) +
                        ',"aggregateId":"a' + ($i % 1000) + '","aggregateVersion":' + ([Math]::Floor($i / 1000) + 1) + ',"payload":{"text":"' + $text + '","i":' + $i + "}}`n")
                }
            }
            finally { $writer.Dispose() }
            $store = New-TestPath "many-$Count.db"
            Import-EventStore $store -InFile $many | Out-Null
            $store
        }

        # The peak resident memory of a pipeline copy of a store in a fresh pwsh, in bytes.
        function Measure-CopyPeak([string] $Source) {
            $target = New-TestPath "$(Split-Path $Source -LeafBase)-copy.db"
            $output = Invoke-FreshPwsh @"
Export-EventStore '$Source' | Import-EventStore '$target' | Out-Null
[long]((Get-Content /proc/self/status | Select-String 'VmHWM') -replace '\D', '')
"@
            $LASTEXITCODE | Should -Be 0 -Because "$output"
            (Get-EventStore $target).EventCount | Should -Be (Get-EventStore $Source).EventCount
            [long]"$($output | Select-Object -Last 1)".Trim() * 1KB
        }
    }

    # Measured on a quiet machine: 172-176 MB for 15,000 events and 180-188 MB for 60,000, where holding the extra
    # 45,000 events would add at least their 90 MB of payloads. The benchmark's 1M-event copy peaks at 190-199 MB
    # against its target of 400 MB, the absolute bound here.
    It 'Export-EventStore | Import-EventStore of 60,000 2 KB events peaks within 40 MB of 15,000 such events, and under 400 MB' {
        $small = Measure-CopyPeak (New-ManyEventStore 15000)
        $large = Measure-CopyPeak (New-ManyEventStore 60000)
        Write-Host "Pipeline copy of 2 KB events: peak $([Math]::Round($small / 1MB)) MB at 15,000, $([Math]::Round($large / 1MB)) MB at 60,000."
        $large - $small | Should -BeLessThan 40MB -Because 'a copy that held events would grow by their 90 MB of payloads'
        $large | Should -BeLessThan 400MB
    }
}
