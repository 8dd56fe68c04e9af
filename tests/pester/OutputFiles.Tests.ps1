# Output files: never the input, replaced as a whole under a unique temporary name, symbolic links written through
# (-OutFile) or replaced (the files of a backup folder, manifests).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The reSolve fixture with three secrets, in a fresh case folder.
    function New-StoreWithSecrets([string] $Folder, [string] $Name = 'store.db') {
        $store = Copy-Fixture 'resolve-lite-600.db' (Join-Path (Split-Path $Folder -Leaf) $Name)
        Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (0, 'user-1', 'key one'), (1, 'user-2', 'key two'), (2, 'user-3', 'key three')" | Out-Null
        $store
    }

    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    # Loads the module's SQLite assembly, which the helpers above use directly.
    Get-EventStore (Join-Path $Fixtures 'resolve-lite-600.db') | Out-Null
}

Describe 'An output is never the input' {
    It 'Export-EventStore -OutFile refuses the store itself, spelled as <Spelling>, before writing anything' -ForEach @(
        @{ Spelling = 'the same path' }, @{ Spelling = 'a path through ..' }, @{ Spelling = 'a symbolic link' }, @{ Spelling = 'a hard link' }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder 'events.db'
        $outFile = switch ($Spelling) {
            'the same path' { $store }
            'a path through ..' { New-Item -ItemType Directory (Join-Path $folder 'sub') | Out-Null; Join-Path $folder 'sub/../events.db' }
            'a symbolic link' { (New-Item -ItemType SymbolicLink (Join-Path $folder 'link.ndjson') -Target $store).FullName }
            'a hard link' { (New-Item -ItemType HardLink (Join-Path $folder 'hard.ndjson') -Target $store).FullName }
        }
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Export-EventStore $store -OutFile $outFile -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'OutputIsInput' 'InvalidArgument'
        $err.TargetObject | Should -Be ([IO.Path]::GetFullPath($outFile))
        Get-FolderSnapshot $folder | Should -Be $before
        Get-IntegrityCheck $store | Should -Be 'ok'
    }

    It 'Export-EventStore -Directory refuses a folder that holds the store as <Name>, before writing anything' -ForEach @(
        @{ Name = 'events.db' }, @{ Name = 'secrets.db' }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder $Name
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Export-EventStore $store -Directory $folder -IncludeSecrets -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'OutputIsInput' 'InvalidArgument'
        $err.TargetObject | Should -Be $store
        Get-FolderSnapshot $folder | Should -Be $before
        (Invoke-SqliteQuery $store 'SELECT count(*) FROM secrets')[0] | Should -Be 3
    }

    It 'Import-EventStore refuses -InFile that is the store (<Spelling>)' -ForEach @(
        @{ Spelling = 'the same path' }, @{ Spelling = 'a symbolic link' }, @{ Spelling = 'an empty store file' }
    ) {
        $folder = New-CaseFolder
        $store = switch ($Spelling) {
            # An empty file is an empty NDJSON input and an empty SQLite database at once: the import would write the store into its input.
            'an empty store file' { (New-Item -ItemType File (Join-Path $folder 'empty.db')).FullName }
            default { New-StoreWithSecrets $folder }
        }
        $inFile = if ($Spelling -eq 'a symbolic link') { (New-Item -ItemType SymbolicLink (Join-Path $folder 'in.ndjson') -Target $store).FullName } else { $store }
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Import-EventStore $store -InFile $inFile -Append -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'OutputIsInput' 'InvalidArgument'
        $err.TargetObject | Should -Be $inFile
        Get-FolderSnapshot $folder | Should -Be $before
    }

    It 'Import-EventStore -Directory refuses a backup folder that holds the store as events.db' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder 'events.db'
        Set-Content (Join-Path $folder 'secrets.db') -Value $null
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Import-EventStore $store -Directory $folder -Replace -Force -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' 'OutputIsInput' 'InvalidArgument'
        Get-FolderSnapshot $folder | Should -Be $before
    }

    It 'still exports to a file of the same name in another folder' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder 'events.db'
        $backup = Join-Path $folder 'backup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        (Get-FileHash (Join-Path $backup 'events.db')).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }
}

