# Faults around files: a full disk during imports and exports, and what killed imports and exports leave behind.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:Shared = Join-Path $TestDrive 'shared'
    New-Item -ItemType Directory $Shared | Out-Null
    $script:BigStore = Join-Path $Shared 'big.db'
    $script:BigNdjson = Join-Path $Shared 'big.ndjson'
    # 3000 events of 10 kB (30 MB of NDJSON): more than the import's 24 MB page cache holds, so SQLite writes the
    # store file mid-transaction, which is where a full disk leaves a hot journal. Few large events: a fast import.
    @() | Import-EventStore $BigStore | Out-Null
    Add-GeneratedRows $BigStore 3000 'events' "i % 256, 1000 + i / 256, 1700000000000 + i, 'generated-' || (i % 1000), i / 1000 + 1, 'GENERATED', json_object('i', i, 'text', hex(zeroblob(5000)))"
    Export-EventStore $BigStore -OutFile $BigNdjson
    $script:Crlf = Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson'

    # The numbers of the pages on a SQLite file's freelist (header offset 32: the first trunk page; a trunk page
    # holds the next trunk, a leaf count and the leaves), read from the file itself.
    function Get-FreePages([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $pageSize = [int]$bytes[16] * 256 + $bytes[17]
        if ($pageSize -eq 1) { $pageSize = 65536 }
        $number = { param([long] $Offset) ([long]$bytes[$Offset] -shl 24) + ([long]$bytes[$Offset + 1] -shl 16) + ([long]$bytes[$Offset + 2] -shl 8) + $bytes[$Offset + 3] }
        $trunk = & $number 32
        while ($trunk -ne 0) {
            $trunk
            $offset = ($trunk - 1) * $pageSize
            $leaves = & $number ($offset + 4)
            for ($i = 0; $i -lt $leaves; $i++) { & $number ($offset + 8 + 4 * $i) }
            $trunk = & $number $offset
        }
    }

    # A hash of a SQLite file with the given pages blanked.
    function Get-PagesInUseHash([string] $Path, [long[]] $FreePages) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $pageSize = [int]$bytes[16] * 256 + $bytes[17]
        if ($pageSize -eq 1) { $pageSize = 65536 }
        foreach ($page in $FreePages) { [Array]::Clear($bytes, ($page - 1) * $pageSize, $pageSize) }
        [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
    }

    # The verbose lines of a command, which runs to its end or fails with the error returned in .Error.
    function Invoke-Verbose([scriptblock] $Command) {
        $errorRecord = $null
        $VerbosePreference = 'Continue'
        $records = try { & $Command 4>&1 } catch { $errorRecord = $_ }
        $verbose = $records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
        [pscustomobject]@{ Verbose = @($verbose); Error = $errorRecord }
    }
}

