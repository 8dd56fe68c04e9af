# What an admin can type must not destroy data, on PostgreSQL: foreign tables, names the server would cut, connection
# strings Npgsql refuses, a store on both sides of one pipeline. Against a real server this file starts and stops.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    $script:Server = Start-TestPostgres
    $script:Pg = $Server.ConnectionString
    $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    # The module loads Npgsql on first use; Invoke-PostgresQuery needs it before that.
    try { Get-EventStore -ConnectionString $Pg -Schema 'none' -ErrorAction Stop } catch { }

    # Every cmdlet on the store ($schema, through $connection); $other is a reSolve SQLite store to copy from.
    $script:EveryCommand = [ordered]@{
        'Export-EventStore'                            = { param($schema, $other, $connection = $Pg) Export-EventStore -ConnectionString $connection -Schema $schema }
        'Export-EventStore -OutFile'                   = { param($schema, $other, $connection = $Pg) Export-EventStore -ConnectionString $connection -Schema $schema -OutFile (New-TestPath 'out.ndjson') }
        'Get-EventStore'                               = { param($schema, $other, $connection = $Pg) Get-EventStore -ConnectionString $connection -Schema $schema -ErrorAction Stop }
        'Import-EventStore'                            = { param($schema, $other, $connection = $Pg) Export-EventStore $other | Import-EventStore -ConnectionString $connection -Schema $schema }
        'Import-EventStore -Replace -Force'            = { param($schema, $other, $connection = $Pg) Export-EventStore $other | Import-EventStore -ConnectionString $connection -Schema $schema -Replace -Force }
        'Import-EventStore -InFile -Append'            = { param($schema, $other, $connection = $Pg) Import-EventStore -ConnectionString $connection -Schema $schema -InFile $ReferenceExport -Append }
        'Import-EventStore -InFile -Incremental'       = { param($schema, $other, $connection = $Pg) Import-EventStore -ConnectionString $connection -Schema $schema -InFile $ReferenceExport -Incremental }
        'Start-IncrementalImport'                      = { param($schema, $other, $connection = $Pg) Start-IncrementalImport -ConnectionString $connection -Schema $schema }
        'Add-IncrementalImport'                        = { param($schema, $other, $connection = $Pg) New-TestEvent | Add-IncrementalImport -ConnectionString $connection -Schema $schema -ImportId 'x' }
        'Complete-IncrementalImport'                   = { param($schema, $other, $connection = $Pg) Complete-IncrementalImport -ConnectionString $connection -Schema $schema -ImportId 'x' }
        'Undo-IncrementalImport'                       = { param($schema, $other, $connection = $Pg) Undo-IncrementalImport -ConnectionString $connection -Schema $schema }
    }

    # Every table of a schema with its row count, as one string per table.
    function Get-SchemaContent([string] $Schema) {
        $tables = Invoke-PostgresQuery $Pg "SELECT table_name FROM information_schema.tables WHERE table_schema = '$Schema' ORDER BY 1" | ForEach-Object { $_[0] }
        foreach ($table in $tables) {
            $count = (Invoke-PostgresQuery $Pg "SELECT count(*) FROM ""$Schema"".""$table""")[0]
            "$table $count"
        }
    }

    function Get-SchemaNames { Invoke-PostgresQuery $Pg 'SELECT nspname FROM pg_namespace ORDER BY 1' | ForEach-Object { $_[0] } }
}

AfterAll { Stop-TestPostgres $Server }

Describe 'PostgreSQL schemas whose tables are not reSolve''s' -Tag 'Postgres' {
    It 'every cmdlet refuses <Shape> with NotAnEventStore and leaves its tables and rows' -ForEach @(
        @{ Shape = 'create table shop.events(id serial, name text)'; Sql = 'CREATE TABLE "{0}".events(id serial, name text); INSERT INTO "{0}".events(name) VALUES (''ann'')' }
        @{ Shape = 'reSolve''s events table without events-threads'; Sql = 'CREATE TABLE "{0}"."events"("threadId" BIGINT NOT NULL, "threadCounter" INT8 NOT NULL, "timestamp" BIGINT NOT NULL, "aggregateId" VARCHAR(190) NOT NULL, "aggregateVersion" BIGINT NOT NULL, "type" VARCHAR(190) NOT NULL, "payload" JSONB, "eventSize" BIGINT NOT NULL, PRIMARY KEY("threadId", "threadCounter")); INSERT INTO "{0}".events VALUES (0, 0, 1, ''a'', 1, ''T'', ''{{}}'', 70)' }
        @{ Shape = 'reSolve''s store with another secrets table'; Resolve = $true; Sql = 'DROP TABLE "{0}".secrets; CREATE TABLE "{0}".secrets(name text, value text); INSERT INTO "{0}".secrets VALUES (''api'', ''key'')' }
    ) {
        $other = Copy-Fixture 'resolve-lite-600.db' 'other.db'
        foreach ($entry in $EveryCommand.GetEnumerator()) {
            $schema = "shop$(Get-Random)"
            if ($Resolve) { Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport | Out-Null }
            else { Invoke-PostgresQuery $Pg "CREATE SCHEMA ""$schema""" | Out-Null }
            Invoke-PostgresQuery $Pg ($Sql -f $schema) | Out-Null
            $before = Get-SchemaContent $schema

            $err = Get-ErrorRecord { & $entry.Value $schema $other }
            Assert-ErrorRecord $err ($entry.Key -split ' ')[0] 'NotAnEventStore' 'InvalidType'
            $err.Exception.Message | Should -Match 'not a reSolve event store' -Because $entry.Key
            Get-SchemaContent $schema | Should -Be $before -Because $entry.Key
        }
    }

    It 'accepts a store reSolve''s DDL makes (as our import creates it), also after -Replace' {
        $schema = "ours$(Get-Random)"
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport).ImportedCount | Should -Be 600
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport -Replace -Force).ImportedCount | Should -Be 600
        (Get-EventStore -ConnectionString $Pg -Schema $schema).EventCount | Should -Be 600
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport -Incremental).SkippedDuplicateCount | Should -Be 600
    }
}

