# Backups an admin can trust: compressed exports and backup folders (.gz, .zst), standard output and input, and
# the manifest of a backup folder that catches a truncated or edited file before a restore writes anything.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function Expand-GZip([string] $Path) {
        $in = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($Path), [IO.Compression.CompressionMode]::Decompress)
        $out = [IO.MemoryStream]::new()
        try { $in.CopyTo($out) } finally { $in.Dispose() }
        , $out.ToArray()
    }
    function Get-Sha256([byte[]] $Bytes) { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Bytes)) }
    function Get-FileSha256([string] $Path) { (Get-FileHash $Path -Algorithm SHA256).Hash }
}

# Evaluated at discovery, where -Skip is read: the zstd tool checks our .zst with an independent decoder.
BeforeDiscovery { $script:HasZstd = [bool](Get-Command zstd -ErrorAction Ignore) }

Describe 'Compressed exports' {
    BeforeAll {
        $script:Store = Copy-Fixture 'resolve-lite-600.db'
        $script:Plain = Join-Path $TestDrive 'plain.ndjson'
        Export-EventStore $Store -OutFile $Plain
    }

    It '.gz decompresses (with .NET''s own GZipStream) to exactly the bytes of the plain export, at every level' {
        foreach ($level in 'Optimal', 'Fastest', 'SmallestSize') {
            $gz = Join-Path $TestDrive "export-$level.ndjson.gz"
            Export-EventStore $Store -OutFile $gz -CompressionLevel $level
            (Get-Item $gz).Length | Should -BeLessThan ((Get-Item $Plain).Length / 3)
            Get-Sha256 (Expand-GZip $gz) | Should -Be (Get-FileSha256 $Plain)
        }
    }

    It '.zst decompresses (with the zstd tool) to exactly the bytes of the plain export' -Skip:(-not $HasZstd) {
        $zst = Join-Path $TestDrive 'export.ndjson.zst'
        Export-EventStore $Store -OutFile $zst
        $out = Join-Path $TestDrive 'export-from-zstd.ndjson'
        zstd -q -d -f $zst -o $out
        $LASTEXITCODE | Should -Be 0
        Get-FileSha256 $out | Should -Be (Get-FileSha256 $Plain)
    }

    It 'imports .gz and .zst exports to the same events as the plain one' {
        $expected = Get-StoreRows $Store
        foreach ($extension in '.gz', '.zst') {
            $file = Join-Path $TestDrive "roundtrip.ndjson$extension"
            Export-EventStore $Store -OutFile $file
            $target = New-TestPath "roundtrip$extension.db"
            (Import-EventStore $target -InFile $file).ImportedCount | Should -Be 600
            Get-StoreRows $target | Should -Be $expected
        }
    }

    It 'refuses a truncated .gz (and .zst) before it reads as a shorter export: no store is created' {
        foreach ($extension in '.gz', '.zst') {
            $file = Join-Path $TestDrive "truncated.ndjson$extension"
            Export-EventStore $Store -OutFile $file
            $bytes = [IO.File]::ReadAllBytes($file)
            [IO.File]::WriteAllBytes($file, $bytes[0..($bytes.Length - 5)])
            $target = New-TestPath "truncated$extension.db"
            { Import-EventStore $target -InFile $file } | Should -Throw -ErrorId 'ImportEventStoreBackupManifestMismatch,*' -Because 'the manifest beside the file has its size'
            # Without the manifest the codec's own end check refuses it.
            Remove-Item "$file.manifest.json"
            { Import-EventStore $target -InFile $file -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,*'
            Test-Path $target | Should -BeFalse
            $check = Test-EventStore $file
            $check.IsValid | Should -BeFalse
            $check.Problems[0].Message | Should -Match 'truncated|end of stream'
        }
    }

    It 'an empty store exports to a valid empty .gz' {
        $empty = New-TestPath 'empty.db'
        @() | Import-EventStore $empty | Out-Null
        $gz = Join-Path $TestDrive 'empty.ndjson.gz'
        Export-EventStore $empty -OutFile $gz
        (Expand-GZip $gz).Length | Should -Be 0
        (Test-EventStore $gz).IsValid | Should -BeTrue
    }
}

Describe 'Standard output and input' {
    It 'pipes one pwsh into another: Export-EventStore -OutFile - | Import-EventStore -InFile -, the bytes on the pipe being the plain export' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $plain = Join-Path $TestDrive 'pipe-plain.ndjson'
        Export-EventStore $store -OutFile $plain
        $onPipe = Join-Path $TestDrive 'on-the-pipe.ndjson'
        $target = New-TestPath 'piped.db'
        $command = Get-PwshCommand
        $pwsh = ($command | ForEach-Object { "'$_'" }) -join ' '
        $import = "Import-Module '$ModuleManifest'"
        # -Verbose would print through the host on standard output: the export must not let it.
        $line = "$pwsh -NoProfile -NonInteractive -c `"$import; Export-EventStore '$store' -OutFile - -Verbose`" | tee '$onPipe' | $pwsh -NoProfile -NonInteractive -c `"$import; Import-EventStore '$target' -InFile - | Out-Null`""
        /bin/sh -c $line
        $LASTEXITCODE | Should -Be 0
        Get-FileSha256 $onPipe | Should -Be (Get-FileSha256 $plain)
        Get-StoreRows $target | Should -Be (Get-StoreRows $store)
    }
}

