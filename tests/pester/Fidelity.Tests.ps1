# Payload text is JavaScript's (spec 0.1): every path that writes or prints a payload gives what reSolve would
# store and export. Expected texts are Node's JSON.stringify(JSON.parse(...)) (also checked against Node in the
# xunit JsCanonicalizationTests). Issue 12 items 1-9; issue 11 items 10 (corrupt payload) and 11 (JSON depth).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    function New-EmptyStore([string] $Name) {
        $path = New-TestPath $Name
        @() | Import-EventStore $path | Out-Null
        $path
    }

    # Rows written as another tool (or reSolve's own SQLite) writes them: every value bound as given, no json(),
    # in one transaction. A row is a hashtable of Payload and optionally Version, Thread, Counter, Timestamp, Aggregate, Type.
    function Add-StoredRows([string] $Path, [hashtable[]] $Rows) {
        $connection = (Get-ModuleLibraryType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$Path;Pooling=False")
        try {
            $connection.Open()
            $transaction = $connection.BeginTransaction()
            foreach ($row in $Rows) {
                $command = $connection.CreateCommand()
                $command.CommandText = 'INSERT INTO "events"("threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type", "payload") VALUES ($thread, $counter, $timestamp, $aggregate, $version, $type, $payload)'
                $values = @{ '$thread' = 0; '$counter' = 0; '$timestamp' = 1000; '$aggregate' = 'a'; '$version' = 1; '$type' = 'T' }
                # Keys as the statement names its parameters.
                foreach ($name in $row.Keys) { $values['$' + $name.ToLowerInvariant()] = $row[$name] }
                foreach ($name in $values.Keys) { [void]$command.Parameters.AddWithValue($name, $values[$name]) }
                [void]$command.ExecuteNonQuery()
            }
            $transaction.Commit()
        }
        finally { $connection.Dispose() }
    }

    function Add-StoredRow([string] $Path, $Payload, $Version = 1, [int] $Thread = 0, [long] $Counter = 0, [long] $Timestamp = 1000) {
        Add-StoredRows $Path @{ Payload = $Payload; Version = $Version; Thread = $Thread; Counter = $Counter; Timestamp = $Timestamp }
    }

    # One line of reSolve's export (its key order) for thread 0.
    function Format-ExportLine([long] $Counter, [string] $PayloadText, [string] $Type = 'T', [string] $Aggregate = 'a') {
        '{{"threadCounter":{0},"threadId":0,"type":{1},"timestamp":{2},"aggregateId":{3},"aggregateVersion":{4},"payload":{5}}}' -f @(
            $Counter, [EventStoreTools.Core.Json.JsJson]::QuoteString($Type), (1000 + $Counter), [EventStoreTools.Core.Json.JsJson]::QuoteString($Aggregate), ($Counter + 1), $PayloadText)
    }

    function Write-Lines([string] $Path, [string[]] $Lines) {
        [IO.File]::WriteAllText($Path, (($Lines | ForEach-Object { "$_`n" }) -join ''))
        $Path
    }

    function Get-Payloads([string] $Path) {
        Invoke-SqliteQuery $Path 'SELECT payload FROM events ORDER BY threadId, threadCounter' | ForEach-Object { $_[0] }
    }

    function Get-PendingPayloads([string] $Path) {
        Invoke-SqliteQuery $Path 'SELECT payload FROM "events-incremental-import" ORDER BY rowid' | ForEach-Object { $_[0] }
    }

    function Get-ExportedPayloads([string] $Path) {
        $file = New-TestPath 'payloads.ndjson'
        Export-EventStore $Path -OutFile $file
        Get-Content $file | ForEach-Object { $start = $_.IndexOf('"payload":') + 10; $_.Substring($start, $_.Length - $start - 1) }
    }
}

