# Import-EventStore -InFile of a JSON array of events (the body an application's import handler gives reSolve's
# incrementalImport) and of files in other charsets: the same rows as the NDJSON form, on SQLite and PostgreSQL.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Export = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'

    # The events of an NDJSON file as one JSON array, pretty or on one line.
    function ConvertTo-JsonArrayFile([string] $Ndjson, [string] $Path, [switch] $OneLine) {
        $lines = [IO.File]::ReadAllLines($Ndjson, [Text.UTF8Encoding]::new($false))
        $text = if ($OneLine) { '[' + ($lines -join ',') + ']' } else { "[`n  " + ($lines -join ",`n  ") + "`n]`n" }
        [IO.File]::WriteAllText($Path, $text, [Text.UTF8Encoding]::new($false))
        $Path
    }

    # Events whose text every charset below can carry (Latin-1 has no astral characters or euro sign).
    function New-CharsetEvents {
        @(
            '{"threadId":0,"threadCounter":0,"timestamp":1700000000000,"aggregateId":"café-1","aggregateVersion":1,"type":"CRÉÉ","payload":{"nom":"Zoë","ville":"Besançon","note":"½ ÿ «»"}}'
            '{"threadId":1,"threadCounter":0,"timestamp":1700000000001,"aggregateId":"café-1","aggregateVersion":2,"type":"RENOMMÉ","payload":{"nom":"Zoé Ñúñez","liste":[1,"ß",{"k":"Ø"}]}}'
        )
    }
}

Describe 'Import-EventStore -InFile of a JSON array' {
    It 'stores exactly the rows of the NDJSON form (<Form>)' -ForEach @(
        @{ Form = 'pretty, one element a line'; OneLine = $false; Extension = '.json' }
        @{ Form = 'one line'; OneLine = $true; Extension = '.json' }
        @{ Form = 'gzip-compressed'; OneLine = $false; Extension = '.json.gz' }
    ) {
        $array = ConvertTo-JsonArrayFile $Export (New-TestPath 'events.json') -OneLine:$OneLine
        if ($Extension -eq '.json.gz') {
            $compressed = New-TestPath 'events.json.gz'
            $out = [IO.File]::Create($compressed)
            $gzip = [IO.Compression.GZipStream]::new($out, [IO.Compression.CompressionLevel]::Optimal)
            [IO.File]::OpenRead($array).CopyTo($gzip)
            $gzip.Dispose(); $out.Dispose()
            $array = $compressed
        }
        $fromArray = New-TestPath 'from-array.db'
        $fromLines = New-TestPath 'from-lines.db'
        (Import-EventStore $fromArray -InFile $array).ImportedCount | Should -Be 600
        Import-EventStore $fromLines -InFile $Export | Out-Null
        Get-StoreRows $fromArray | Should -Be (Get-StoreRows $fromLines)
        $reexport = New-TestPath 'reexport.ndjson'
        Export-EventStore $fromArray -OutFile $reexport
        (Get-FileHash $reexport).Hash | Should -Be (Get-FileHash $Export).Hash
    }

    It 'imports an array incrementally exactly as the NDJSON form of the same events, and an empty array as nothing' {
        $batchInput = Join-Path $Fixtures 'incremental/dups-and-new.input.ndjson'
        $array = ConvertTo-JsonArrayFile $batchInput (New-TestPath 'batch.json')
        $viaArray = Copy-Fixture 'resolve-lite-600.db' 'inc-array.db'
        $viaLines = Copy-Fixture 'resolve-lite-600.db' 'inc-lines.db'
        # A new event of the array older than the store's newest is skipped with a warning, in both forms alike.
        $fromArray = Import-EventStore $viaArray -InFile $array -Incremental -WarningVariable arrayWarnings -WarningAction SilentlyContinue
        $fromLines = Import-EventStore $viaLines -InFile $batchInput -Incremental -WarningVariable lineWarnings -WarningAction SilentlyContinue
        $fromArray.ImportedCount | Should -Be $fromLines.ImportedCount
        $fromArray.SkippedOlderCount | Should -Be $fromLines.SkippedOlderCount
        @($arrayWarnings).Count | Should -Be @($lineWarnings).Count
        Get-StoreRows $viaArray | Should -Be (Get-StoreRows $viaLines)

        $empty = New-TestPath 'empty.json'
        Set-Content $empty ' [ ] ' -NoNewline
        $before = (Get-FileHash $viaArray).Hash
        (Import-EventStore $viaArray -InFile $empty -Incremental).ImportedCount | Should -Be 0
        (Get-FileHash $viaArray).Hash | Should -Be $before
    }

    It 'refuses a malformed array naming the element''s index and byte offset, and writes nothing' {
        $bad = New-TestPath 'bad.json'
        $first, $second = Get-Content $Export -TotalCount 2
        Set-Content $bad "[$first,`n $second,`n 42]" -NoNewline
        $target = New-TestPath 'never.db'
        { Import-EventStore $target -InFile $bad } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $offset = [Text.Encoding]::UTF8.GetByteCount("[$first,`n $second,`n ")
        $error[0].Exception.Message | Should -BeLike "Array element ``[2``] (at byte $offset): *JSON object*"
        $target | Should -Not -Exist
    }
}

