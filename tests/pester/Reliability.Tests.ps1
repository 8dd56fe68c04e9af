# Faults: a killed importer, Ctrl+C, -WhatIf, concurrent writers and importers. Nothing may be lost or mixed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:GeneratedCount = 100000

    # The reSolve fixture copied into a case folder, writable.
    function Copy-FixtureInto([string] $Folder, [string] $Name) {
        Copy-Fixture 'resolve-lite-600.db' (Join-Path (Split-Path $Folder -Leaf) $Name)
    }

    # An import in a child pwsh that prints OK or the error id, for the concurrency tests.
    function Start-ChildImport([string] $Target, [string] $InFile) {
        Start-ChildPwsh "try { Import-EventStore '$Target' -InFile '$InFile' -ErrorAction Stop | Out-Null; 'OK' } catch { `$_.FullyQualifiedErrorId; exit 1 }"
    }

    $script:Shared = Join-Path $TestDrive 'shared'
    New-Item -ItemType Directory $Shared | Out-Null
    $script:BigStore = Join-Path $Shared 'big.db'
    $script:BigNdjson = Join-Path $Shared 'big.ndjson'
    New-GeneratedStore $BigStore $GeneratedCount
    Export-EventStore $BigStore -OutFile $BigNdjson
    $script:FixtureRows = Get-StoreRows (Join-Path $Fixtures 'resolve-lite-600.db')
}