Describe 'Top-level number payloads (issue 12, item 1)' {
    BeforeAll {
        # Arbitrary doubles (random bits): SQLite's own float parser rounds about one in six of them 1 ulp off.
        $random = [Random]::new(12)
        $doubles = [Collections.Generic.List[double]]::new()
        while ($doubles.Count -lt 300) {
            $value = [BitConverter]::Int64BitsToDouble($random.NextInt64([long]::MinValue, [long]::MaxValue))
            if ([double]::IsFinite($value) -and $value -ne 0) { $doubles.Add($value) }
        }
        $doubles.Add(1.5e300)
        $script:Doubles = $doubles.ToArray()
        $script:Texts = $Doubles | ForEach-Object { [EventStoreTools.Core.Json.JsJson]::FormatNumber($_) }
        $script:NumberExport = Write-Lines (Join-Path $TestDrive 'numbers.ndjson') @(for ($i = 0; $i -lt $Texts.Count; $i++) { Format-ExportLine $i $Texts[$i] })

        function Assert-StoredDoubles([object[]] $Stored) {
            $wrong = for ($i = 0; $i -lt $Doubles.Count; $i++) {
                if ([BitConverter]::DoubleToInt64Bits([double]$Stored[$i]) -ne [BitConverter]::DoubleToInt64Bits($Doubles[$i])) { "$($Texts[$i]) stored as $($Stored[$i].ToString('R'))" }
            }
            $wrong | Should -BeNullOrEmpty
            $Stored.Count | Should -Be $Doubles.Count
        }
    }

    It 'stores the double .NET parses from -InFile and the pipeline, and exports the same text' {
        $fromFile = New-TestPath 'from-file.db'
        Import-EventStore $fromFile -InFile $NumberExport | Out-Null
        Assert-StoredDoubles (Get-Payloads $fromFile)
        $out = New-TestPath 'out.ndjson'
        Export-EventStore $fromFile -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $NumberExport).Hash

        $copy = New-TestPath 'copy.db'
        Export-EventStore $fromFile | Import-EventStore $copy | Out-Null
        Assert-StoredDoubles (Get-Payloads $copy)

        $fromValues = New-TestPath 'values.db'
        $events = for ($i = 0; $i -lt $Doubles.Count; $i++) { New-TestEvent -Counter $i -Version ($i + 1) -Timestamp (1000 + $i) -Payload $Doubles[$i] }
        $events | Import-EventStore $fromValues | Out-Null
        Assert-StoredDoubles (Get-Payloads $fromValues)
    }

    It 'pushes the double .NET parses, so reSolve''s own export of such a store is all duplicates' {
        # The store as reSolve's SQLite writes it: the exact doubles.
        $store = New-EmptyStore 'resolve.db'
        Add-StoredRows $store @(for ($i = 0; $i -lt $Doubles.Count; $i++) { @{ Payload = $Doubles[$i]; Counter = $i; Version = $i + 1; Timestamp = 1000 + $i } })

        $summary = Import-EventStore $store -InFile $NumberExport -Incremental
        $summary.ImportedCount | Should -Be 0
        $summary.SkippedDuplicateCount | Should -Be $Doubles.Count

        $id = (Start-IncrementalImport $store).ImportId
        Get-Content $NumberExport | ConvertFrom-Json -AsHashtable | Add-IncrementalImport $store -ImportId $id
        Assert-StoredDoubles (Get-PendingPayloads $store)
        (Complete-IncrementalImport $store -ImportId $id).SkippedDuplicateCount | Should -Be $Doubles.Count
    }

    It 'stores <Text> as <Kind>, as reSolve''s SQLite does' -ForEach @(
        @{ Text = '42'; Kind = 'integer' }
        @{ Text = '-9007199254740992'; Kind = 'integer' }
        @{ Text = '12345678901234567000'; Kind = 'real' }
        @{ Text = '1e+21'; Kind = 'real' }
        @{ Text = '0.1'; Kind = 'real' }
    ) {
        $store = New-TestPath 'kind.db'
        Import-EventStore $store -InFile (Write-Lines (New-TestPath 'kind.ndjson') (Format-ExportLine 0 $Text)) | Out-Null
        Invoke-SqliteQuery $store 'SELECT typeof(payload) FROM events' | Should -Be $Kind
        Get-ExportedPayloads $store | Should -BeExactly $Text
    }
}