Describe 'A full disk' -Tag Fault {
    BeforeAll {
        # A 2 MB file system of its own, which the tests fill.
        $script:Small = Join-Path $TestDrive 'small'
        New-Item -ItemType Directory $Small | Out-Null
        $script:SkipReason = $null
        if (-not $IsLinux -or (id -u) -ne '0') { $script:SkipReason = 'a small tmpfs needs Linux and root' }
        else {
            $mount = mount -t tmpfs -o size=2m tmpfs $Small 2>&1
            if ($LASTEXITCODE -ne 0) { $script:SkipReason = "mount -t tmpfs failed: $mount" }
        }
        if ($SkipReason) { Write-Host "Skipping the full-disk tests: $SkipReason" }
    }

    AfterAll {
        # Lazy: a file a failed test left open must not keep the mount (and the test drive) in place.
        if (-not $SkipReason) { umount --lazy $Small }
    }

    BeforeEach {
        if ($SkipReason) { Set-ItResult -Skipped -Because $SkipReason; return }
        Get-ChildItem $Small -Force | Remove-Item -Recurse -Force
    }

    # SQLite does not journal the pages on the freelist (their content is garbage to it), so a rollback restores every
    # page in use and leaves free pages as the failed transaction wrote them: the reSolve fixture has 2 free pages,
    # a vacuumed store none, whose file is then byte for byte as before.
    It 'fails Import-EventStore <Mode> and leaves the file of <Store> as it was (every page in use), with no journal beside it' -ForEach @(
        @{ Mode = '-Append'; Arguments = @{ Append = $true }; Store = 'the reSolve fixture' }
        @{ Mode = '-Replace'; Arguments = @{ Replace = $true; Force = $true }; Store = 'a store without free pages' }
        @{ Mode = '-Incremental'; Arguments = @{ Incremental = $true }; Store = 'the reSolve fixture' }
    ) {
        $store = Join-Path $Small 'store.db'
        Copy-Item (Join-Path $Fixtures 'resolve-lite-600.db') $store
        Set-ItemProperty $store -Name IsReadOnly -Value $false
        if ($Store -eq 'a store without free pages') {
            Invoke-SqliteQuery $store 'VACUUM' | Out-Null
            (Invoke-SqliteQuery $store 'PRAGMA freelist_count')[0] | Should -Be 0
        }
        $freePages = Get-FreePages $store
        $before = Get-PagesInUseHash $store $freePages
        $wholeFile = (Get-FileHash $store).Hash
        $err = Get-ErrorRecord { Import-EventStore $store -InFile $BigNdjson @Arguments -ErrorAction Stop }
        $err.Exception.Message | Should -Match 'disk is full'
        $err.FullyQualifiedErrorId | Should -BeLike 'ImportEventStore*'
        # The file itself, as a copy or a backup would take it, without the journal's help.
        Test-Path "$store-journal" | Should -BeFalse
        Get-PagesInUseHash $store $freePages | Should -Be $before
        if (-not $freePages) { (Get-FileHash $store).Hash | Should -Be $wholeFile }
        $copy = Join-Path $TestDrive "copy-$([guid]::NewGuid()).db"
        Copy-Item $store $copy
        Get-IntegrityCheck $copy | Should -Be 'ok'
        Get-OurTemporaryFiles $Small | Should -BeNullOrEmpty
    }

    It 'fails Export-EventStore -OutFile and leaves the older file as it was, with no temporary file' {
        $out = Join-Path $Small 'out.ndjson'
        # An older export (its first line): replaced without -Force, but not by a failed export.
        $older = Get-Content (Join-Path $Fixtures 'resolve-lite-600.export.ndjson') -TotalCount 1
        Set-Content $out $older
        $err = Get-ErrorRecord { Export-EventStore $BigStore -OutFile $out -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'IOError' 'WriteError'
        Get-Content $out | Should -Be $older
        Get-OurTemporaryFiles $Small | Should -BeNullOrEmpty
    }

    It 'fails Export-EventStore -Directory on the secrets and leaves the older backup pair as it was, with no temporary file' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'with-secrets.db'
        Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (0, 'user-1', 'key one'), (1, 'user-2', 'key two')" | Out-Null
        $backup = Join-Path $Small 'backup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        $before = Get-FolderSnapshot $backup
        # The new events.db fits beside the old pair; the new secrets.db (30k secrets, 2.4 MB) does not.
        Add-GeneratedRows $store 30000 'secrets(idx, id, secret)' "i + 10, 'generated-user-' || i, 'a generated secret that takes some room ' || i"
        $err = Get-ErrorRecord { Export-EventStore $store -Directory $backup -IncludeSecrets -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'IOError' 'WriteError'
        Get-FolderSnapshot $backup | Should -Be $before
        (Import-EventStore (Join-Path $TestDrive "restored-$([guid]::NewGuid()).db") -Directory $backup).ImportedSecretCount | Should -Be 2
    }
}

Describe 'Temporary files of killed imports and exports' -Tag Fault {
    It 'removes the .importing and .exporting files of a killed process, never while it runs, and says so with -Verbose' {
        $folder = New-CaseFolder
        $store = Join-Path $folder 'new.db'
        $source = Copy-Fixture 'resolve-lite-600.db' (Join-Path (Split-Path $folder -Leaf) 'source.db')
        $out = Join-Path $folder 'out.ndjson'
        # The child's export opens its temporary file, then waits for the store, which a write transaction here
        # holds; its import of a new store, fed slowly from the pipeline, is at work until the child is killed.
        $lock = Lock-Store $source
        $child = Start-ChildPwsh (@(
                "[void][powershell]::Create().AddScript(`"Import-Module '$ModuleManifest'; Export-EventStore '$source' -OutFile '$out'`").BeginInvoke()"
                "& { for (`$i = 0; ; `$i++) { @{ threadId = 0; threadCounter = `$i; timestamp = 1000 + `$i; aggregateId = 'a'; aggregateVersion = `$i + 1; type = 'T'; payload = @{} }; Start-Sleep -Milliseconds 20 } } | Import-EventStore '$store'"
            ) -join '; ')
        try {
            Wait-Until { (Get-ChildItem $folder -Force -Filter '.new.db.*.importing') -and (Get-ChildItem $folder -Force -Filter '.out.ndjson.*.exporting') } $child
            $temporaries = (Get-ChildItem $folder -Force -Filter '.*.*.*ing').FullName

            $whileAlive = Invoke-Verbose { Import-EventStore (Join-Path $folder 'other.db') -InFile $Crlf; Export-EventStore $BigStore -OutFile (Join-Path $folder 'other.ndjson') -First 1 }
            $whileAlive.Error | Should -BeNullOrEmpty
            $whileAlive.Verbose -match 'Removed' | Should -BeNullOrEmpty
            foreach ($temporary in $temporaries) { Test-Path $temporary | Should -BeTrue -Because 'the import or export that owns it is still at work' }
        }
        finally {
            Stop-ChildPwshAfter $child 0 | Out-Null
            $lock.Dispose()
        }

        foreach ($temporary in $temporaries) { Test-Path $temporary | Should -BeTrue -Because 'a killed process leaves its temporary file' }
        $afterKill = Invoke-Verbose { Import-EventStore (Join-Path $folder 'third.db') -InFile $Crlf }
        $afterKill.Error | Should -BeNullOrEmpty
        foreach ($temporary in $temporaries) {
            $afterKill.Verbose -match [regex]::Escape("Removed '$temporary'") | Should -Not -BeNullOrEmpty
            Test-Path $temporary | Should -BeFalse
        }
        Get-OurTemporaryFiles $folder | Should -BeNullOrEmpty
        Get-ChildItem $folder -Force -Filter '*-journal' | Should -BeNullOrEmpty
        Test-Path $store, $out | Should -Be $false, $false
    }

    It 'leaves files of similar names alone' {
        $folder = New-CaseFolder
        $names = '.new.db.123.importing', 'new.db.0123456789abcdef0123456789abcdef.importing', '.new.db.0123456789ABCDEF0123456789ABCDEF.importing', 'out.ndjson.partial', '.out.ndjson.0123456789abcdef0123456789abcdef.replaced'
        foreach ($name in $names) { Set-Content (Join-Path $folder $name) 'not a leftover of ours' }
        $run = Invoke-Verbose { Import-EventStore (Join-Path $folder 'new.db') -InFile $Crlf }
        $run.Verbose -match 'Removed' | Should -BeNullOrEmpty
        foreach ($name in $names) { Test-Path (Join-Path $folder $name) | Should -BeTrue }
    }
}

Describe 'Ctrl+C of a backup export' -Tag Fault {
    It 'leaves the older backup pair as it was and no temporary file' {
        $folder = New-CaseFolder
        $store = Copy-Fixture 'resolve-lite-600.db' (Join-Path (Split-Path $folder -Leaf) 'store.db')
        $backup = Join-Path $folder 'backup'
        Export-EventStore $BigStore -Directory $backup -First 10
        $before = Get-FolderSnapshot $backup
        # The export opens its three temporary files (events, secrets, manifest), then waits for the store, which a
        # write transaction here holds.
        $lock = Lock-Store $store
        try {
            $ps = New-ModulePowerShell
            [void]$ps.AddCommand('Export-EventStore').AddParameter('Path', $store).AddParameter('Directory', $backup).AddParameter('IncludeSecrets').BeginInvoke()
            Wait-Until { @(Get-ChildItem $backup -Force -Filter '.*.exporting').Count -eq 3 }
            (Stop-ModulePowerShell $ps).TotalSeconds | Should -BeLessThan 2
        }
        finally { $lock.Dispose() }
        Get-FolderSnapshot $backup | Should -Be $before
        Get-OurTemporaryFiles $backup | Should -BeNullOrEmpty
    }
}
