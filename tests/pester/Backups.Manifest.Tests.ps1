# Backups checked against what their manifest says they hold (counts, time range, cursor, selection, files), in
# both forms (a folder, a single NDJSON file with its manifest and secrets beside it); secrets in every form; a
# backup folder that holds exactly one backup.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The fixture with three secrets, one of them deleted (reSolve deletes a secret by setting it to NULL).
    function New-StoreWithSecrets([string] $Name = 'secrets.db') {
        $store = Copy-Fixture 'resolve-lite-600.db' $Name
        Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (0, 'user-1', 'key one'), (1, 'user-2', NULL), (7, 'user-3', 'k""ü')" | Out-Null
        $store
    }
    function Get-SecretRows([string] $Path) { Invoke-SqliteQuery $Path 'SELECT idx, id, secret FROM secrets ORDER BY idx' | ForEach-Object { $_ -join '|' } }
    function Get-Sha256([string] $Path) { (Get-FileHash $Path -Algorithm SHA256).Hash }
    function Read-Manifest([string] $Path) { Get-Content $Path -Raw | ConvertFrom-Json }
    function Write-Manifest($Manifest, [string] $Path) { $Manifest | ConvertTo-Json -Depth 5 | Set-Content $Path -NoNewline }
    # Removes one line (the 300th) of a plain NDJSON file.
    function Remove-Line([string] $Path, [int] $Line = 300) {
        $lines = [IO.File]::ReadAllLines($Path)
        [IO.File]::WriteAllText($Path, (($lines | Select-Object -Index (@(0..($lines.Count - 1)) -ne ($Line - 1))) -join "`n") + "`n")
    }
    # A store holding events, whose bytes a refused import must leave as they were.
    function New-Target([string] $Name) { Copy-Fixture 'resolve-lite-600.db' $Name }
    $script:Mismatch = 'ImportEventStoreBackupManifestMismatch,EventStoreTools.Cmdlets.ImportEventStoreCommand'
}