Describe 'Backup folders' {
    BeforeEach {
        $script:Store = Copy-Fixture 'resolve-lite-600.db'
        Invoke-SqliteQuery $Store "INSERT INTO secrets (idx, id, secret) VALUES (0, 'user-1', 's3cret')"
        $script:Folder = Join-Path $TestDrive ("backup-" + [guid]::NewGuid().ToString('N'))
    }

    It 'writes a manifest with the counts, time range, cursor and the SHA-256 of each file' {
        Export-EventStore $Store -Directory $Folder -IncludeSecrets -CursorVariable cursor
        $manifest = Get-Content (Join-Path $Folder 'eventstoretools-manifest.json') -Raw | ConvertFrom-Json
        $description = Get-EventStore $Store
        $manifest.eventCount | Should -Be 600
        $manifest.secretCount | Should -Be 1
        $manifest.firstTimestamp | Should -Be $description.FirstTimestamp
        $manifest.lastTimestamp | Should -Be $description.LastTimestamp
        $manifest.cursor | Should -Be $cursor
        $manifest.toolVersion | Should -BeLike "$((Get-Module EventStoreTools).Version)*" -Because 'the tool''s version is recorded'
        foreach ($file in $manifest.files) {
            $file.sha256 | Should -Be (Get-FileSha256 (Join-Path $Folder $file.name)).ToLowerInvariant()
            $file.size | Should -Be (Get-Item (Join-Path $Folder $file.name)).Length
        }
        ($manifest.files.name | Sort-Object) | Should -Be 'events.db', 'secrets.db'
        (Test-EventStore $Folder).IsValid | Should -BeTrue
    }

    It 'refuses a folder with an edited events.db (same size) before writing: no store created, Test-EventStore says so' {
        Export-EventStore $Store -Directory $Folder -IncludeSecrets
        $events = Join-Path $Folder 'events.db'
        $text = [IO.File]::ReadAllText($events)
        $at = $text.IndexOf('"timestamp":') + 13
        $edited = $text.Substring(0, $at) + ([char]([int]$text[$at] -bxor 1)) + $text.Substring($at + 1)
        [IO.File]::WriteAllText($events, $edited)
        $target = New-TestPath 'from-edited.db'
        { Import-EventStore $target -Directory $Folder } | Should -Throw -ErrorId 'ImportEventStoreBackupManifestMismatch,*'
        Test-Path $target | Should -BeFalse
        $check = Test-EventStore $Folder
        $check.IsValid | Should -BeFalse
        ($check.Problems | Where-Object Check -EQ 'Manifest').Message -join ' ' | Should -Match 'events.db: its SHA-256'
    }

    It 'refuses a truncated events.db, also into an existing store, which keeps every byte' {
        Export-EventStore $Store -Directory $Folder -IncludeSecrets
        $events = Join-Path $Folder 'events.db'
        $bytes = [IO.File]::ReadAllBytes($events)
        [IO.File]::WriteAllBytes($events, $bytes[0..([int]($bytes.Length / 2))])
        $before = Get-FileSha256 $Store
        { Import-EventStore $Store -Directory $Folder -Replace -Force } | Should -Throw -ErrorId 'ImportEventStoreBackupManifestMismatch,*'
        Get-FileSha256 $Store | Should -Be $before
        ((Test-EventStore $Folder -Quick).Problems | Where-Object Check -EQ 'Manifest').Message | Should -Match 'truncated'
    }

    It 'still imports a folder without a manifest (reSolve''s own layout), and Test-EventStore notes it' {
        Export-EventStore $Store -Directory $Folder -IncludeSecrets
        Remove-Item (Join-Path $Folder 'eventstoretools-manifest.json')
        $target = New-TestPath 'from-resolve-layout.db'
        $result = Import-EventStore $target -Directory $Folder -WarningVariable w -WarningAction SilentlyContinue
        $result.ImportedCount | Should -Be 600
        $result.ImportedSecretCount | Should -Be 1
        "$w" | Should -Match 'completeness cannot be proved'
        $check = Test-EventStore $Folder
        $check.IsValid | Should -BeTrue
        $check.Notes -match 'manifest' | Should -Not -BeNullOrEmpty
    }

    It 'writes and restores compressed folders (events.db.zst, secrets.db.zst; .gz alike) with their manifest' {
        foreach ($compression in 'Zstandard', 'GZip') {
            $folder = Join-Path $TestDrive "compressed-$compression"
            Export-EventStore $Store -Directory $folder -IncludeSecrets -Compression $compression
            $extension = if ($compression -eq 'GZip') { '.gz' } else { '.zst' }
            (Get-ChildItem $folder).Name | Sort-Object | Should -Be "events.db$extension", 'eventstoretools-manifest.json', "secrets.db$extension"
            (Test-EventStore $folder).IsValid | Should -BeTrue
            $target = New-TestPath "from-$compression.db"
            (Import-EventStore $target -Directory $folder).ImportedSecretCount | Should -Be 1
            Get-StoreRows $target | Should -Be (Get-StoreRows $Store)
        }
    }
}