Describe 'kill -9 of an importing process' -Tag Fault {
    # Kill points spread over the whole import, from its first event to its commit; an import that ends before
    # the kill must have all its events, one killed before must have none.
    It 'leaves a <Target> target with all or none of the new events, passing integrity_check (kill after <Delay> ms)' -ForEach @(
        @{ Target = 'new'; Delay = (Get-Random -Maximum 400) }, @{ Target = 'new'; Delay = (Get-Random -Minimum 400 -Maximum 1500) }
        @{ Target = 'existing'; Delay = (Get-Random -Maximum 400) }, @{ Target = 'existing'; Delay = (Get-Random -Minimum 400 -Maximum 1500) }
    ) {
        $folder = New-CaseFolder
        if ($Target -eq 'new') {
            $store = Join-Path $folder 'new.db'
            $child = Start-ChildPwsh "Import-EventStore '$store' -InFile '$BigNdjson'"
            Wait-Until { $child.HasExited -or (Get-ChildItem $folder -Force -Filter '.new.db.*.importing') }
        }
        else {
            $store = Copy-FixtureInto $folder 'existing.db'
            $child = Start-ChildPwsh "Import-EventStore '$store' -InFile '$BigNdjson' -Append"
            Wait-Until { $child.HasExited -or (Test-Path "$store-journal") }
        }
        $finished = Stop-ChildPwshAfter $child $Delay

        if (Test-Path $store) {
            # Read first, through the hot journal a killed writer leaves: Export must recover, not fail.
            $exported = @(Export-EventStore $store).Count
            Get-IntegrityCheck $store | Should -Be 'ok'
            $count = Get-EventCount $store
            $exported | Should -Be $count
        }
        else { $count = 0 }
        $before = if ($Target -eq 'new') { 0 } else { 600 }
        Assert-AllOrNone $count $before $GeneratedCount $finished
        if ($Target -eq 'existing' -and $count -eq 600) { Get-StoreRows $store | Should -Be $FixtureRows }
        if ($Target -eq 'new' -and $count -eq 0) {
            Test-Path $store | Should -BeFalse
            # What a killed import leaves behind does not stand in the way of the next one.
            (Import-EventStore $store -InFile (Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson')).ImportedCount | Should -Be 3
        }
    }
}

Describe 'Ctrl+C (StopProcessing)' -Tag Fault {
    It 'stops an -InFile import into a new store promptly, leaving no file and no open handle' {
        $folder = New-CaseFolder
        $store = Join-Path $folder 'stopped.db'
        $ps = New-ModulePowerShell
        [void]$ps.AddCommand('Import-EventStore').AddParameter('Path', $store).AddParameter('InFile', $BigNdjson).BeginInvoke()
        Wait-Until { Get-ChildItem $folder -Force -Filter '.stopped.db.*.importing' }
        Start-Sleep -Milliseconds 300
        (Stop-ModulePowerShell $ps).TotalSeconds | Should -BeLessThan 2
        Get-OpenFiles $folder | Should -BeNullOrEmpty
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'stops a pipeline import into an existing store promptly, rolls back and releases both stores' {
        $folder = New-CaseFolder
        $source = Copy-Item $BigStore (Join-Path $folder 'source.db') -PassThru
        $store = Copy-FixtureInto $folder 'existing.db'
        $before = (Get-FileHash $store).Hash
        $ps = New-ModulePowerShell
        [void]$ps.AddScript("Export-EventStore '$source' | Import-EventStore '$store' -Append").BeginInvoke()
        Stop-WritingPowerShell $ps $store $folder -AfterMilliseconds 300
        (Get-FileHash $store).Hash | Should -Be $before
        Remove-Item $store, $source
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'stops an export to the pipeline promptly and releases the store' {
        $folder = New-CaseFolder
        $source = Copy-Item $BigStore (Join-Path $folder 'source.db') -PassThru
        $ps = New-ModulePowerShell
        # The consumer sleeps, so the export is still at work at the stop however fast it reads (it reads ahead).
        [void]$ps.AddScript("Export-EventStore '$source' | ForEach-Object { `$_.Payload.i; Start-Sleep -Milliseconds 1 } | Out-Null").BeginInvoke()
        Start-Sleep -Milliseconds 500
        (Stop-ModulePowerShell $ps).TotalSeconds | Should -BeLessThan 2
        Get-OpenFiles $folder | Should -BeNullOrEmpty
        Remove-Item $source
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'stops an export to -OutFile promptly, leaving no temporary file' {
        $folder = New-CaseFolder
        $source = Copy-Item $BigStore (Join-Path $folder 'source.db') -PassThru
        $out = Join-Path $folder 'out.ndjson'
        $ps = New-ModulePowerShell
        [void]$ps.AddCommand('Export-EventStore').AddParameter('Path', $source).AddParameter('OutFile', $out).BeginInvoke()
        Wait-Until { Get-ChildItem $folder -Force -Filter '.out.ndjson.*.exporting' }
        Start-Sleep -Milliseconds 100
        (Stop-ModulePowerShell $ps).TotalSeconds | Should -BeLessThan 2
        Get-OpenFiles $folder | Should -BeNullOrEmpty
        Remove-Item $source
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }
}

Describe 'Ctrl+C while waiting for another process''s lock' -Tag Fault {
    # SQLite's busy handler would sit out its whole 60 s timeout; the wait must end on Ctrl+C.
    # The incremental steps take the lock in one of two ways: as a whole transaction (Start, Complete, Undo) or
    # for a push (Add-IncrementalImport, Import-EventStore -Incremental).
    It 'stops <Command> promptly and leaves the store as it was' -ForEach @(
        @{ Command = 'Import-EventStore -Append'; Lock = 'BEGIN IMMEDIATE'; Script = { param($store) "@() | Import-EventStore '$store' -Append" } }
        @{ Command = 'Export-EventStore'; Lock = 'BEGIN EXCLUSIVE'; Script = { param($store) "Export-EventStore '$store' | Out-Null" } }
        @{ Command = 'Complete-IncrementalImport'; Lock = 'BEGIN IMMEDIATE'
           Script = { param($store) "Complete-IncrementalImport '$store' -ImportId '$(Start-IncrementalImport $store)'" } }
        @{ Command = 'Add-IncrementalImport'; Lock = 'BEGIN IMMEDIATE'
           Script = { param($store) "@{ timestamp = 1; aggregateId = 'a'; type = 'T' } | Add-IncrementalImport '$store' -ImportId '$(Start-IncrementalImport $store)'" } }
    ) {
        $folder = New-CaseFolder
        $store = Copy-FixtureInto $folder 'locked.db'
        $script = & $Script $store
        $before = (Get-FileHash $store).Hash
        $holder = (Get-ModuleLibraryType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$store;Pooling=False")
        $holder.Open()
        try {
            $locking = $holder.CreateCommand()
            $locking.CommandText = $Lock
            [void]$locking.ExecuteNonQuery()
            $ps = New-ModulePowerShell
            [void]$ps.AddScript($script).BeginInvoke()
            Start-Sleep -Milliseconds 1500
            (Stop-ModulePowerShell $ps).TotalSeconds | Should -BeLessThan 3
        }
        finally { $holder.Dispose() }
        Get-OpenFiles $folder | Should -BeNullOrEmpty
        (Get-FileHash $store).Hash | Should -Be $before
    }
}

Describe 'Concurrency' -Tag Fault {
    # reSolve's journal mode (DELETE) blocks a writer for as long as a read transaction lasts: the export reads in
    # short pages, so a writer waits for one page at most, even behind a consumer that sleeps.
    It 'Export-EventStore to a slow consumer keeps a concurrent writer''s waits short; each thread is exported as an unbroken run and the cursor resumes the rest' {
        $folder = New-CaseFolder
        $store = Copy-Item $BigStore (Join-Path $folder 'live.db') -PassThru
        $stop = Join-Path $folder 'stop'
        # reSolve's saveEvent: one INSERT per event in its own transaction, waiting on locks (busy_timeout); the
        # writer's events sort after the store's, in thread 7.
        $writer = Start-ChildPwsh @"
`$context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'EventStoreTools'
`$connection = `$context.LoadFromAssemblyName([System.Reflection.AssemblyName]::new('Microsoft.Data.Sqlite')).GetType('Microsoft.Data.Sqlite.SqliteConnection')::new('Data Source=$store;Pooling=False')
`$connection.Open()
`$command = `$connection.CreateCommand()
`$command.CommandText = 'PRAGMA busy_timeout = 60000'
[void]`$command.ExecuteNonQuery()
`$written = 0; `$longestWait = 0
while (-not (Test-Path '$stop')) {
    `$command.CommandText = "INSERT INTO events VALUES (7, 100000 + `$written, 1800000000000 + `$written, 'writer', 1 + `$written, 'WRITTEN', '{}')"
    `$clock = [Diagnostics.Stopwatch]::StartNew()
    [void]`$command.ExecuteNonQuery()
    `$longestWait = [Math]::Max(`$longestWait, `$clock.ElapsedMilliseconds)
    `$written++
    Start-Sleep -Milliseconds 2
}
`$connection.Dispose()
"`$written `$longestWait"
"@
        Wait-Until { (Get-EventCount $store) -gt $GeneratedCount } $writer
        $exportClock = [Diagnostics.Stopwatch]::StartNew()
        $exported = [Collections.Generic.List[object]]::new()
        # A consumer that sleeps 40 ms every 2,000 events: the export lasts seconds (before, the writer waited all of it).
        Export-EventStore $store -CursorVariable cursor | ForEach-Object { $exported.Add($_); if ($exported.Count % 2000 -eq 0) { Start-Sleep -Milliseconds 40 } }
        $exportSeconds = $exportClock.Elapsed.TotalSeconds
        New-Item $stop | Out-Null
        $result = Wait-ChildPwsh $writer
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        $written, $longestWait = $result.Output -split ' ' | ForEach-Object { [long]$_ }
        Write-Host "Export of $($exported.Count) events to a sleeping consumer: $([Math]::Round($exportSeconds, 1)) s; the writer wrote $written events, its longest wait $longestWait ms."

        $exportSeconds | Should -BeGreaterThan 2
        $longestWait | Should -BeLessThan 300 -Because 'a writer waits for one page of the export (about 50 ms), not for the export'
        Get-EventCount $store | Should -Be ($GeneratedCount + $written)
        # The writer's events the export saw are its first ones, without a gap; the cursor gives exactly the rest.
        $seen = @($exported | Where-Object AggregateId -eq 'writer' | ForEach-Object ThreadCounter)
        $seen | Should -Be @(if ($seen.Count) { 0..($seen.Count - 1) | ForEach-Object { 100000 + $_ } })
        ($exported.Count - $seen.Count) | Should -Be $GeneratedCount
        $rest = @(Export-EventStore $store -Cursor $cursor | ForEach-Object ThreadCounter)
        $rest | Should -Be @(if ($rest.Count) { 0..($rest.Count - 1) | ForEach-Object { 100000 + $seen.Count + $_ } })
        ($seen.Count + $rest.Count) | Should -Be $written
    }

    # Into an existing store the second import waits for the first's write lock, then finds events and refuses;
    # into a new path both build their own file, the first to finish moves it into place, the other fails.
    It 'of two imports into <Target>, one wins (<Winner>) and the other fails clearly; no mix' -ForEach @(
        @{ Target = 'one existing empty store'; Existing = $true; Winner = 'the first to start' }
        @{ Target = 'one new path'; Existing = $false; Winner = 'the first to finish' }
    ) {
        $folder = New-CaseFolder
        $store = Join-Path $folder 'contested.db'
        if ($Existing) { @() | Import-EventStore $store | Out-Null }
        $large = Start-ChildImport $store $BigNdjson
        Wait-Until { (Test-Path "$store-journal") -or (Get-ChildItem $folder -Force -Filter '.contested.db.*.importing') } $large
        $small = Start-ChildImport $store (Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson')
        $smallResult = Wait-ChildPwsh $small
        $largeResult = Wait-ChildPwsh $large
        # Into a new path the winner is whichever finishes first, which the machine's load decides: either may win,
        # exactly one does, and the store holds exactly the winner's events.
        $largeWon = if ($Existing) { $true } else { $largeResult.Output -eq 'OK' }
        $winner, $loser, $stored = if ($largeWon) { $largeResult, $smallResult, "GENERATED,$GeneratedCount" } else { $smallResult, $largeResult, 'CORPUS_EVENT,3' }
        $winner.Output | Should -Be 'OK' -Because $winner.Errors
        $loser.Output | Should -Be 'ImportEventStoreTargetNotEmpty,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Invoke-SqliteQuery $store 'SELECT type, count(*) FROM events GROUP BY type') -join ',' | Should -Be $stored
        (Get-ChildItem $folder -Force).Name | Should -Be 'contested.db'
    }
}

Describe '-WhatIf touches nothing' {
    It 'Import-EventStore <Mode> -WhatIf leaves an existing store byte for byte' -ForEach @(
        @{ Mode = '(default)'; Arguments = @{}; Says = 'Refuse: it holds 600 events' }
        @{ Mode = '-Append'; Arguments = @{ Append = $true }; Says = 'Append {0} to its 600 events' }
        @{ Mode = '-Replace -Force'; Arguments = @{ Replace = $true; Force = $true }; Says = 'Replace its 600 events with {0}' }
    ) {
        $store = Copy-Fixture 'resolve-lite-600.db' 'whatif.db'
        $before = (Get-FileHash $store).Hash
        # The dry run reads the input and reports (issue 14); its output and its last What-if line say so, and nothing is written.
        $one = Invoke-Captured { New-TestEvent -Counter 99 -Aggregate 'whatif' | Import-EventStore $store @Arguments -WhatIf }
        $one.Output.WhatIf | Should -BeTrue
        $one.WhatIf[-1] | Should -BeLike "What if: Performing the operation `"$($Says -f '1 event')*`" on target `"$store`"."
        $big = Invoke-Captured { Import-EventStore $store -InFile $BigNdjson @Arguments -WhatIf }
        $big.Output.WhatIf | Should -BeTrue
        $big.WhatIf[-1] | Should -BeLike "What if: Performing the operation `"$($Says -f ('{0:N0} events' -f $GeneratedCount))*`" on target `"$store`"."
        (Get-FileHash $store).Hash | Should -Be $before
        Test-Path "$store-journal" | Should -BeFalse
    }

    It 'Import-EventStore -WhatIf creates no new store' {
        $folder = New-CaseFolder
        $new = Join-Path $folder 'new.db'
        (Invoke-Captured { New-TestEvent | Import-EventStore $new -WhatIf }).WhatIf |
            Should -Be @("What if: Performing the operation `"Create an event store and import events`" on target `"$new`"."
                "What if: Performing the operation `"Create the store and write 1 event`" on target `"$new`".")
        (Invoke-Captured { Import-EventStore $new -InFile $BigNdjson -WhatIf }).WhatIf[-1] |
            Should -Be "What if: Performing the operation `"Create the store and write $('{0:N0}' -f $GeneratedCount) events`" on target `"$new`"."
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'Export-EventStore -OutFile -WhatIf leaves an existing file and the store byte for byte' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'whatif-export.db'
        $out = New-TestPath 'whatif-export.ndjson'
        # An earlier, shorter export of ours: one the export would replace without asking.
        Get-Content (Join-Path $Fixtures 'resolve-lite-600.export.ndjson') -TotalCount 3 | Set-Content $out
        $before = (Get-FileHash $store, $out).Hash
        (Invoke-Captured { Export-EventStore $store -OutFile $out -WhatIf }).WhatIf |
            Should -BeLike "What if: Performing the operation `"Export the events of '$store' as NDJSON with *.manifest.json`" on target `"$out`"."
        (Get-FileHash $store, $out).Hash | Should -Be $before
        Get-ChildItem (Split-Path $out) -Force -Filter '.whatif-export.ndjson.*' | Should -BeNullOrEmpty
    }

    It 'Export-EventStore -Directory -WhatIf leaves an existing backup and the store byte for byte' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'whatif-backup.db'
        $backup = New-TestPath 'whatif-backup'
        Export-EventStore $store -Directory $backup
        Import-EventStore $store -InFile (Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson') -Append | Out-Null
        $snapshot = { (Get-FileHash $store).Hash; Get-ChildItem $backup -Force | Get-FileHash | ForEach-Object { "$($_.Path) $($_.Hash)" } }
        $before = & $snapshot
        (Invoke-Captured { Export-EventStore $store -Directory $backup -IncludeSecrets -WhatIf }).WhatIf |
            Should -Be "What if: Performing the operation `"Export the events and secrets of '$store' as events.db and secrets.db`" on target `"$backup`"."
        & $snapshot | Should -Be $before
    }
}