Describe 'A backup is checked against its manifest''s content' {
    BeforeEach {
        $script:Store = New-StoreWithSecrets
        $script:Folder = Join-Path $TestDrive ('folder-' + [guid]::NewGuid().ToString('N'))
        Export-EventStore $Store -Directory $Folder -IncludeSecrets
        $script:ManifestPath = Join-Path $Folder 'eventstoretools-manifest.json'
    }

    It 'refuses a manifest whose eventCount was edited (the files'' hashes still match), before writing; Test-EventStore reports it' {
        $manifest = Read-Manifest $ManifestPath
        $manifest.eventCount = 599
        Write-Manifest $manifest $ManifestPath
        $target = New-Target 'edited-count.db'
        $before = Get-Sha256 $target
        $err = Get-ErrorRecord { Import-EventStore $target -Directory $Folder -Replace -Force -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupManifestMismatch' 'InvalidData'
        $err.Exception.Message | Should -Match '600 events were read where the manifest says 599'
        $err.Exception.Message | Should -Match 'Nothing was written'
        Get-Sha256 $target | Should -Be $before
        $new = New-TestPath 'edited-count-new.db'
        { Import-EventStore $new -Directory $Folder -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Test-Path $new | Should -BeFalse
        $check = Test-EventStore $Folder
        $check.IsValid | Should -BeFalse
        ($check.Problems | Where-Object Check -EQ 'Manifest').Message | Should -Match '600 events were read where the manifest says 599'
    }

    It 'refuses a manifest with "files": [] (it covers no file read), also after half the lines were cut and a digit changed' {
        $manifest = Read-Manifest $ManifestPath
        $manifest.files = @()
        Write-Manifest $manifest $ManifestPath
        $target = New-Target 'no-files.db'
        $before = Get-Sha256 $target
        $err = Get-ErrorRecord { Import-EventStore $target -Directory $Folder -Replace -Force -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupManifestMismatch' 'InvalidData'
        $err.Exception.Message | Should -Match 'names no events file'
        Get-Sha256 $target | Should -Be $before
        (Test-EventStore $Folder).IsValid | Should -BeFalse

        $events = Join-Path $Folder 'events.db'
        $lines = [IO.File]::ReadAllLines($events)
        $half = $lines[0..299] -join "`n"
        $at = $half.IndexOf('"timestamp":') + 20
        [IO.File]::WriteAllText($events, $half.Substring(0, $at) + ([char]([int]$half[$at] -bxor 1)) + $half.Substring($at + 1) + "`n")
        { Import-EventStore $target -Directory $Folder -Replace -Force -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Get-Sha256 $target | Should -Be $before
        $check = Test-EventStore $Folder
        $check.IsValid | Should -BeFalse
        ($check.Problems | Where-Object Check -EQ 'Manifest').Message -join ' ' | Should -Match 'names no events file'
    }

    It 'refuses a folder backup with one line removed, also when the manifest''s size and SHA-256 were made to match: the count and cursor tell' {
        $events = Join-Path $Folder 'events.db'
        Remove-Line $events
        $target = New-Target 'line-removed.db'
        $before = Get-Sha256 $target
        { Import-EventStore $target -Directory $Folder -Replace -Force -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Get-Sha256 $target | Should -Be $before
        ((Test-EventStore $Folder).Problems | Where-Object Check -EQ 'Manifest').Message -join ' ' | Should -Match 'events.db: [\d,]+ bytes where the manifest says'

        $manifest = Read-Manifest $ManifestPath
        $entry = $manifest.files | Where-Object role -EQ 'events'
        $entry.size = (Get-Item $events).Length
        $entry.sha256 = (Get-Sha256 $events).ToLowerInvariant()
        Write-Manifest $manifest $ManifestPath
        $err = Get-ErrorRecord { Import-EventStore $target -Directory $Folder -Replace -Force -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupManifestMismatch' 'InvalidData'
        $err.Exception.Message | Should -Match '599 events were read where the manifest says 600'
        Get-Sha256 $target | Should -Be $before
        $problems = ((Test-EventStore $Folder).Problems | Where-Object Check -EQ 'Manifest').Message -join ' '
        $problems | Should -Match '599 events were read where the manifest says 600'
    }

    It 'refuses an event outside the selection the export was made with' {
        $filtered = Join-Path $TestDrive ('filtered-' + [guid]::NewGuid().ToString('N'))
        $all = Export-EventStore $Store
        $since = $all[300].Timestamp
        Export-EventStore $Store -Directory $filtered -Since $since
        $manifest = Read-Manifest (Join-Path $filtered 'eventstoretools-manifest.json')
        $manifest.filter.since | Should -Be $since
        # Yesterday's full export under today's filtered manifest: counts and hashes made to match, the selection does not.
        Export-EventStore $Store -OutFile (Join-Path $filtered 'events.db')
        Remove-Item (Join-Path $filtered 'events.db.manifest.json')
        $events = Join-Path $filtered 'events.db'
        $entry = $manifest.files | Where-Object role -EQ 'events'
        $entry.size = (Get-Item $events).Length
        $entry.sha256 = (Get-Sha256 $events).ToLowerInvariant()
        $manifest.eventCount = 600
        $manifest.firstTimestamp = $all[0].Timestamp
        Write-Manifest $manifest (Join-Path $filtered 'eventstoretools-manifest.json')
        $err = Get-ErrorRecord { Import-EventStore (New-TestPath 'selection.db') -Directory $filtered -ErrorAction Stop }
        $err.Exception.Message | Should -Match 'outside the selection the export was made with'
    }
}

Describe 'Single-file backups carry a manifest' {
    BeforeAll {
        $script:Store = New-StoreWithSecrets 'single.db'
    }

    It 'writes <Name>.manifest.json beside the file, the NDJSON staying reSolve''s export byte for byte' {
        $file = Join-Path $TestDrive 'app.ndjson'
        Export-EventStore $Store -OutFile $file -CursorVariable cursor -WarningAction SilentlyContinue
        (Get-FileHash $file).Hash | Should -Be (Get-FileHash (Join-Path $Fixtures 'resolve-lite-600.export.ndjson')).Hash
        $manifest = Read-Manifest "$file.manifest.json"
        $manifest.eventCount | Should -Be 600
        $manifest.cursor | Should -Be $cursor
        $manifest.files.name | Should -Be 'app.ndjson'
        $manifest.files.role | Should -Be 'events'
        $manifest.files.sha256 | Should -Be (Get-Sha256 $file).ToLowerInvariant()
        (Test-EventStore $file).IsValid | Should -BeTrue
        # Read whole (thread fields too) to check the cursor, and still an incremental import's input.
        $summary = Import-EventStore (Copy-Fixture 'resolve-lite-600.db' 'incremental-again.db') -InFile $file -Incremental
        $summary.SkippedDuplicateCount | Should -Be 600
        $summary.ImportedCount | Should -Be 0
    }

    It 'refuses a single-file backup (<Extension>) with one line removed on import, leaving the target, and Test-EventStore reports it' -ForEach @(
        @{ Extension = '.ndjson' }, @{ Extension = '.ndjson.gz' }
    ) {
        $file = Join-Path $TestDrive "cut$Extension"
        Export-EventStore $Store -OutFile $file -WarningAction SilentlyContinue
        if ($Extension -eq '.ndjson.gz') {
            $plain = Join-Path $TestDrive 'cut-plain.ndjson'
            $in = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($file), [IO.Compression.CompressionMode]::Decompress)
            $out = [IO.File]::Create($plain)
            try { $in.CopyTo($out) } finally { $in.Dispose(); $out.Dispose() }
            Remove-Line $plain
            $out = [IO.Compression.GZipStream]::new([IO.File]::Create($file), [IO.Compression.CompressionLevel]::Optimal)
            try { $out.Write([IO.File]::ReadAllBytes($plain)) } finally { $out.Dispose() }
        }
        else {
            Remove-Line $file
        }
        $target = New-Target "cut$Extension.db"
        $before = Get-Sha256 $target
        $err = Get-ErrorRecord { Import-EventStore $target -InFile $file -Replace -Force -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupManifestMismatch' 'InvalidData'
        Get-Sha256 $target | Should -Be $before
        { Import-EventStore $target -InFile $file -Incremental -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Get-Sha256 $target | Should -Be $before
        $check = Test-EventStore $file
        $check.IsValid | Should -BeFalse
        ($check.Problems | Where-Object Check -EQ 'Manifest') | Should -Not -BeNullOrEmpty
    }

    It 'checks the whole file before the first batch of -CommitEvery is committed' {
        $file = Join-Path $TestDrive 'batched.ndjson'
        Export-EventStore $Store -OutFile $file -WarningAction SilentlyContinue
        Remove-Line $file -Line 590
        $target = New-Target 'batched.db'
        $before = Get-Sha256 $target
        { Import-EventStore $target -InFile $file -Append -CommitEvery 100 -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Get-Sha256 $target | Should -Be $before
    }

    It 'writes no manifest for -OutFile - (standard output)' {
        $folder = New-CaseFolder
        $command = Get-PwshCommand
        $pwsh = ($command | ForEach-Object { "'$_'" }) -join ' '
        /bin/sh -c "cd '$folder' && $pwsh -NoProfile -NonInteractive -c `"Import-Module '$ModuleManifest'; Export-EventStore '$Store' -OutFile -`" > piped.ndjson"
        $LASTEXITCODE | Should -Be 0
        (Get-Item (Join-Path $folder 'piped.ndjson')).Length | Should -Be (Get-Item (Join-Path $Fixtures 'resolve-lite-600.export.ndjson')).Length
        (Get-ChildItem $folder -Force).Name | Should -Be 'piped.ndjson'
        $err = Get-ErrorRecord { Export-EventStore $Store -OutFile - -IncludeSecrets -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'SecretsToStandardOutput' 'InvalidArgument'
    }
}

Describe 'A backup without a manifest' {
    It 'is imported with a warning (a folder) and tested with a note that its completeness cannot be proved (<Form>)' -ForEach @(
        @{ Form = 'folder' }, @{ Form = 'single file' }
    ) {
        $store = Copy-Fixture 'resolve-lite-600.db' 'no-manifest.db'
        if ($Form -eq 'folder') {
            $backup = Join-Path $TestDrive ('nomanifest-' + [guid]::NewGuid().ToString('N'))
            Export-EventStore $store -Directory $backup
            Remove-Item (Join-Path $backup 'eventstoretools-manifest.json')
            $import = { Import-EventStore (New-TestPath 'nm-folder.db') -Directory $backup -WarningVariable w -WarningAction SilentlyContinue -Verbose 4>&1 }
        }
        else {
            $backup = Join-Path $TestDrive 'nomanifest.ndjson'
            Export-EventStore $store -OutFile $backup
            Remove-Item "$backup.manifest.json"
            $import = { Import-EventStore (New-TestPath 'nm-file.db') -InFile $backup -WarningVariable w -WarningAction SilentlyContinue -Verbose 4>&1 }
        }
        $w = $null
        $output = . $import
        ($output | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).ImportedCount | Should -Be 600
        $told = ($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message -join ' '
        if ($Form -eq 'folder') { "$w" | Should -Match 'no manifest.*completeness cannot be proved' }
        else {
            # -InFile takes any NDJSON (reSolve's own exports, hand-made files): it tells, it does not warn.
            $w | Should -BeNullOrEmpty
            $told | Should -Match 'no manifest.*completeness cannot be proved'
        }
        $check = Test-EventStore $backup
        $check.IsValid | Should -BeTrue
        $check.Notes -join ' ' | Should -Match 'completeness cannot be proved'
    }

    It 'is refused as ambiguous when the folder holds two candidate pairs and no manifest names one' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'ambiguous.db'
        $backup = Join-Path $TestDrive 'ambiguous'
        Export-EventStore $store -Directory $backup
        Export-EventStore $store -OutFile (Join-Path $backup 'events.db.gz')
        Remove-Item (Join-Path $backup 'eventstoretools-manifest.json'), (Join-Path $backup 'events.db.gz.manifest.json')
        $target = New-TestPath 'ambiguous-target.db'
        $err = Get-ErrorRecord { Import-EventStore $target -Directory $backup -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupAmbiguous' 'InvalidData'
        $err.Exception.Message | Should -Match 'events.db and events.db.gz'
        Test-Path $target | Should -BeFalse
        (Test-EventStore $backup).IsValid | Should -BeFalse
    }
}

Describe 'Secrets in every backup form' {
    It 'backs up a store with 3 secrets (one deleted) to one .ndjson.zst with -IncludeSecrets and restores it with its secrets' {
        $store = New-StoreWithSecrets 'zst-secrets.db'
        $file = Join-Path $TestDrive 'app.ndjson.zst'
        Export-EventStore $store -OutFile $file -IncludeSecrets -WarningVariable w
        $w | Should -BeNullOrEmpty
        Test-Path (Join-Path $TestDrive 'app.ndjson.secrets.zst') | Should -BeTrue
        $manifest = Read-Manifest "$file.manifest.json"
        $manifest.secretCount | Should -Be 2
        $manifest.secretsIncluded | Should -BeTrue
        ($manifest.files | Where-Object role -EQ 'secrets').name | Should -Be 'app.ndjson.secrets.zst'
        (Test-EventStore $file).SecretCount | Should -Be 2
        $restored = New-TestPath 'zst-restored.db'
        $result = Import-EventStore $restored -InFile $file -WarningVariable w
        $w | Should -BeNullOrEmpty
        $result.ImportedCount | Should -Be 600
        $result.ImportedSecretCount | Should -Be 2
        Get-SecretRows $restored | Should -Be @('0|user-1|key one', '7|user-3|k"ü')
        Get-StoreRows $restored | Should -Be (Get-StoreRows $store)
    }

    It 'refuses a secrets file that does not match the manifest' {
        $store = New-StoreWithSecrets 'bad-secrets.db'
        $file = Join-Path $TestDrive 'bad.ndjson'
        Export-EventStore $store -OutFile $file -IncludeSecrets
        Set-Content (Join-Path $TestDrive 'bad.ndjson.secrets') '{"secret":"key one","id":"user-1","idx":0}'
        $target = New-TestPath 'bad-secrets-target.db'
        { Import-EventStore $target -InFile $file -ErrorAction Stop } | Should -Throw -ErrorId $Mismatch
        Test-Path $target | Should -BeFalse
    }

    It 'warns on an export that leaves the store''s secrets out (<Form>), and on restoring such a backup; the manifest tells it from "no secrets"' -ForEach @(
        @{ Form = '-OutFile' }, @{ Form = '-Directory' }
    ) {
        $store = New-StoreWithSecrets "left-out$($Form.Trim('-')).db"
        $out = Join-Path $TestDrive ('left-out-' + [guid]::NewGuid().ToString('N'))
        $w = $null
        if ($Form -eq '-OutFile') { Export-EventStore $store -OutFile "$out.ndjson" -WarningVariable w -WarningAction SilentlyContinue; $manifestPath = "$out.ndjson.manifest.json"; $in = @{ InFile = "$out.ndjson" } }
        else { Export-EventStore $store -Directory $out -WarningVariable w -WarningAction SilentlyContinue; $manifestPath = Join-Path $out 'eventstoretools-manifest.json'; $in = @{ Directory = $out } }
        "$w" | Should -Match 'has 2 secrets, which this backup leaves out'
        "$w" | Should -Match '-IncludeSecrets'
        $manifest = Read-Manifest $manifestPath
        $manifest.secretsIncluded | Should -BeFalse
        $manifest.sourceSecretCount | Should -Be 2
        (Test-EventStore $in.Values[0]).Notes -join ' ' | Should -Match 'secrets left out \(2 in the source\)'

        $w = $null
        $result = Import-EventStore (New-TestPath "left-out-restored$($Form.Trim('-')).db") @in -WarningVariable w -WarningAction SilentlyContinue
        $result.ImportedCount | Should -Be 600
        "$w" | Should -Match 'made without the 2 secrets its store had'

        # A store without secrets: no warning either way, and the manifest says none were there.
        $plain = Copy-Fixture 'resolve-lite-600.db' "no-secrets$($Form.Trim('-')).db"
        $w = $null
        if ($Form -eq '-OutFile') { Export-EventStore $plain -OutFile "$out.none.ndjson" -WarningVariable w; $manifestPath = "$out.none.ndjson.manifest.json" }
        else { Export-EventStore $plain -Directory "$out.none" -WarningVariable w; $manifestPath = Join-Path "$out.none" 'eventstoretools-manifest.json' }
        $w | Should -BeNullOrEmpty
        (Read-Manifest $manifestPath).sourceSecretCount | Should -Be 0
    }

    It 'removes a single file''s old secrets file when it is exported again without -IncludeSecrets' {
        $store = New-StoreWithSecrets 'again.db'
        $file = Join-Path $TestDrive 'again.ndjson.gz'
        Export-EventStore $store -OutFile $file -IncludeSecrets
        Test-Path (Join-Path $TestDrive 'again.ndjson.secrets.gz') | Should -BeTrue
        Export-EventStore $store -OutFile $file -WarningAction SilentlyContinue
        Test-Path (Join-Path $TestDrive 'again.ndjson.secrets.gz') | Should -BeFalse
    }
}

Describe 'A backup folder holds one backup' {
    It 'reused across -Compression values, restores today''s backup and holds only its files' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'daily.db'
        $backup = Join-Path $TestDrive 'daily'
        # Yesterday's backup held 100 events; today's holds 600.
        Export-EventStore $store -Directory $backup -First 100
        Export-EventStore $store -Directory $backup -Compression GZip
        (Get-ChildItem $backup -Force).Name | Sort-Object | Should -Be ('eventstoretools-manifest.json', 'events.db.gz', 'secrets.db.gz' | Sort-Object)
        (Import-EventStore (New-TestPath 'daily-gz.db') -Directory $backup).ImportedCount | Should -Be 600
        Export-EventStore $store -Directory $backup -Compression Zstandard
        (Get-ChildItem $backup -Force).Name | Sort-Object | Should -Be ('eventstoretools-manifest.json', 'events.db.zst', 'secrets.db.zst' | Sort-Object)
        Export-EventStore $store -Directory $backup
        (Get-ChildItem $backup -Force).Name | Sort-Object | Should -Be ('eventstoretools-manifest.json', 'events.db', 'secrets.db' | Sort-Object)
        (Test-EventStore $backup).IsValid | Should -BeTrue
    }

    It 'reads exactly the files the manifest names' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'named.db'
        $backup = Join-Path $TestDrive 'named'
        Export-EventStore $store -Directory $backup -Compression Zstandard
        # A stray plain events.db (copied in by hand) is not what the manifest names: it is not read.
        Set-Content (Join-Path $backup 'events.db') 'not an event'
        (Import-EventStore (New-TestPath 'named-restored.db') -Directory $backup).ImportedCount | Should -Be 600
        (Test-EventStore $backup).IsValid | Should -BeTrue
    }

    It 'replaces a symbolic link planted as <Name>, never writing the file it points to' -ForEach @(
        @{ Name = 'events.db' }, @{ Name = 'secrets.db' }, @{ Name = 'eventstoretools-manifest.json' }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets "planted-$Name.db"
        $backup = Join-Path $folder 'backup'
        New-Item -ItemType Directory $backup | Out-Null
        $victim = Join-Path $folder 'victim.txt'
        Set-Content $victim 'precious'
        $before = Get-Sha256 $victim
        New-Item -ItemType SymbolicLink (Join-Path $backup $Name) -Target $victim | Out-Null
        Export-EventStore $store -Directory $backup -IncludeSecrets
        Get-Sha256 $victim | Should -Be $before
        (Get-Item (Join-Path $backup $Name)).LinkType | Should -BeNullOrEmpty
        (Test-EventStore $backup).IsValid | Should -BeTrue
        (Import-EventStore (Join-Path $folder 'restored.db') -Directory $backup).ImportedSecretCount | Should -Be 2
        Get-OurTemporaryFiles $backup | Should -BeNullOrEmpty
    }

    It 'removes a symbolic link of another compression without following it' {
        $folder = New-CaseFolder
        $store = Copy-Fixture 'resolve-lite-600.db' 'other-link.db'
        $backup = Join-Path $folder 'backup'
        New-Item -ItemType Directory $backup | Out-Null
        $victim = Join-Path $folder 'victim.txt'
        Set-Content $victim 'precious'
        New-Item -ItemType SymbolicLink (Join-Path $backup 'events.db.gz') -Target $victim | Out-Null
        Export-EventStore $store -Directory $backup
        Get-Content $victim | Should -Be 'precious'
        Test-Path (Join-Path $backup 'events.db.gz') | Should -BeFalse
    }
}

Describe 'A restore while its backup folder is exported again' {
    It 'reads the backup it began with or fails saying the folder changed while it was read, leaving the target' {
        $store = New-StoreWithSecrets 'live.db'
        $backup = Join-Path $TestDrive 'live-backup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        $folder = New-CaseFolder
        $target = Join-Path $folder 'target.db'
        Copy-Item (Join-Path $Fixtures 'resolve-lite-600.db') $target
        $before = Get-Sha256 $target
        $lock = Lock-Store $target
        $ps = New-ModulePowerShell
        try {
            [void]$ps.AddCommand('Import-EventStore').AddParameter('Path', $target).AddParameter('Directory', $backup).AddParameter('Replace').AddParameter('Force')
            $run = $ps.BeginInvoke()
            # The import has read the manifest and opened the target, where it waits for the lock.
            Wait-Until { @(Get-OpenFiles $target).Count -ge 2 }
            Export-EventStore $store -Directory $backup -IncludeSecrets -Compression GZip
        }
        finally { $lock.Dispose() }
        $err = $null
        try { [void]$ps.EndInvoke($run) } catch { $err = $_.Exception.InnerException.ErrorRecord }
        $ps.Dispose()
        Assert-ErrorRecord $err 'Import-EventStore' 'BackupManifestMismatch' 'InvalidData'
        $err.Exception.Message | Should -Match 'changed while it was read'
        Get-Sha256 $target | Should -Be $before
        (Import-EventStore $target -Directory $backup -Replace -Force).ImportedSecretCount | Should -Be 2
    }
}
