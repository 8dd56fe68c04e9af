BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The verbose lines a command writes, as text (the stream merged into the output, other objects dropped).
    function Get-VerboseLine([scriptblock] $Command) {
        & $Command 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -notlike 'Performing the operation*' } |
            ForEach-Object Message
    }
}

# -Verbose tells each step with counts and times; the core tells it through EventStoreLog, also from the worker
# thread that reads ahead, and the cmdlet writes it on its own thread.
Describe '-Verbose and -Debug' {
    It 'Export-EventStore -OutFile tells the store opened, the events read and written and the rename' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'verbose.ndjson'
        $lines = Get-VerboseLine { Export-EventStore $store -OutFile $out -Verbose }
        # Opened twice: for the events, then for the secrets the manifest counts.
        $lines | Should -Contain "[$(($lines | Select-String 'Opened' | Select-Object -First 1).Line.Substring(1, 9))] Opened the SQLite store '$store' (read-only)."
        ($lines -match "Read 600 events from '.*resolve-lite-600.db' in \d+\.\d{3} s\.").Count | Should -Be 1
        ($lines -match "Wrote 600 events as NDJSON to").Count | Should -Be 1
        ($lines -match "Renamed '.*\.verbose\.ndjson\.[0-9a-f]{32}\.exporting' to '.*verbose\.ndjson'\.").Count | Should -Be 1
        ($lines -match "Renamed '.*\.verbose\.ndjson\.manifest\.json\.[0-9a-f]{32}\.exporting' to '.*verbose\.ndjson\.manifest\.json'\.").Count | Should -Be 1
        $lines | ForEach-Object { $_ | Should -Match '^\[\d\d:\d\d\.\d{3}\] ' }
    }

    It 'Import-EventStore tells mode, events written, secondary indexes, commit and the rename of the new store' {
        $target = New-TestPath 'verbose.db'
        $lines = Get-VerboseLine { Import-EventStore $target -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') -Verbose }
        ($lines -match 'Created reSolve''s tables').Count | Should -Be 1
        ($lines -match 'Wrote 1,000 events and 0 secrets').Count | Should -Be 1
        ($lines -match 'Built the secondary indexes in \d+\.\d{3} s').Count | Should -Be 1
        ($lines -match 'Committed in \d+\.\d{3} s').Count | Should -Be 1
        ($lines -match "Renamed '.*\.verbose\.db\.[0-9a-f]{32}\.importing' to '.*verbose\.db'").Count | Should -Be 1
        $replace = Get-VerboseLine { Import-EventStore $target -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') -Replace -Force -Verbose }
        ($replace -match 'Replacing: dropping the stored 1,000 events').Count | Should -Be 1
    }

    It 'tells the reads of the worker thread of a pipeline export, and the counts of an incremental commit' {
        $base = New-IncrementalBaseStore
        # Another store of the same events: a store on both sides of one pipeline is refused (StoreInUseByPipeline).
        $copy = New-IncrementalBaseStore 'copy.db'
        $lines = Get-VerboseLine { Export-EventStore $copy -Verbose | Import-EventStore $base -Incremental -Verbose }
        ($lines -match "Read 1,000 events from '.*copy\.db'").Count | Should -Be 1
        ($lines -match 'Committed the incremental import .*: 1,000 events pushed, 0 events imported, 1,000 duplicates and 0 older events skipped').Count | Should -Be 1
        $id = (Start-IncrementalImport $base).ImportId
        $push = Get-VerboseLine { New-TestEvent -Timestamp 5000000000000 | Add-IncrementalImport $base -ImportId $id -Verbose }
        ($push -match "Pushed 1 event into the incremental import $id of .*base\.db").Count | Should -Be 1
        $commit = Get-VerboseLine { Complete-IncrementalImport $base -ImportId $id -Verbose }
        ($commit -match 'Committed the incremental import .*: 1 event pushed, 1 event imported, 0 duplicates and 0 older events skipped').Count | Should -Be 1
    }

    It 'tells nothing without -Verbose, and the query with -Debug' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Get-VerboseLine { Export-EventStore $store -OutFile (New-TestPath 'quiet.ndjson') } | Should -BeNullOrEmpty
        # $DebugPreference rather than -Debug, which would ask before each line (Inquire).
        $DebugPreference = 'Continue'
        $debug = Export-EventStore $store -EventType 'AGGREGATE_*' -First 1 5>&1 |
            Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message
        ($debug -match 'Query: SELECT .* FROM "events" WHERE .*LIMIT').Count | Should -Be 1
    }
}