Describe 'Symbolic links as outputs: a file the user names is written through, a name the module chooses is replaced' {
    It 'Export-EventStore -OutFile onto a link replaces the file it points to and keeps the link' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $real = Join-Path $folder 'real.ndjson'
        Get-Content $ReferenceExport -TotalCount 1 | Set-Content $real   # an earlier export, cut short
        $link = (New-Item -ItemType SymbolicLink (Join-Path $folder 'link.ndjson') -Target $real).FullName
        Export-EventStore $store -OutFile $link -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match 'has 3 secrets, which this backup leaves out'
        (Get-Item $link).LinkTarget | Should -Be $real
        (Get-FileHash $real).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
        Get-OurTemporaryFiles $folder | Should -BeNullOrEmpty
    }

    It 'Export-EventStore -Directory replaces links in the backup folder (names the module chooses), leaving the files they point to' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $elsewhere = Join-Path $folder 'elsewhere'
        $backup = Join-Path $folder 'backup'
        New-Item -ItemType Directory $elsewhere, $backup | Out-Null
        Set-Content (Join-Path $elsewhere 'events.ndjson') 'old'
        New-Item -ItemType SymbolicLink (Join-Path $backup 'events.db') -Target (Join-Path $elsewhere 'events.ndjson') | Out-Null
        New-Item -ItemType SymbolicLink (Join-Path $backup 'secrets.db') -Target (Join-Path $elsewhere 'secrets.ndjson') | Out-Null
        Export-EventStore $store -Directory $backup -IncludeSecrets
        (Get-Item (Join-Path $backup 'events.db')).LinkTarget | Should -BeNullOrEmpty
        (Get-FileHash (Join-Path $backup 'events.db')).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
        Get-Content (Join-Path $elsewhere 'events.ndjson') | Should -Be 'old'
        Test-Path (Join-Path $elsewhere 'secrets.ndjson') | Should -BeFalse
        @(Get-Content (Join-Path $backup 'secrets.db')).Count | Should -Be 3
        Get-OurTemporaryFiles $backup | Should -BeNullOrEmpty
    }

    It 'Import-EventStore writes through a link to a store, also to one not there yet' {
        $folder = New-CaseFolder
        $existing = New-StoreWithSecrets $folder
        $toExisting = (New-Item -ItemType SymbolicLink (Join-Path $folder 'existing-link.db') -Target $existing).FullName
        $dangling = (New-Item -ItemType SymbolicLink (Join-Path $folder 'new-link.db') -Target (Join-Path $folder 'new.db')).FullName
        $crlf = Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson'
        Import-EventStore $toExisting -InFile $crlf -Append | Out-Null
        Import-EventStore $dangling -InFile $crlf | Out-Null
        (Get-Item $toExisting).LinkTarget | Should -Be $existing
        (Get-Item $dangling).LinkTarget | Should -Be (Join-Path $folder 'new.db')
        Get-EventCount $existing | Should -Be 603
        Get-EventCount (Join-Path $folder 'new.db') | Should -Be 3
    }
}

Describe '-OutFile exports write under their own temporary names and do not clobber each other' {
    It 'writes under a unique hidden name beside the file (two exports at once: two names), never one shared .partial name' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $out = Join-Path $folder 'out.ndjson'
        # Both exports wait for the store's lock with their temporary files already open.
        $lock = Lock-Store $store
        try {
            $first, $second = 1, 2 | ForEach-Object {
                $ps = New-ModulePowerShell
                [void]$ps.AddCommand('Export-EventStore').AddParameter('Path', $store).AddParameter('OutFile', $out)
                [pscustomobject]@{ Shell = $ps; Run = $ps.BeginInvoke() }
            }
            # Each export also writes the manifest beside the file (.out.ndjson.manifest.json.<id>.exporting): not counted here.
            Wait-Until { @(Get-ChildItem $folder -Force | Where-Object Name -Match '^\.out\.ndjson\.[0-9a-f]{32}\.exporting$').Count -eq 2 }
            Test-Path "$out.partial" | Should -BeFalse
        }
        finally { $lock.Dispose() }
        $outcomes = foreach ($export in $first, $second) {
            try { [void]$export.Shell.EndInvoke($export.Run); 'OK' } catch { $_.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId ?? $_.Exception.Message }
            $export.Shell.Dispose()
        }
        # The first to finish writes the file; the second finds it written meanwhile and leaves it.
        @($outcomes | Where-Object { $_ -eq 'OK' }).Count | Should -Be 1
        $outcomes | Where-Object { $_ -ne 'OK' } | Should -BeLike 'ExportEventStoreOutputChanged,*'
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
        Get-OurTemporaryFiles $folder | Should -BeNullOrEmpty
    }

    It 'does not overwrite a file that another process <Change> while it exported' -ForEach @(
        @{ Change = 'wrote'; Before = 'an older export' }, @{ Change = 'created'; Before = $null }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $out = Join-Path $folder 'out.ndjson'
        if ($Before) { Get-Content $ReferenceExport -TotalCount 1 | Set-Content $out }
        $lock = Lock-Store $store
        $ps = New-ModulePowerShell
        try {
            [void]$ps.AddCommand('Export-EventStore').AddParameter('Path', $store).AddParameter('OutFile', $out)
            $run = $ps.BeginInvoke()
            Wait-Until { Get-ChildItem $folder -Force -Filter '.out.ndjson.*.exporting' }
            Set-Content $out 'another export, finished a moment earlier'
        }
        finally { $lock.Dispose() }
        $err = $null
        try { [void]$ps.EndInvoke($run) } catch { $err = $_.Exception.InnerException.ErrorRecord }
        $ps.Dispose()
        Assert-ErrorRecord $err 'Export-EventStore' 'OutputChanged' 'ResourceExists'
        Get-Content $out | Should -Be 'another export, finished a moment earlier'
        Get-OurTemporaryFiles $folder | Should -BeNullOrEmpty
    }
}