Describe 'PostgreSQL schema names the server would change' -Tag 'Postgres' {
    It 'every cmdlet refuses <Name> with InvalidStoreName before it connects, creating nothing' -ForEach @(
        @{ Name = '64 ASCII characters'; Schema = 'a' * 64 }
        @{ Name = '32 two-byte characters (64 bytes)'; Schema = 'ä' * 32 }
        @{ Name = 'a NUL character'; Schema = "a`0b" }
        @{ Name = 'a lone surrogate'; Schema = "a$([char]0xD800)b" }
    ) {
        $other = Copy-Fixture 'resolve-lite-600.db' 'other.db'
        $schemasBefore = Get-SchemaNames
        foreach ($entry in $EveryCommand.GetEnumerator()) {
            $err = Get-ErrorRecord { & $entry.Value $Schema $other }
            Assert-ErrorRecord $err ($entry.Key -split ' ')[0] 'InvalidStoreName' 'InvalidArgument'
            $err.Exception.Message | Should -Match 'schema name' -Because $entry.Key
        }
        Get-SchemaNames | Should -Be $schemasBefore
    }

    It 'keeps a 63-byte name, and a longer name sharing its first 63 bytes cannot replace that store' {
        $kept = 'k' * 61 + 'ä'
        [Text.Encoding]::UTF8.GetByteCount($kept) | Should -Be 63
        (Import-EventStore -ConnectionString $Pg -Schema $kept -InFile $ReferenceExport).ImportedCount | Should -Be 600
        (Get-EventStore -ConnectionString $Pg -Schema $kept).EventCount | Should -Be 600

        $err = Get-ErrorRecord { New-TestEvent | Import-EventStore -ConnectionString $Pg -Schema ($kept + 'x') -Replace -Force }
        Assert-ErrorRecord $err 'Import-EventStore' 'InvalidStoreName' 'InvalidArgument'
        (Get-EventStore -ConnectionString $Pg -Schema $kept).EventCount | Should -Be 600
    }
}

Describe 'PostgreSQL connection strings' -Tag 'Postgres' {
    It 'takes Multiplexing=true (a pooling option the tools turn off) for export, import and incremental import' {
        $schema = "mux$(Get-Random)"
        $multiplexing = "$Pg;Multiplexing=true"
        (Import-EventStore -ConnectionString $multiplexing -Schema $schema -InFile $ReferenceExport).ImportedCount | Should -Be 600
        @(Export-EventStore -ConnectionString $multiplexing -Schema $schema).Count | Should -Be 600
        (Import-EventStore -ConnectionString $multiplexing -Schema $schema -InFile $ReferenceExport -Incremental).SkippedDuplicateCount | Should -Be 600
        (Get-EventStore -ConnectionString $multiplexing -Schema $schema).EventCount | Should -Be 600
    }

    It 'refuses <Option> with InvalidConnectionString/InvalidArgument on every cmdlet' -ForEach @(
        @{ Option = 'Pooling=maybe' }
        @{ Option = 'Port=99999x' }
        @{ Option = 'Command Timeout=-1' }
        @{ Option = 'Read Buffer Size=1' }
        @{ Option = 'Target Session Attributes=read-only' }
        @{ Option = 'Nonsense Key=1' }
    ) {
        $other = Copy-Fixture 'resolve-lite-600.db' 'other.db'
        $schemasBefore = Get-SchemaNames
        $connectionString = "$Pg;$Option"
        foreach ($entry in $EveryCommand.GetEnumerator()) {
            $err = Get-ErrorRecord { & $entry.Value 's' $other $connectionString }
            Assert-ErrorRecord $err ($entry.Key -split ' ')[0] 'InvalidConnectionString' 'InvalidArgument'
        }
        Get-SchemaNames | Should -Be $schemasBefore
    }
}

Describe 'A PostgreSQL store on both sides of one pipeline' -Tag 'Postgres' {
    It 'Export-EventStore | Import-EventStore <Mode> of the same schema fails at once with StoreInUseByPipeline and changes nothing' -ForEach @(
        @{ Mode = '-Replace -Force'; Arguments = @{ Replace = $true; Force = $true } }
        @{ Mode = '-Incremental'; Arguments = @{ Incremental = $true } }
    ) {
        $schema = "self$(Get-Random)"
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile $ReferenceExport | Out-Null
        $before = Get-SchemaContent $schema
        $clock = [Diagnostics.Stopwatch]::StartNew()
        # A -Replace waited forever before: its DROP TABLE waits for the export's transaction, which waits for the import.
        $err = Get-ErrorRecord { Export-EventStore -ConnectionString $Pg -Schema $schema | Import-EventStore -ConnectionString $Pg -Schema $schema @Arguments }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        Assert-ErrorRecord $err 'Export-EventStore' 'StoreInUseByPipeline' 'ResourceBusy'
        Get-SchemaContent $schema | Should -Be $before
    }
}
