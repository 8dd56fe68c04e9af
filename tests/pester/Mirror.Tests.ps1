# Live mirror and migration (issue 16): Export-EventStore -Follow, Import-EventStore -CommitEvery, Sync-EventStore
# (-Follow, -Cutover, resumption after kill -9, divergence) and Set-EventStore -Frozen, against reSolve's own writer
# (tests/compat/writer.js: @resolve-js/eventstore-lite and -postgresql saveEvent in a Node process) on SQLite and on a
# PostgreSQL server this file starts.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    # Every process a test starts; those still running when it ends (it failed) are killed.
    $script:Started = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $script:Node = (Get-Command node -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source

    # reSolve's writer appending at a steady rate until its input closes (or, by default, reSolve's frozen error).
    function Start-ResolveWriter([string[]] $Store, [int] $Rate = 200, [string[]] $More = @()) {
        Start-TestProcess $Node (@((Join-Path $RepoRoot 'tests/compat/writer.js')) + $Store + @('--rate', $Rate, '--quiet') + $More)
    }

    # A process with its input open (closing it stops the writer) and its output and errors collected as it ends.
    function Start-TestProcess([string] $Program, [string[]] $Arguments) {
        $start = [System.Diagnostics.ProcessStartInfo]::new($Program)
        foreach ($argument in $Arguments) { $start.ArgumentList.Add("$argument") }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $script:Started.Add($process)
        $process | Add-Member -NotePropertyName Output -NotePropertyValue $process.StandardOutput.ReadToEndAsync() -PassThru |
            Add-Member -NotePropertyName Errors -NotePropertyValue $process.StandardError.ReadToEndAsync() -PassThru
    }

    # Closes the writer's input (unless it already stopped) and returns its report lines.
    function Stop-ResolveWriter($Process) {
        if (-not $Process.HasExited) { $Process.StandardInput.Close() }
        if (-not $Process.WaitForExit(30000)) { $Process.Kill(); throw 'The writer did not stop' }
        $Process.ExitCode | Should -Be 0 -Because $Process.Errors.Result
        @($Process.Output.Result -split "`n" | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
    }

    # Waits until a store (SQLite path or PostgreSQL schema) holds at least this many events.
    function Wait-EventCount([hashtable] $Store, [long] $Count) {
        while ((Get-EventStore @Store -ErrorAction Ignore).EventCount -lt $Count) {
            if ($clock.Elapsed.TotalSeconds -gt 30) { throw "The store did not reach $Count events" }
            Start-Sleep -Milliseconds 50
        }
    }

    # A command of the module in a child pwsh, so that it can be killed; its arguments as a splatted hashtable literal.
    function Start-ModuleProcess([string] $Script) {
        $command = Get-PwshCommand
        Start-TestProcess $command[0] (@($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command',
                "`$ProgressPreference='SilentlyContinue'; `$ErrorActionPreference='Stop'; Import-Module '$ModuleManifest'; $Script"))
    }

    # SQLite files in memory where the OS offers it: reSolve's adapter syncs every statement to disk.
    $script:Work = Join-Path ((Test-Path /dev/shm -PathType Container) ? '/dev/shm' : $TestDrive) "est-mirror-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $Work | Out-Null
    function New-MirrorPath([string] $Name) { Join-Path $Work $Name }

    function Stop-StartedProcesses {
        foreach ($process in $Started) { if (-not $process.HasExited) { $process.Kill() } }
        $Started.Clear()
    }

    function ConvertTo-Arguments([hashtable] $Parameters) {
        ($Parameters.GetEnumerator() | ForEach-Object { "-$($_.Key) '$($_.Value)'" }) -join ' '
    }

    function Get-Sides([string] $Direction) {
        $schema = New-TestSchema
        $path = New-MirrorPath "$schema.db"
        $sqlite = @{ Writer = @('--engine', 'sqlite', '--file', $path); Source = @{ Path = $path }; Destination = @{ DestinationPath = $path } }
        $postgres = @{
            Writer      = @('--engine', 'postgres', '--schema', $schema, '--pg-port', $Server.Port)
            Source      = @{ ConnectionString = $Server.ConnectionString; Schema = $schema }
            Destination = @{ DestinationConnectionString = $Server.ConnectionString; DestinationSchema = $schema }
        }
        if ($Direction -eq 'sqlite->postgres') { @{ From = $sqlite; To = $postgres } } else { @{ From = $postgres; To = $sqlite } }
    }

    # Compare-EventStore takes the reference by -ConnectionString or path, the difference by path: SQLite is the difference.
    function Compare-Sides($Sides) {
        $sqlite, $postgres = if ($Sides.From.Source.Path) { $Sides.From, $Sides.To } else { $Sides.To, $Sides.From }
        $reference = $postgres.Source
        Compare-EventStore @reference -DifferencePath $sqlite.Source.Path -Summary
    }
}

AfterAll {
    Stop-TestPostgres $Server
    if ($Work) { Remove-Item $Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'Sync-EventStore -Follow mirrors a store that reSolve writes to' -Tag 'Mirror', 'Postgres' {
    AfterEach { Stop-StartedProcesses }

    It '<Direction>: identical once the writer stops and the source is frozen (which ends -Follow)' -ForEach @(
        @{ Direction = 'sqlite->postgres' }, @{ Direction = 'postgres->sqlite' }
    ) {
        $sides = Get-Sides $Direction
        $writer = Start-ResolveWriter $sides.From.Writer -Rate 300
        Wait-EventCount $sides.From.Source 50
        $sync = Start-ModuleProcess "Sync-EventStore $(ConvertTo-Arguments $sides.From.Source) $(ConvertTo-Arguments $sides.To.Destination) -Follow -PollInterval 00:00:00.1 -BatchSize 100 | ConvertTo-Json -Compress"
        Start-Sleep -Seconds 2
        $report = Stop-ResolveWriter $writer
        $source = $sides.From.Source
        Set-EventStore @source -Frozen
        $sync.WaitForExit(60000) | Should -BeTrue

        $sync.ExitCode | Should -Be 0 -Because $sync.Errors.Result
        $result = $sync.Output.Result | ConvertFrom-Json
        $result.SourceFrozen | Should -BeTrue
        $saved = $report[-1].saved
        $saved | Should -BeGreaterThan 100
        $result.CopiedCount | Should -Be $saved
        $summary = Compare-Sides $sides
        $summary.Identical | Should -BeTrue
        $summary.ReferenceCount | Should -Be $saved
        $destination = $sides.To.Source
        (Get-EventStore @destination).IsFrozen | Should -BeFalse -Because 'the freeze marker is the source''s, not an event'
    }
}

Describe 'Sync-EventStore killed with kill -9 and run again' -Tag 'Mirror', 'Postgres' {
    AfterEach { Stop-StartedProcesses }

    # 10 kills into SQLite (a hot journal each time), 4 into PostgreSQL (an aborted transaction), to keep the time modest.
    It '<Direction>: <Kills> kills at random moments while reSolve writes, then a rerun: identical, nothing lost or duplicated' -ForEach @(
        @{ Direction = 'postgres->sqlite'; Kills = 10 }, @{ Direction = 'sqlite->postgres'; Kills = 4 }
    ) {
        $sides = Get-Sides $Direction
        $writer = Start-ResolveWriter $sides.From.Writer -Rate 300
        Wait-EventCount $sides.From.Source 20
        $random = [System.Random]::new(16)
        $arguments = "$(ConvertTo-Arguments $sides.From.Source) $(ConvertTo-Arguments $sides.To.Destination) -Follow -PollInterval 00:00:00.05 -BatchSize 7"
        $destination = $sides.To.Source
        for ($kill = 0; $kill -lt $Kills; $kill++) {
            $before = (Get-EventStore @destination -ErrorAction Ignore).EventCount
            $sync = Start-ModuleProcess "Sync-EventStore $arguments"
            # Once this run has committed a batch, the kill lands at a random moment of its copying.
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while ((Get-EventStore @destination -ErrorAction Ignore).EventCount -le $before) {
                if ($sync.HasExited -or $clock.Elapsed.TotalSeconds -gt 30) { throw "The follower did not copy: $($sync.HasExited ? $sync.Errors.Result : 'still running')" }
                Start-Sleep -Milliseconds 10
            }
            Start-Sleep -Milliseconds $random.Next(0, 300)
            if ($sync.HasExited) { throw "The follower ended before it was killed: $($sync.Errors.Result)" }
            $sync.Kill()
            $sync.WaitForExit()
        }
        $report = Stop-ResolveWriter $writer
        $saved = $report[-1].saved
        $source = $sides.From.Source
        $destinationParameters = $sides.To.Destination
        $result = Sync-EventStore @source @destinationParameters
        $result.PreviousCount + $result.CopiedCount | Should -Be $saved
        $summary = Compare-Sides $sides
        $summary.Identical | Should -BeTrue
        $summary.ReferenceCount | Should -Be $saved
        $summary.DifferenceCount | Should -Be $saved
    }
}

Describe 'Sync-EventStore -Cutover' -Tag 'Mirror', 'Postgres' {
    AfterEach { Stop-StartedProcesses }

    It 'freezes a SQLite store that reSolve writes to: the writer gets reSolve''s frozen error, PostgreSQL equals the source, the source stays frozen' {
        $sides = Get-Sides 'sqlite->postgres'
        $writer = Start-ResolveWriter $sides.From.Writer -Rate 300
        Wait-EventCount $sides.From.Source 100
        $source = $sides.From.Source
        $destination = $sides.To.Destination
        $result = Sync-EventStore @source @destination -Cutover -Verify
        $report = Stop-ResolveWriter $writer
        $frozen = @($report | Where-Object { $null -ne $_.message })
        $frozen.Count | Should -Be 1 -Because 'the writer stops at its first frozen error'
        $frozen[0].message | Should -Be 'Event store is frozen'
        $result.Verification.Identical | Should -BeTrue
        $result.Verification.Full | Should -BeTrue
        $result.Verification.SourceEventCount | Should -Be $report[-1].saved
        $result.SourceFrozen | Should -BeTrue
        (Get-EventStore @source).IsFrozen | Should -BeTrue
        (Compare-Sides $sides).Identical | Should -BeTrue
    }

    It 'freezes a PostgreSQL store that reSolve writes to, mirrored into SQLite' {
        $sides = Get-Sides 'postgres->sqlite'
        $writer = Start-ResolveWriter $sides.From.Writer -Rate 300
        Wait-EventCount $sides.From.Source 100
        $source = $sides.From.Source
        $destination = $sides.To.Destination
        $result = Sync-EventStore @source @destination -Cutover
        $report = Stop-ResolveWriter $writer
        @($report | Where-Object { $null -ne $_.message })[0].message | Should -Be 'Event store is frozen'
        $result.Verification.Identical | Should -BeTrue
        $result.Verification.Full | Should -BeFalse
        $result.Verification.DestinationEventCount | Should -Be $report[-1].saved
        (Get-EventStore @source).IsFrozen | Should -BeTrue
        (Compare-Sides $sides).Identical | Should -BeTrue
    }

    It 'unfreezes the source and says so when it is stopped (Ctrl+C) after the freeze' {
        $path = New-MirrorPath 'interrupted.db'
        $copy = New-MirrorPath 'interrupted-copy.db'
        $ndjson = New-MirrorPath 'interrupted.ndjson'
        [System.IO.File]::WriteAllLines($ndjson, [string[]](0..59999 | ForEach-Object {
            '{{"threadCounter":{0},"threadId":{1},"type":"T","timestamp":{2},"aggregateId":"a{1}","aggregateVersion":{3},"payload":{{"n":{2}}}}}' -f [math]::Floor($_ / 256), ($_ % 256), (1000 + $_), ([math]::Floor($_ / 256) + 1)
        }))
        Import-EventStore $path -InFile $ndjson | Out-Null
        $shell = [powershell]::Create()
        try {
            [void]$shell.AddScript("Import-Module '$ModuleManifest'; Sync-EventStore '$path' -DestinationPath '$copy' -Cutover -Verify -BatchSize 20000")
            $running = $shell.BeginInvoke()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            while (-not (Invoke-SqliteQuery $path "SELECT 1 FROM sqlite_master WHERE name = 'events-freeze'")) {
                if ($running.IsCompleted -or $clock.Elapsed.TotalSeconds -gt 60) { throw "The cutover ended without being seen frozen: $($shell.Streams.Error)" }
                Start-Sleep -Milliseconds 5
            }
            $shell.Stop()
            $shell.InvocationStateInfo.State | Should -Be 'Stopped'
            @($shell.Streams.Warning) -join "`n" | Should -Match 'was unfrozen'
        }
        finally { $shell.Dispose() }
        (Get-EventStore $path).IsFrozen | Should -BeFalse
    }
}

Describe 'Sync-EventStore refuses a destination that is not a prefix of the source' -Tag 'Mirror' {
    AfterEach { Stop-StartedProcesses }

    BeforeAll {
        $script:Source = New-MirrorPath 'prefix-source.db'
        @(
            New-TestEvent -Thread 1 -Counter 0 -Timestamp 1000 -Aggregate 'a' -Version 1 -Payload @{ v = 1 }
            New-TestEvent -Thread 1 -Counter 1 -Timestamp 1001 -Aggregate 'a' -Version 2 -Payload @{ v = 2 }
            New-TestEvent -Thread 2 -Counter 0 -Timestamp 1002 -Aggregate 'b' -Version 1 -Payload @{ v = 3 }
        ) | Import-EventStore $Source | Out-Null
    }

    It 'names the first difference (<Case>) and leaves the destination unchanged' -ForEach @(
        @{ Case = 'a changed payload'; Sql = 'UPDATE events SET payload = json(''{"v":99}'') WHERE threadId = 1 AND threadCounter = 1'; Pattern = 'threadId 1, threadCounter 1 differs in Payload' }
        @{ Case = 'an event the source lacks'; Sql = 'INSERT INTO events VALUES (5, 0, 1003, ''c'', 1, ''T'', ''null'')'; Pattern = 'destination''s event threadId 5, threadCounter 0 .* is not in the source' }
        @{ Case = 'a gap below the cursor'; Sql = 'DELETE FROM events WHERE threadId = 1 AND threadCounter = 0'; Pattern = 'source''s event threadId 1, threadCounter 0 .* is not in the destination' }
    ) {
        $destination = New-MirrorPath 'prefix-destination.db'
        Remove-Item $destination -ErrorAction Ignore
        Sync-EventStore $Source -DestinationPath $destination | Out-Null
        Invoke-SqliteQuery $destination $Sql | Out-Null
        Invoke-SqliteQuery $Source 'SELECT 1' | Out-Null
        # A later source event that a sync would copy.
        $extended = New-MirrorPath 'prefix-source-extended.db'
        Copy-Item $Source $extended -Force
        New-TestEvent -Thread 3 -Counter 0 -Timestamp 2000 -Aggregate 'd' -Version 1 | Import-EventStore $extended -Append | Out-Null
        $before = Get-StoreRows $destination
        $hash = (Get-FileHash $destination).Hash
        $err = { Sync-EventStore $extended -DestinationPath $destination } | Should -Throw -ErrorId 'SyncEventStoreDestinationDiverged*' -PassThru
        $err.Exception.Message | Should -Match $Pattern
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -BeOfType ([EventStoreTools.Core.EventDifference])
        (Get-FileHash $destination).Hash | Should -Be $hash
        Get-StoreRows $destination | Should -Be $before
    }

    It 'goes on from a destination that is a prefix, copying only what it lacks' {
        $destination = New-MirrorPath 'prefix-good.db'
        Export-EventStore $Source -First 2 | Import-EventStore $destination | Out-Null
        $result = Sync-EventStore $Source -DestinationPath $destination
        $result.PreviousCount | Should -Be 2
        $result.CopiedCount | Should -Be 1
        Get-StoreRows $destination | Should -Be (Get-StoreRows $Source)
    }
}

Describe 'Export-EventStore -Follow' -Tag 'Mirror', 'Postgres' {
    AfterEach { Stop-StartedProcesses }

    It 'on <Engine>: writes every event reSolve appends once, in read order per read, then ends at -Timeout' -ForEach @(
        @{ Engine = 'sqlite' }, @{ Engine = 'postgres' }
    ) {
        $sides = Get-Sides ($Engine -eq 'sqlite' ? 'sqlite->postgres' : 'postgres->sqlite')
        $writer = Start-ResolveWriter $sides.From.Writer -Rate 300 -More @('--seconds', '2')
        Wait-EventCount $sides.From.Source 10
        $source = $sides.From.Source
        $events = @(Export-EventStore @source -Follow -PollInterval 00:00:00.05 -Timeout 00:00:04 -CursorVariable cursor)
        $report = Stop-ResolveWriter $writer
        $saved = $report[-1].saved
        $saved | Should -BeGreaterThan 20
        $events.Count | Should -Be $saved
        @($events | ForEach-Object { "$($_.ThreadId)/$($_.ThreadCounter)" } | Select-Object -Unique).Count | Should -Be $saved
        ConvertTo-StoreDump ($events | Sort-Object ThreadId, ThreadCounter) | Should -Be (ConvertTo-StoreDump (Export-EventStore @source | Sort-Object ThreadId, ThreadCounter))
        $cursor | Should -Be (Get-EventStore @source).LatestCursor.ToString()
    }

    It 'ends once the store is frozen and drained' {
        $path = New-MirrorPath 'follow-frozen.db'
        New-TestEvent | Import-EventStore $path | Out-Null
        Set-EventStore $path -Frozen
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        @(Export-EventStore $path -Follow -Timeout 00:01:00).Count | Should -Be 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
    }
}

Describe 'Import-EventStore -Append -CommitEvery / -CommitInterval' -Tag 'Mirror' {
    AfterEach { Stop-StartedProcesses }

    It 'commits every n events: a failure keeps the batches committed before it' {
        $path = New-MirrorPath 'batches.db'
        $events = 0..24 | ForEach-Object { New-TestEvent -Counter $_ -Timestamp (1000 + $_) -Version ($_ + 1) }
        $events += New-TestEvent -Counter 3 -Timestamp 2000 -Version 99
        { $events | Import-EventStore $path -Append -CommitEvery 10 -ErrorAction Stop } | Should -Throw -ErrorId 'ImportEventStoreDuplicateEvent*'
        (Invoke-SqliteQuery $path 'SELECT count(*) FROM events')[0] | Should -Be 20
        $events[20..24] | Import-EventStore $path -Append -CommitEvery 10 | Select-Object -ExpandProperty ImportedCount | Should -Be 5
    }

    It 'without them the import stays one transaction' {
        $path = New-MirrorPath 'one-transaction.db'
        $events = @(0..24 | ForEach-Object { New-TestEvent -Counter $_ -Timestamp (1000 + $_) -Version ($_ + 1) }) + @(New-TestEvent -Counter 3 -Timestamp 2000 -Version 99)
        { $events | Import-EventStore $path -Append -ErrorAction Stop } | Should -Throw -ErrorId 'ImportEventStoreDuplicateEvent*'
        Test-Path $path | Should -BeFalse
    }

    It 'commits sparse input once the interval has passed, while no more events come' {
        $path = New-MirrorPath 'sparse.db'
        $script:seen = $null
        & {
            New-TestEvent -Counter 0 -Timestamp 1000
            New-TestEvent -Counter 1 -Timestamp 1001 -Version 2
            Start-Sleep -Milliseconds 1500
            $script:seen = (Invoke-SqliteQuery $path 'SELECT count(*) FROM events')[0]
            New-TestEvent -Counter 2 -Timestamp 1002 -Version 3
        } | Import-EventStore $path -Append -CommitInterval 00:00:00.3 | Select-Object -ExpandProperty ImportedCount | Should -Be 3
        $seen | Should -Be 2
        (Invoke-SqliteQuery $path 'SELECT count(*) FROM events')[0] | Should -Be 3
    }

    It 'refuses them without -Append' {
        { New-TestEvent | Import-EventStore (New-MirrorPath 'no-append.db') -CommitEvery 10 -ErrorAction Stop } | Should -Throw -ErrorId 'ImportEventStoreConflictingParameters*'
    }
}

Describe 'The engine-neutral store interfaces' -Tag 'Mirror' {
    It 'are one contract that both engines implement: no member has a default body' {
        foreach ($type in [EventStoreTools.Core.IEventStore], [EventStoreTools.Core.IEventSource], [EventStoreTools.Core.IEventImport]) {
            @($type.GetMethods() | Where-Object { -not $_.IsAbstract } | ForEach-Object { "$($type.Name).$($_.Name)" }) | Should -BeNullOrEmpty
        }
    }
}