Describe 'Payload text as JavaScript writes it (issue 12, items 2-4)' {
    It 'stores <Given> as <Expected> from -InFile, the pipeline and both incremental paths, and exports it so' -ForEach @(
        @{ Given = '{"b":1,"1":2,"a":3,"a":4}'; Expected = '{"1":2,"b":1,"a":4}' }
        @{ Given = '{"a":{"z":1,"0":2},"0":[{"b":1,"b":2}]}'; Expected = '{"0":[{"b":2}],"a":{"0":2,"z":1}}' }
        @{ Given = '{ "n" : 1.0, "e" : 1E2, "z" : -0, "big" : 18446744073709551615, "s" : "\u00e9\u2028\ud800" }'; Expected = '{"n":1,"e":100,"z":0,"big":18446744073709552000,"s":"é' + [char]0x2028 + '\ud800"}' }
    ) {
        $line = Format-ExportLine 0 $Given
        $fromFile = New-TestPath 'file.db'
        Import-EventStore $fromFile -InFile (Write-Lines (New-TestPath 'in.ndjson') $line) | Out-Null
        Get-Payloads $fromFile | Should -BeExactly $Expected
        Get-ExportedPayloads $fromFile | Should -BeExactly $Expected

        $fromPipeline = New-TestPath 'pipeline.db'
        [pscustomobject]@{ threadId = 0; threadCounter = 0; timestamp = 1; aggregateId = 'a'; aggregateVersion = 1; type = 'T'; payloadJson = $Given } | Import-EventStore $fromPipeline | Out-Null
        Get-Payloads $fromPipeline | Should -BeExactly $Expected

        $incremental = New-EmptyStore 'incremental.db'
        Import-EventStore $incremental -InFile (Write-Lines (New-TestPath 'in.ndjson') $line) -Incremental | Out-Null
        Get-Payloads $incremental | Should -BeExactly $Expected
        $id = (Start-IncrementalImport $incremental).ImportId
        @{ timestamp = 5000; aggregateId = 'b'; type = 'T'; payloadJson = $Given } | Add-IncrementalImport $incremental -ImportId $id
        Get-PendingPayloads $incremental | Should -BeExactly $Expected
    }

    It 'exports and compares stored text that is not canonical (written by another tool) in its canonical form' {
        $store = New-EmptyStore 'foreign.db'
        Add-StoredRow $store -Payload '{"a":1,"10":2,"a":3}' -Counter 0
        Add-StoredRow $store -Payload ' { "x" : [ 1.0 , 1E2 ] } ' -Counter 1 -Version 2
        Add-StoredRow $store -Payload '"\u0041\/"' -Counter 2 -Version 3
        $expected = '{"10":2,"a":3}', '{"x":[1,100]}', '"A/"'
        Get-ExportedPayloads $store | Should -BeExactly $expected
        (Export-EventStore $store).PayloadJson | Should -BeExactly $expected

        $canonical = New-TestPath 'canonical.db'
        Export-EventStore $store | Import-EventStore $canonical | Out-Null
        Get-Payloads $canonical | Should -BeExactly $expected
        $summary = Compare-EventStore $store $canonical -Summary
        $summary.EqualCount | Should -Be 3
        $summary.ChangedCount | Should -Be 0
    }

    It 'writes numbers of PowerShell objects as the double nearest their exact value' {
        $store = New-TestPath 'numbers.db'
        $event = '{"threadId":0,"threadCounter":0,"timestamp":1,"aggregateId":"a","aggregateVersion":1,"type":"T","payload":{"n":12345678901234567000,"m":18446744073709551615}}' | ConvertFrom-Json
        $event | Import-EventStore $store | Out-Null
        $values = [ordered]@{ long = [long]9007199254740993; ulong = [ulong]::MaxValue; decimal = 12345678901234567890.5d; big = [bigint]::Parse('123456789012345678901234567890') }
        New-TestEvent -Counter 1 -Version 2 -Payload $values | Import-EventStore $store -Append | Out-Null
        Get-Payloads $store | Should -BeExactly @(
            '{"n":12345678901234567000,"m":18446744073709552000}'
            '{"long":9007199254740992,"ulong":18446744073709552000,"decimal":12345678901234567000,"big":1.2345678901234568e+29}'
        )
    }

    It 'recognises such an event as the duplicate of reSolve''s stored one in an incremental import' {
        $store = New-EmptyStore 'resolve.db'
        Add-StoredRow $store -Payload '{"n":12345678901234567000,"m":18446744073709552000}' -Timestamp 1
        $line = '{"timestamp":1,"aggregateId":"a","type":"T","payload":{"n":12345678901234567000,"m":18446744073709551615}}'
        $summary = $line | ConvertFrom-Json | Import-EventStore $store -Incremental
        $summary.SkippedDuplicateCount | Should -Be 1
        $summary.ImportedCount | Should -Be 0
    }
}