Describe 'An output that is not an export of ours is not replaced without -Force' {
    It 'Export-EventStore -OutFile refuses <Kind> before writing anything, and -Force replaces it' -ForEach @(
        @{ Kind = 'a reSolve store'; Description = 'a SQLite database' }
        @{ Kind = 'another SQLite database'; Description = 'a SQLite database' }
        @{ Kind = 'a text file'; Description = "a file whose first line is not an event of reSolve's NDJSON" }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $victim = Join-Path $folder 'victim.db'
        switch ($Kind) {
            'a reSolve store' { Copy-Item $store $victim }
            'another SQLite database' { Invoke-SqliteQuery $victim 'CREATE TABLE notes(x); INSERT INTO notes VALUES (1)' | Out-Null }
            'a text file' { Set-Content $victim 'dear diary' }
        }
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Export-EventStore $store -OutFile $victim -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'OutputNotOurs' 'ResourceExists'
        $err.TargetObject | Should -Be $victim
        $err.Exception.Message | Should -BeLike "'$victim' is $Description, not an export*add -Force to replace it."
        Get-FolderSnapshot $folder | Should -Be $before

        Export-EventStore $store -OutFile $victim -Force -IncludeSecrets
        Get-FileHash $victim | ForEach-Object Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }

    It 'Export-EventStore -Directory refuses a folder whose events.db is a store, also when another -Compression would remove it' -ForEach @(
        @{ Compression = 'None' }, @{ Compression = 'GZip' }
    ) {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $backup = Join-Path $folder 'bk'
        New-Item -ItemType Directory $backup | Out-Null
        Copy-Item $store (Join-Path $backup 'events.db')
        Set-Content (Join-Path $backup 'secrets.db') -Value $null
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { Export-EventStore $store -Directory $backup -Compression $Compression -ErrorAction Stop }
        Assert-ErrorRecord $err 'Export-EventStore' 'OutputNotOurs' 'ResourceExists'
        $err.Exception.Message | Should -BeLike "*events.db' is a SQLite database*Choose another -Directory, or add -Force*"
        Get-FolderSnapshot $folder | Should -Be $before

        Export-EventStore $store -Directory $backup -Compression $Compression -Force -IncludeSecrets
        (Test-EventStore $backup).IsValid | Should -BeTrue
    }

    It 'an earlier export or backup of ours is replaced without -Force, in every form' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        foreach ($name in 'a.ndjson', 'a.ndjson.gz', 'a.ndjson.zst') {
            $outFile = Join-Path $folder $name
            Export-EventStore $store -OutFile $outFile -IncludeSecrets -First 5
            Export-EventStore $store -OutFile $outFile -IncludeSecrets
            (Test-EventStore $outFile).EventCount | Should -Be 600
        }
        $backup = Join-Path $folder 'bk'
        Export-EventStore $store -Directory $backup -First 5 -IncludeSecrets
        Export-EventStore $store -Directory $backup -IncludeSecrets
        Export-EventStore $store -Directory $backup -IncludeSecrets -Compression Zstandard
        (Test-EventStore $backup).EventCount | Should -Be 600
        # An empty file (touch) is no one's data either.
        $empty = Join-Path $folder 'empty.ndjson'
        New-Item -ItemType File $empty | Out-Null
        Export-EventStore $store -OutFile $empty -IncludeSecrets
        (Get-Item $empty).Length | Should -Be (Get-Item $ReferenceExport).Length
    }

    It '-WhatIf -Force names the file that is not ours and replaces nothing' {
        $folder = New-CaseFolder
        $store = New-StoreWithSecrets $folder
        $victim = Join-Path $folder 'victim.db'
        Copy-Item $store $victim
        $before = Get-FolderSnapshot $folder
        $run = Invoke-Captured { Export-EventStore $store -OutFile $victim -Force -WhatIf }
        $run.WhatIf | Should -HaveCount 1
        $run.WhatIf[0] | Should -BeLike "*replacing what is not an export of ours as -Force asks ('$victim' is a SQLite database)*"
        Get-FolderSnapshot $folder | Should -Be $before
    }
}
