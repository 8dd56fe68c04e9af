# What an admin can type must not destroy data: a foreign "events" table is not an event store, and a store on
# both sides of one pipeline fails at once instead of waiting for itself.
BeforeDiscovery {
    # Every cmdlet, reading or writing, on the store at $path; $other is a reSolve store to compare or copy with.
    $EveryCommand = @(
        @{ Call = 'Export-EventStore'; Command = 'Export-EventStore'; Run = { param($path, $other) Export-EventStore $path -ErrorAction Stop } }
        @{ Call = 'Export-EventStore -OutFile'; Command = 'Export-EventStore'; Run = { param($path, $other) Export-EventStore $path -OutFile "$path.ndjson" } }
        @{ Call = 'Export-EventStore -Directory -IncludeSecrets'; Command = 'Export-EventStore'; Run = { param($path, $other) Export-EventStore $path -Directory "$path.backups/daily" -IncludeSecrets } }
        @{ Call = 'Get-EventStore'; Command = 'Get-EventStore'; Run = { param($path, $other) Get-EventStore $path -ErrorAction Stop } }
        @{ Call = 'Compare-EventStore (difference)'; Command = 'Compare-EventStore'; Run = { param($path, $other) Compare-EventStore $other $path } }
        @{ Call = 'Compare-EventStore -Summary (reference)'; Command = 'Compare-EventStore'; Run = { param($path, $other) Compare-EventStore $path $other -Summary } }
        @{ Call = 'Import-EventStore (pipeline)'; Command = 'Import-EventStore'; Run = { param($path, $other) Export-EventStore $other | Import-EventStore $path } }
        @{ Call = 'Import-EventStore -Replace -Force (pipeline)'; Command = 'Import-EventStore'; Run = { param($path, $other) Export-EventStore $other | Import-EventStore $path -Replace -Force } }
        @{ Call = 'Import-EventStore -InFile -Replace -Force'; Command = 'Import-EventStore'; Run = { param($path, $other) Import-EventStore $path -InFile $ReferenceExport -Replace -Force } }
        @{ Call = 'Import-EventStore -InFile -Append'; Command = 'Import-EventStore'; Run = { param($path, $other) Import-EventStore $path -InFile $ReferenceExport -Append } }
        @{ Call = 'Import-EventStore -InFile -Incremental'; Command = 'Import-EventStore'; Run = { param($path, $other) Import-EventStore $path -InFile $ReferenceExport -Incremental } }
        @{ Call = 'Start-IncrementalImport'; Command = 'Start-IncrementalImport'; Run = { param($path, $other) Start-IncrementalImport $path -ErrorAction Stop } }
        @{ Call = 'Undo-IncrementalImport'; Command = 'Undo-IncrementalImport'; Run = { param($path, $other) Undo-IncrementalImport $path } }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    # The module loads Microsoft.Data.Sqlite on first use; Invoke-SqliteQuery needs it before that.
    Get-EventStore (Copy-Fixture 'resolve-lite-600.db' 'load.db') | Out-Null
}

Describe 'A SQLite file whose tables are not reSolve''s' {
    # Foreign tables named as reSolve names its own: rows of another application that must survive every command.
    It '<Call> refuses <Shape> with NotAnEventStore and leaves the file byte for byte' -ForEach @(
        foreach ($shape in @(
            @{ Shape = 'create table events(id integer primary key, name text)'; Sql = 'CREATE TABLE events(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO events(name) VALUES (''ann'')' }
            @{ Shape = 'reSolve''s columns without the unique key'; Sql = 'CREATE TABLE events("threadId" BIGINT NOT NULL, "threadCounter" BIGINT NOT NULL, "timestamp" BIGINT NOT NULL, "aggregateId" VARCHAR(700) NOT NULL, "aggregateVersion" BIGINT NOT NULL, "type" VARCHAR(700) NOT NULL, "payload" JSON NULL, PRIMARY KEY("threadId", "threadCounter")); INSERT INTO events VALUES (0, 0, 1, ''a'', 1, ''T'', ''{}'')' }
            @{ Shape = 'reSolve''s events table with a column more'; Sql = 'CREATE TABLE events("threadId" BIGINT NOT NULL, "threadCounter" BIGINT NOT NULL, "timestamp" BIGINT NOT NULL, "aggregateId" VARCHAR(700) NOT NULL, "aggregateVersion" BIGINT NOT NULL, "type" VARCHAR(700) NOT NULL, "payload" JSON NULL, "owner" TEXT, PRIMARY KEY("threadId", "threadCounter"), UNIQUE("aggregateId", "aggregateVersion")); INSERT INTO events VALUES (0, 0, 1, ''a'', 1, ''T'', ''{}'', ''me'')' }
        )) { foreach ($command in $EveryCommand) { $shape + $command } }
    ) {
        $folder = New-CaseFolder
        $path = Join-Path $folder 'foreign.db'
        Invoke-SqliteQuery $path $Sql | Out-Null
        $other = Copy-Fixture 'resolve-lite-600.db' "$(Split-Path $folder -Leaf)-resolve.db"
        $before = Get-FolderSnapshot $folder

        $err = Get-ErrorRecord { & $Run $path $other }
        Assert-ErrorRecord $err $Command 'NotAnEventStore' 'InvalidType'
        $err.Exception.Message | Should -Match 'not a reSolve event store'
        Get-FolderSnapshot $folder | Should -Be $before
        # Nor a folder: a backup folder the export made (and its parents) goes with the failed export.
        Get-ChildItem $folder -Recurse -Directory | Should -BeNullOrEmpty
    }

    It 'accepts reSolve''s own store, a store our import creates, and reSolve''s schema written in other letter case and spacing' {
        @(Export-EventStore (Copy-Fixture 'resolve-lite-600.db')).Count | Should -Be 600
        $ours = New-TestPath 'ours.db'
        (Import-EventStore $ours -InFile $ReferenceExport).ImportedCount | Should -Be 600
        (Import-EventStore $ours -InFile $ReferenceExport -Replace -Force).ImportedCount | Should -Be 600
        (Get-EventStore $ours).EventCount | Should -Be 600

        $handMade = New-TestPath 'handmade.db'
        Invoke-SqliteQuery $handMade @'
CREATE TABLE events(threadid bigint not null, threadcounter bigint not null, "timestamp" bigint not null,
  aggregateid varchar( 700 ) not null, aggregateversion bigint not null, "type" varchar(700) not null, payload json,
  unique(aggregateversion, aggregateid), primary key(threadcounter, threadid));
CREATE TABLE secrets(idx bigint not null unique, id varchar(700) not null primary key, secret text)
'@ | Out-Null
        (Import-EventStore $handMade -InFile $ReferenceExport).ImportedCount | Should -Be 600
        @(Export-EventStore $handMade).Count | Should -Be 600
    }
}

Describe 'A store on both sides of one pipeline' {
    It 'Export-EventStore | <Command> of the same store fails at once (StoreInUseByPipeline, or the import''s own refusal) and leaves it byte for byte' -ForEach @(
        @{ Command = 'Import-EventStore -Incremental'; Run = { param($source, $target) Export-EventStore $source | Import-EventStore $target -Incremental } }
        @{ Command = 'Import-EventStore -Replace -Force'; Run = { param($source, $target) Export-EventStore $source | Import-EventStore $target -Replace -Force } }
        @{ Command = 'Import-EventStore -Append'; Run = { param($source, $target) Export-EventStore $source | Import-EventStore $target -Append } }
        @{ Command = 'Import-EventStore'; ErrorCommand = 'Import-EventStore'; ErrorId = 'TargetNotEmpty'; Category = 'ResourceExists'; Run = { param($source, $target) Export-EventStore $source | Import-EventStore $target } }
        # Add-IncrementalImport opens its push at the first event (a session piped in names its store only then), so the
        # export has the store first and the push is the one refused.
        @{ Command = 'Add-IncrementalImport'; ErrorCommand = 'Add-IncrementalImport'; ErrorId = 'StoreInUseByPipeline'; Category = 'ResourceBusy'; Prepare = { param($target) Start-IncrementalImport $target }; Run = { param($source, $target, $id) Export-EventStore $source | Add-IncrementalImport $target -ImportId $id } }
        @{ Command = 'Import-EventStore -Replace -Force (through a link)'; Link = $true; Run = { param($source, $target) Export-EventStore $source | Import-EventStore $target -Replace -Force } }
        @{ Command = 'Select-Object -First 1 | Import-EventStore -Append'; Run = { param($source, $target) Export-EventStore $source | Select-Object -First 1 | Import-EventStore $target -Append } }
    ) {
        $folder = New-CaseFolder
        $store = Copy-Fixture 'resolve-lite-600.db' "$(Split-Path $folder -Leaf).db"
        $target = $store
        if ($Link) {
            $target = Join-Path $folder 'link.db'
            New-Item -ItemType SymbolicLink -Path $target -Target $store | Out-Null
        }
        $id = if ($Prepare) { & $Prepare $target }
        $rows = Get-StoreRows $store
        $tables = Invoke-SqliteQuery $store 'SELECT name FROM sqlite_master ORDER BY 1' | ForEach-Object { $_[0] }
        $clock = [Diagnostics.Stopwatch]::StartNew()

        $err = Get-ErrorRecord { & $Run $store $target $id }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        if ($ErrorId) { Assert-ErrorRecord $err $ErrorCommand $ErrorId $Category }
        else {
            Assert-ErrorRecord $err 'Export-EventStore' 'StoreInUseByPipeline' 'ResourceBusy'
            $err.Exception.Message | Should -Match 'both sides of one pipeline'
        }
        Get-StoreRows $store | Should -Be $rows
        Invoke-SqliteQuery $store 'SELECT name FROM sqlite_master ORDER BY 1' | ForEach-Object { $_[0] } | Should -Be $tables
        Get-IntegrityCheck $store | Should -Be 'ok'

        # Nothing stays claimed: the same store is exported and imported into again at once.
        $copy = New-TestPath "$(Split-Path $folder -Leaf)-copy.db"
        (Export-EventStore $store | Import-EventStore $copy).ImportedCount | Should -Be 600
        if ($id) { Undo-IncrementalImport $store -ImportId $id }
        (Import-EventStore $store -InFile (Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson') -Append).ImportedCount | Should -Be 3
    }

    # Nothing but a deadlock could end these waits: before, each sat out the 60 s lock wait (Start-IncrementalImport,
    # the -InFile import) or read what the import had not yet written.
    It '<Command> inside the pipeline of an import into the same store fails at once with StoreInUseByPipeline' -ForEach @(
        @{ Command = 'Start-IncrementalImport'; Run = { param($store) Start-IncrementalImport $store } }
        @{ Command = 'Import-EventStore'; Run = { param($store) Import-EventStore $store -InFile (Join-Path $PSScriptRoot '../corpus/import-ndjson/crlf.ndjson') -Append } }
        @{ Command = 'Export-EventStore'; Run = { param($store) Export-EventStore $store -OutFile "$store.ndjson" } }
        @{ Command = 'Get-EventStore'; Run = { param($store) Get-EventStore $store -ErrorAction Stop } }
    ) {
        $store = Copy-Fixture 'resolve-lite-600.db' "nested-$($Command).db"
        $rows = Get-StoreRows $store
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = Get-ErrorRecord { New-TestEvent -Thread 9 -Counter 5000 -Aggregate 'nested' | ForEach-Object { & $Run $store; $_ } | Import-EventStore $store -Append }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        Assert-ErrorRecord $err $Command 'StoreInUseByPipeline' 'ResourceBusy'
        Get-StoreRows $store | Should -Be $rows
    }

    It 'lets one pipeline export a store twice, and copy it to another store' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'twice.db'
        @(Export-EventStore $store | ForEach-Object { Export-EventStore $store -First 1 }).Count | Should -Be 600
        (Export-EventStore $store | Import-EventStore (New-TestPath 'twice-copy.db')).ImportedCount | Should -Be 600
    }
}