Describe 'Odd but accepted values (issue 12, items 5 and 6)' {
    It 'accepts "type":"" on every path, as reSolve does' {
        $line = Format-ExportLine 0 '{"a":1}' -Type ''
        $inFile = Write-Lines (New-TestPath 'empty-type.ndjson') $line
        $fromFile = New-TestPath 'file.db'
        (Import-EventStore $fromFile -InFile $inFile).ImportedCount | Should -Be 1
        $out = New-TestPath 'out.ndjson'
        Export-EventStore $fromFile -OutFile $out
        Get-Content $out | Should -BeExactly $line

        $copy = New-TestPath 'copy.db'
        (Export-EventStore $fromFile | Import-EventStore $copy).ImportedCount | Should -Be 1
        (New-TestEvent -Type '' | Import-EventStore (New-TestPath 'hashtable.db')).ImportedCount | Should -Be 1

        $incremental = New-EmptyStore 'incremental.db'
        (Import-EventStore $incremental -InFile $inFile -Incremental).ImportedCount | Should -Be 1
        $id = (Start-IncrementalImport $incremental).ImportId
        @{ timestamp = 5000; aggregateId = 'b'; type = '' } | Add-IncrementalImport $incremental -ImportId $id
        (Complete-IncrementalImport $incremental -ImportId $id).ImportedCount | Should -Be 1
        Invoke-SqliteQuery $incremental "SELECT count(*) FROM events WHERE type = ''" | Should -Be 2
    }

    It 'refuses to export a stored aggregateVersion of 1.5 (reSolve exports 1.5) rather than change it, on <Path>' -ForEach @(
        @{ Path = '-OutFile' }, @{ Path = '-Directory' }, @{ Path = 'the pipeline' }
    ) {
        $store = New-EmptyStore 'real-version.db'
        Add-StoredRow $store -Payload '{}' -Counter 0
        Add-StoredRow $store -Payload '{}' -Counter 1 -Thread 4 -Version 1.5 -Timestamp 2000
        $folder = New-CaseFolder
        $command = switch ($Path) {
            '-OutFile' { { Export-EventStore $store -OutFile (Join-Path $folder 'out.ndjson') } }
            '-Directory' { { Export-EventStore $store -Directory $folder } }
            default { { Export-EventStore $store -ErrorAction Stop | Out-Null } }
        }
        $record = Get-ErrorRecord $command
        Assert-ErrorRecord $record 'Export-EventStore' 'UnsupportedStoredValue' 'InvalidData'
        $record.TargetObject.ThreadId | Should -Be 4
        $record.TargetObject.ThreadCounter | Should -Be 1
        $record.Exception.Message | Should -Match 'threadId 4, threadCounter 1 has aggregateVersion 1\.5'
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }
}