Describe 'Import-EventStore -InFile -Encoding' {
    It 'imports a file in <Name> as the same events as its UTF-8 form' -ForEach @(
        @{ Name = 'latin1'; Encoding = [Text.Encoding]::Latin1; Bom = $false }
        @{ Name = 'windows-1252'; Encoding = $null; Bom = $false }
        @{ Name = 'unicode'; Encoding = [Text.Encoding]::Unicode; Bom = $true }
        @{ Name = 'bigendianunicode'; Encoding = [Text.Encoding]::BigEndianUnicode; Bom = $false }
    ) {
        $events = New-CharsetEvents
        $utf8 = New-TestPath 'utf8.json'
        [IO.File]::WriteAllText($utf8, '[' + ($events -join ',') + ']', [Text.UTF8Encoding]::new($false))
        $encoding = if ($Encoding) { $Encoding } else { [Text.CodePagesEncodingProvider]::Instance.GetEncoding(1252) }
        $other = New-TestPath "$Name.json"
        $bytes = $encoding.GetBytes('[' + ($events -join ',') + ']')
        if ($Bom) { $bytes = $encoding.GetPreamble() + $bytes }
        [IO.File]::WriteAllBytes($other, $bytes)
        $bytes.Length | Should -Not -Be (Get-Item $utf8).Length -Because 'the charsets write the text differently'

        $expected, $actual = (New-TestPath 'expected.db'), (New-TestPath 'actual.db')
        Import-EventStore $expected -InFile $utf8 | Out-Null
        (Import-EventStore $actual -InFile $other -Encoding $Name).ImportedCount | Should -Be 2
        Get-StoreRows $actual | Should -Be (Get-StoreRows $expected)
    }

    It 'reads a UTF-16 file by its byte-order mark without -Encoding' {
        $lines = New-CharsetEvents
        $file = New-TestPath 'bom.ndjson'
        [IO.File]::WriteAllText($file, ($lines -join "`n"), [Text.UnicodeEncoding]::new($false, $true))
        $store = New-TestPath 'bom.db'
        (Import-EventStore $store -InFile $file).ImportedCount | Should -Be 2
        (Export-EventStore $store | Select-Object -First 1).Payload.ville | Should -Be 'Besançon'
    }

    It 'refuses a byte that is not valid in the charset, with its offset, and leaves the store byte for byte' {
        $store = Copy-Fixture 'resolve-lite-600.db' 'kept.db'
        $before = (Get-FileHash $store).Hash
        $text = '[' + ((New-CharsetEvents) -join ',') + ']'
        $bytes = [Text.Encoding]::UTF8.GetBytes($text)
        $at = [Array]::IndexOf($bytes, [byte][char]'Z')
        $bytes[$at] = 0xFF
        $bad = New-TestPath 'bad-utf8.json'
        [IO.File]::WriteAllBytes($bad, $bytes)
        { Import-EventStore $store -InFile $bad -Append } | Should -Throw -ErrorId 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $error[0].Exception.Message | Should -Match "not valid UTF-8 \(at byte $at\).*-Encoding"
        (Get-FileHash $store).Hash | Should -Be $before
    }

    It 'completes the encoding names and refuses an unknown one, naming the accepted names' {
        $completions = (TabExpansion2 'Import-EventStore ./a.db -InFile ./b.json -Encoding big').CompletionMatches.CompletionText
        $completions | Should -Be @('bigendianunicode', 'bigendianutf32')
        { Import-EventStore (New-TestPath 'x.db') -InFile $Export -Encoding klingon } | Should -Throw '*latin1*windows-1252*'
    }
}

Describe 'Import-EventStore -InFile of a JSON array on PostgreSQL' -Tag 'Postgres' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
        $script:Server = Start-TestPostgres
        $script:Pg = $Server.ConnectionString
    }

    AfterAll { Stop-TestPostgres $Server }

    It 'stores exactly the rows of the NDJSON form' {
        $array = ConvertTo-JsonArrayFile $Export (New-TestPath 'pg.json')
        $fromArray, $fromLines = (New-TestSchema), (New-TestSchema)
        Import-EventStore -ConnectionString $Pg -Schema $fromArray -InFile $array | Out-Null
        Import-EventStore -ConnectionString $Pg -Schema $fromLines -InFile $Export | Out-Null
        $rows = foreach ($schema in $fromArray, $fromLines) {
            (Invoke-PostgresQuery $Pg "SELECT ""threadId"", ""threadCounter"", ""timestamp"", ""aggregateId"", ""aggregateVersion"", ""type"", ""eventSize"", ""payload""::text FROM ""$schema"".""events"" ORDER BY 1, 2" | ForEach-Object { $_ -join '|' }) -join "`n"
        }
        $rows[0].Length | Should -BeGreaterThan 1000
        $rows[0] | Should -Be $rows[1]
    }
}
