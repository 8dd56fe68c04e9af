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
    # Streaming: 60,000 events of 2 KB (120 MB of payloads) are exported and imported in pages and batches, never
    # held together.
    It 'Export-EventStore | Import-EventStore of 60,000 2 KB events stays under 80 MB over the loaded module' {
        $many = New-TestPath 'many.ndjson'
        $writer = [IO.StreamWriter]::new($many, $false, [Text.UTF8Encoding]::new($false))
        try {
            $text = 'p' * 2000
            for ($i = 0; $i -lt 60000; $i++) {
                $writer.Write('{"threadCounter":' + [Math]::Floor($i / 256) + ',"threadId":' + ($i % 256) + ',"type":"T","timestamp":' + (1600000000000 + $i) +
                    ',"aggregateId":"a' + ($i % 1000) + '","aggregateVersion":' + ([Math]::Floor($i / 1000) + 1) + ',"payload":{"text":"' + $text + '","i":' + $i + "}}`n")
            }
        }
        finally { $writer.Dispose() }
        $source = New-TestPath 'many.db'
        Import-EventStore $source -InFile $many | Out-Null
        $target = New-TestPath 'many-copy.db'
        $used = Measure-PeakMemory "Export-EventStore '$source' | Import-EventStore '$target'"
        Write-Host "Pipeline copy of 60,000 2 KB events: peak $([Math]::Round($used / 1MB)) MB over the loaded module."
        $used | Should -BeLessThan 80MB
        (Get-EventStore $target).EventCount | Should -Be 60000
    }
}