Describe 'A stored payload that is not JSON (issue 12 item 7, issue 11 item 10)' {
    It 'fails with one clear error naming the event on <Path>' -ForEach @(
        @{ Path = '-OutFile' }, @{ Path = '-Directory' }, @{ Path = 'the pipeline' }, @{ Path = 'Compare-EventStore' }
    ) {
        $store = New-EmptyStore 'corrupt.db'
        Add-StoredRow $store -Payload '{"a":1}' -Counter 0
        Add-StoredRow $store -Payload '{"a":' -Thread 3 -Counter 7 -Version 2 -Timestamp 2000
        $folder = New-CaseFolder
        $command, $cmdlet = switch ($Path) {
            '-OutFile' { { Export-EventStore $store -OutFile (Join-Path $folder 'out.ndjson') }, 'Export-EventStore' }
            '-Directory' { { Export-EventStore $store -Directory $folder }, 'Export-EventStore' }
            'the pipeline' { { Export-EventStore $store -ErrorAction Stop | Out-Null }, 'Export-EventStore' }
            default { { Compare-EventStore $store $store -Summary }, 'Compare-EventStore' }
        }
        $record = Get-ErrorRecord $command
        Assert-ErrorRecord $record $cmdlet 'CorruptPayload' 'InvalidData'
        $record.TargetObject.ThreadId | Should -Be 3
        $record.TargetObject.ThreadCounter | Should -Be 7
        $record.Exception.Message | Should -Match 'threadId 3, threadCounter 7'
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'does not let a corrupt stored payload fail the duplicate check of an incremental import' {
        $store = New-EmptyStore 'corrupt.db'
        Add-StoredRow $store -Payload '{"a":' -Timestamp 1000
        $summary = @{ timestamp = 1000; aggregateId = 'a'; type = 'T'; payload = @{ a = 1 } } | Import-EventStore $store -Incremental
        $summary.ImportedCount | Should -Be 1
    }
}

Describe 'Payloads nested deeper than SQLite''s JSON limit (issue 11, item 11)' {
    BeforeAll {
        $script:Deepest = ('[' * 1000) + (']' * 1000)
        $script:TooDeep = ('{"a":' * 1000) + '[]' + ('}' * 1000)
    }

    It 'stores 1000 levels and refuses 1001 on <Path>, leaving the store as it was' -ForEach @(
        @{ Path = '-InFile' }, @{ Path = 'the pipeline' }, @{ Path = '-Incremental -InFile' }, @{ Path = 'Add-IncrementalImport' }
    ) {
        $store = New-EmptyStore 'deep.db'
        $id = if ($Path -eq 'Add-IncrementalImport') { (Start-IncrementalImport $store).ImportId }
        $run = {
            param([string] $Payload, [long] $Counter)
            $line = Format-ExportLine $Counter $Payload
            switch ($Path) {
                '-InFile' { Import-EventStore $store -Append -InFile (Write-Lines (New-TestPath "deep-$Counter.ndjson") $line) -ErrorAction Stop | Out-Null }
                'the pipeline' { $line | ConvertFrom-Json -AsHashtable -Depth 2000 | Import-EventStore $store -Append -ErrorAction Stop | Out-Null }
                '-Incremental -InFile' { Import-EventStore $store -Incremental -InFile (Write-Lines (New-TestPath "deep-$Counter.ndjson") $line) -ErrorAction Stop | Out-Null }
                default { @{ timestamp = 1000 + $Counter; aggregateId = 'a'; type = 'T'; payloadJson = $Payload } | Add-IncrementalImport $store -ImportId $id -ErrorAction Stop }
            }
        }
        & $run $Deepest 0
        $before = (Get-FileHash $store).Hash
        $record = Get-ErrorRecord { & $run $TooDeep 1 }
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.FullyQualifiedErrorId | Should -Match 'InvalidInput'
        $record.Exception.Message | Should -Match 'nested 1001 levels deep; at most 1000'
        (Get-FileHash $store).Hash | Should -Be $before
        Test-Path "$store-journal" | Should -BeFalse
    }
}

Describe 'The README shows only lossless pipelines (issue 12, item 9)' {
    It 'uses ConvertFrom-Json only with -AsHashtable -DateKind String, in the README and the help' {
        $sources = @(Join-Path $RepoRoot 'README.md') + @(Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter '*.md').FullName + @(Get-ChildItem (Join-Path $RepoRoot 'module/help') -Filter '*.help.psd1').FullName
        $uses = foreach ($source in $sources) { Select-String -Path $source -Pattern '\| *ConvertFrom-Json\b.*' }
        $uses | Should -Not -BeNullOrEmpty
        $uses | Where-Object { $_.Line -notmatch 'ConvertFrom-Json -AsHashtable -DateKind String' } | ForEach-Object { "$($_.Filename):$($_.LineNumber): $($_.Line.Trim())" } |
            Should -BeNullOrEmpty
    }

    It 're-imports a store''s own export through that pipeline without importing anything again' {
        $store = New-EmptyStore 'dates.db'
        Add-StoredRow $store -Payload '{"at":"2024-01-01T00:00:00Z","":1,"nested":{"":"","when":"2024-05-06T07:08:09.123+02:00"}}' -Counter 0 -Timestamp 1000
        Add-StoredRow $store -Payload '"2024-01-01T00:00:00Z"' -Counter 1 -Version 2 -Timestamp 2000
        $export = New-TestPath 'export.ndjson'
        Export-EventStore $store -OutFile $export
        $before = Get-StoreRows $store

        $summary = Get-Content $export | ConvertFrom-Json -AsHashtable -DateKind String | Import-EventStore $store -Incremental
        $summary.SkippedDuplicateCount | Should -Be 2
        $summary.ImportedCount | Should -Be 0
        Get-StoreRows $store | Should -Be $before

        $copy = New-TestPath 'copy.db'
        Get-Content $export | ConvertFrom-Json -AsHashtable -DateKind String | Import-EventStore $copy | Out-Null
        (Compare-EventStore $store $copy -Summary).EqualCount | Should -Be 2
    }
}

Describe 'PostgreSQL payload text (issue 12, items 3, 5, 8; issue 11, item 11)' -Tag 'Postgres' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
        $script:Server = Start-TestPostgres
        $script:Pg = $Server.ConnectionString
    }

    AfterAll { Stop-TestPostgres $Server }

    It 'exports array-index keys first, then JSONB''s order, as reSolve''s pg export does' {
        $schema = New-TestSchema
        $line = Format-ExportLine 0 '{"a":1,"10":2,"b":{"zz":1,"y":2,"3":3}}'
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Write-Lines (New-TestPath 'pg.ndjson') $line) | Out-Null
        $out = New-TestPath 'pg-out.ndjson'
        Export-EventStore -ConnectionString $Pg -Schema $schema -OutFile $out
        Get-Content $out | Should -BeExactly (Format-ExportLine 0 '{"10":2,"a":1,"b":{"3":3,"y":2,"zz":1}}')
        (Export-EventStore -ConnectionString $Pg -Schema $schema).PayloadJson | Should -BeExactly '{"10":2,"a":1,"b":{"3":3,"y":2,"zz":1}}'
    }

    It 'fails with the same error naming the event on a stored payload it cannot read, on <Path>' -ForEach @(
        @{ Path = '-OutFile' }, @{ Path = 'the pipeline' }
    ) {
        # JSONB holds only JSON; what it can hold that we cannot read is a payload nested past our 4096 levels.
        $schema = New-TestSchema
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Write-Lines (New-TestPath 'pg.ndjson') (Format-ExportLine 0 '{}')) | Out-Null
        Invoke-PostgresQuery $Pg "INSERT INTO ""$schema"".""events"" VALUES (3, 7, 2000, 'b', 1, 'T', (repeat('[', 5000) || repeat(']', 5000))::jsonb, 100)" | Out-Null
        $folder = New-CaseFolder
        $command = if ($Path -eq '-OutFile') { { Export-EventStore -ConnectionString $Pg -Schema $schema -OutFile (Join-Path $folder 'out.ndjson') } }
        else { { Export-EventStore -ConnectionString $Pg -Schema $schema | Out-Null } }
        $record = Get-ErrorRecord $command
        Assert-ErrorRecord $record 'Export-EventStore' 'CorruptPayload' 'InvalidData'
        $record.TargetObject.ThreadId | Should -Be 3
        $record.TargetObject.ThreadCounter | Should -Be 7
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'measures eventSize on the canonical text: {"k":1,"k":2} counts as {"k":2}' {
        $schema = New-TestSchema
        Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Write-Lines (New-TestPath 'size.ndjson') (Format-ExportLine 0 '{"k":1,"k":2}')) | Out-Null
        # 'a',1,'T','{"k":2}' is 19 bytes, plus reSolve's 66 reserved.
        Invoke-PostgresQuery $Pg "SELECT ""eventSize"" FROM ""$schema"".""events""" | Should -Be 85

        $id = (Start-IncrementalImport -ConnectionString $Pg -Schema $schema).ImportId
        @{ timestamp = 5000; aggregateId = 'a'; type = 'T'; payloadJson = '{"k":1,"k":2}' } | Add-IncrementalImport -ConnectionString $Pg -Schema $schema -ImportId $id
        # 5000,'a','T','{"k":2}' is 22 bytes.
        Invoke-PostgresQuery $Pg "SELECT ""eventSize"" FROM ""$schema"".""events-incremental-import""" | Should -Be 88
    }

    It 'accepts "type":"" and refuses payloads deeper than 1000 levels' {
        $schema = New-TestSchema
        $lines = (Format-ExportLine 0 '{}' -Type ''), (Format-ExportLine 1 (('[' * 1000) + (']' * 1000)))
        (Import-EventStore -ConnectionString $Pg -Schema $schema -InFile (Write-Lines (New-TestPath 'ok.ndjson') $lines)).ImportedCount | Should -Be 2
        $record = Get-ErrorRecord { Import-EventStore -ConnectionString $Pg -Schema $schema -Append -InFile (Write-Lines (New-TestPath 'deep.ndjson') (Format-ExportLine 2 (('[' * 1001) + (']' * 1001)))) }
        Assert-ErrorRecord $record 'Import-EventStore' 'InvalidInput' 'InvalidData'
        $record.Exception.Message | Should -Match 'at most 1000'
        $record = Get-ErrorRecord { @{ timestamp = 9000; aggregateId = 'a'; type = 'T'; payloadJson = ('[' * 1001) + (']' * 1001) } | Import-EventStore -ConnectionString $Pg -Schema $schema -Incremental }
        Assert-ErrorRecord $record 'Import-EventStore' 'InvalidInput' 'InvalidData'
        Invoke-PostgresQuery $Pg "SELECT count(*) FROM ""$schema"".""events""" | Should -Be 2
    }
}
