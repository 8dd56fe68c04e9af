# Compression is never a guess and always checked: every reader of an export (Import-EventStore -InFile and
# -Directory, Test-EventStore, Compare-EventStore) tells gzip and zstd by their magic bytes whatever the name,
# refuses damaged files (a flipped bit, an empty .gz/.zst) and names the formats it cannot read; -OutFile refuses a
# name of a compression it does not write.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Store = Copy-Fixture 'resolve-lite-600.db'
    $script:Plain = Join-Path $TestDrive 'plain.ndjson'
    Export-EventStore $Store -OutFile $Plain
    $script:Expected = Get-StoreRows $Store
    # A file made by an independent tool from the plain export (gzip, zstd, bzip2, xz, zip), named as given.
    function New-ToolFile([string] $Tool, [string] $Name) {
        $path = Join-Path $TestDrive $Name
        Remove-Item $path -Force -ErrorAction Ignore
        switch ($Tool) {
            'zip' { zip -q -j "$path.zip" $Plain; Move-Item "$path.zip" $path -Force }
            default { /bin/sh -c "$Tool -c '$Plain' > '$path'" }
        }
        $LASTEXITCODE | Should -Be 0
        $path
    }
}

# Evaluated at discovery, where -Skip is read.
BeforeDiscovery { $script:HasTools = [bool]((Get-Command zstd, gzip, bzip2, xz, zip -ErrorAction Ignore).Count -eq 5) }

Describe 'Compression is checked' {
    It 'refuses every flip of a .zst body that a decoder without the checksum would read as other events' -Skip:(-not $HasTools) {
        $zst = Join-Path $TestDrive 'flip.ndjson.zst'
        Export-EventStore $Store -OutFile $zst
        $bytes = [IO.File]::ReadAllBytes($zst)
        $flipped = Join-Path $TestDrive 'flipped.ndjson.zst'
        $unchecked = Join-Path $TestDrive 'flipped-unchecked.ndjson'
        # The body: after the 6-byte frame header (magic, descriptor, window), up to and with the 4-byte checksum.
        $positions = @(for ($i = 6; $i -lt $bytes.Length; $i += [Math]::Max(1, [int](($bytes.Length - 6) / 40))) { $i }) + @($bytes.Length - 1)
        $otherContent = 0
        foreach ($position in $positions) {
            $copy = [byte[]]$bytes.Clone()
            $copy[$position] = $copy[$position] -bxor 0x10
            [IO.File]::WriteAllBytes($flipped, $copy)
            # What zstd itself makes of the flip without its checksum: other content, or an error.
            zstd -q -d -f --no-check $flipped -o $unchecked 2>$null
            $decodes = $LASTEXITCODE -eq 0
            $same = $decodes -and (Get-FileHash $unchecked).Hash -eq (Get-FileHash $Plain).Hash
            if ($decodes -and -not $same) { $otherContent++ }
            $target = New-TestPath 'flipped.db'
            $record = try { Import-EventStore $target -InFile $flipped | Out-Null; $null } catch { $_ }
            if ($same) { continue }
            $record | Should -Not -BeNullOrEmpty -Because "byte $position flipped decodes to other content without the checksum"
            Assert-ErrorRecord $record 'Import-EventStore' 'InvalidInput' 'InvalidData'
            Test-Path $target | Should -BeFalse
        }
        $otherContent | Should -BeGreaterThan 0 -Because 'some flips decode to other content without the checksum: those the checksum catches'
    }

    It 'refuses an empty .zst and .gz as damaged, leaving a 600-event store as it was (-Replace -Force)' {
        foreach ($extension in '.zst', '.gz') {
            $empty = Join-Path $TestDrive "empty.ndjson$extension"
            [IO.File]::WriteAllBytes($empty, [byte[]]@())
            $target = Copy-Fixture 'resolve-lite-600.db' "full$extension.db"
            $hash = (Get-FileHash $target).Hash
            $record = Get-ErrorRecord { Import-EventStore $target -InFile $empty -Replace -Force }
            Assert-ErrorRecord $record 'Import-EventStore' 'InvalidInput' 'InvalidData'
            $record.Exception.Message | Should -Match 'empty \(0 bytes\).*damaged'
            (Get-FileHash $target).Hash | Should -Be $hash
            (Test-EventStore $empty).IsValid | Should -BeFalse
        }
        # A plain empty export stays an empty export.
        $plainEmpty = Join-Path $TestDrive 'empty.ndjson'
        [IO.File]::WriteAllBytes($plainEmpty, [byte[]]@())
        (Import-EventStore (New-TestPath 'from-empty.db') -InFile $plainEmpty).ImportedCount | Should -Be 0
    }

    It 'refuses -OutFile <Name>, a compression it does not write, naming the extensions it supports' -ForEach @(
        @{ Name = 'a.ndjson.bz2' }, @{ Name = 'a.ndjson.xz' }, @{ Name = 'a.ndjson.gzip' }, @{ Name = 'a.ndjson.zstd' }, @{ Name = 'a.tgz' }, @{ Name = 'a.zip' }
    ) {
        $out = New-TestPath $Name
        $record = Get-ErrorRecord { Export-EventStore $Store -OutFile $out }
        Assert-ErrorRecord $record 'Export-EventStore' 'UnsupportedCompression' 'InvalidArgument'
        $record.Exception.Message | Should -Match '\.gz \(gzip\) or \.zst \(Zstandard\)'
        Test-Path $out | Should -BeFalse
        Get-ChildItem $TestDrive -Force -Filter "*.exporting" | Should -BeNullOrEmpty
    }
}

Describe 'Compression is told by the bytes, not the name' {
    It 'imports a gzip file and a zstd file named .ndjson, and Test-EventStore and Compare-EventStore read them' -Skip:(-not $HasTools) {
        foreach ($tool in 'gzip', 'zstd') {
            $file = New-ToolFile $tool "$tool-named-plain.ndjson"
            $target = New-TestPath "$tool-named-plain.db"
            (Import-EventStore $target -InFile $file).ImportedCount | Should -Be 600
            Get-StoreRows $target | Should -Be $Expected
            (Test-EventStore $file).IsValid | Should -BeTrue
            (Compare-EventStore $Store $file -Summary).Identical | Should -BeTrue
        }
    }

    It 'imports gzip and zstd data from standard input (-InFile -) without a gunzip in the pipe' -Skip:(-not $HasTools) {
        $command = Get-PwshCommand
        $pwsh = ($command | ForEach-Object { "'$_'" }) -join ' '
        foreach ($tool in 'gzip', 'zstd') {
            $target = New-TestPath "stdin-$tool.db"
            /bin/sh -c "$tool -c '$Plain' | $pwsh -NoProfile -NonInteractive -c `"Import-Module '$ModuleManifest'; Import-EventStore '$target' -InFile - | Out-Null`""
            $LASTEXITCODE | Should -Be 0
            Get-StoreRows $target | Should -Be $Expected
        }
    }

    It 'restores a backup folder whose events.db is gzip data under the plain name' -Skip:(-not $HasTools) {
        $folder = Join-Path $TestDrive 'gzip-inside'
        New-Item -ItemType Directory $folder | Out-Null
        /bin/sh -c "gzip -c '$Plain' > '$folder/events.db'"
        New-Item -ItemType File (Join-Path $folder 'secrets.db') | Out-Null
        $target = New-TestPath 'gzip-inside.db'
        (Import-EventStore $target -Directory $folder).ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be $Expected
    }

    It 'names <Tool> data, which it cannot read, on every reader' -Skip:(-not $HasTools) -ForEach @(
        @{ Tool = 'bzip2'; Format = 'bzip2' }, @{ Tool = 'xz'; Format = 'xz' }, @{ Tool = 'zip'; Format = 'zip' }
    ) {
        foreach ($name in "export-$Tool.ndjson", "export-$Tool.ndjson.gz") {
            $file = New-ToolFile $Tool $name
            $target = New-TestPath "$Tool.db"
            $record = Get-ErrorRecord { Import-EventStore $target -InFile $file }
            Assert-ErrorRecord $record 'Import-EventStore' 'UnsupportedInputFormat' 'InvalidType'
            $record.Exception.Message | Should -Match "is $Format data, which this module does not read"
            Test-Path $target | Should -BeFalse
            $check = Test-EventStore $file
            $check.IsValid | Should -BeFalse
            $check.Problems[0].Message | Should -Match "is $Format data"
            $record = Get-ErrorRecord { Compare-EventStore $Store $file }
            Assert-ErrorRecord $record 'Compare-EventStore' 'UnsupportedInputFormat' 'InvalidType'
        }
    }

    It 'tells a SQLite store given as -InFile to be read as a store, not as "not valid UTF-8"' {
        $target = New-TestPath 'from-a-store.db'
        $record = Get-ErrorRecord { Import-EventStore $target -InFile $Store }
        Assert-ErrorRecord $record 'Import-EventStore' 'UnsupportedInputFormat' 'InvalidType'
        $record.Exception.Message | Should -Match 'is a SQLite database \(a store\), not an NDJSON export'
        $record.Exception.Message | Should -Match 'Export-EventStore -Path'
        $record.Exception.Message | Should -Match 'Export-EventStore -Path .* \| Import-EventStore -Path <target>'
        $record.Exception.Message | Should -Not -Match 'UTF-8'
        Test-Path $target | Should -BeFalse
    }
}
