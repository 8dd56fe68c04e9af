# Errors that say the next step (issue 26): a refusal names what to do instead, and a partial restore that selects
# nothing warns instead of succeeding silently.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Store = Copy-Fixture 'resolve-lite-600.db' 'source.db'
    $script:Export = New-TestPath 'source.ndjson'
    Export-EventStore $Store -OutFile $Export
}

Describe 'A refusal says what to do instead' {
    It 'a duplicate event under -Append says to use -Incremental to skip the events the store holds' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'append-twice.db'
        $before = (Get-FileHash $target).Hash
        $record = Get-ErrorRecord { Import-EventStore $target -InFile $Export -Append }
        Assert-ErrorRecord $record 'Import-EventStore' 'DuplicateEvent' 'ResourceExists'
        $record.Exception.Message | Should -Match 'in the store or earlier in the input'
        $record.Exception.Message | Should -Match 'use -Incremental instead of -Append'
        (Get-FileHash $target).Hash | Should -Be $before
        # The advice is for -Append: a duplicate within the input of a new store does not get it.
        $record = Get-ErrorRecord { @((New-TestEvent), (New-TestEvent)) | Import-EventStore (New-TestPath 'twice.db') }
        Assert-ErrorRecord $record 'Import-EventStore' 'DuplicateEvent' 'ResourceExists'
        $record.Exception.Message | Should -Not -Match '-Incremental'
    }

    It '<Name> is refused with <ErrorId>, naming gzip .gz and zstd .zst, instead of being read as text' -ForEach @(
        @{ Name = 'lz4 data'; FileName = 'export.ndjson'; Bytes = [byte[]](0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7); ErrorId = 'UnsupportedInputFormat'; Category = 'InvalidType'; Step = 'is lz4 data, which this module does not read.*Decompress it first' }
        @{ Name = '7-Zip data'; FileName = 'export.ndjson'; Bytes = [byte[]](0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04); ErrorId = 'UnsupportedInputFormat'; Category = 'InvalidType'; Step = 'is 7-Zip data, which this module does not read.*Decompress it first' }
        @{ Name = 'bzip2 data'; FileName = 'export.ndjson'; Bytes = [System.Text.Encoding]::ASCII.GetBytes('BZh91AY&SY'); ErrorId = 'UnsupportedInputFormat'; Category = 'InvalidType'; Step = 'is bzip2 data, which this module does not read.*Decompress it first' }
        # Brotli and lzma have no magic bytes: the name is all there is to go by.
        @{ Name = 'a file named .br'; FileName = 'export.ndjson.br'; Bytes = [byte[]](0x1b, 0xff, 0x3f, 0x00, 0x61, 0x62); ErrorId = 'UnsupportedCompression'; Category = 'InvalidArgument'; Step = "ends in '.br'.*rename it to \.ndjson" }
        @{ Name = 'a file named .lzma'; FileName = 'export.ndjson.lzma'; Bytes = [byte[]](0x5d, 0x00, 0x00, 0x80, 0x00, 0x61); ErrorId = 'UnsupportedCompression'; Category = 'InvalidArgument'; Step = "ends in '.lzma'.*rename it to \.ndjson" }
    ) {
        $file = Join-Path (New-Item -ItemType Directory (Join-Path $TestDrive "format-$(Get-Random)")) $FileName
        [IO.File]::WriteAllBytes($file, $Bytes)
        $target = New-TestPath "format-$(Get-Random).db"
        $record = Get-ErrorRecord { Import-EventStore $target -InFile $file }
        Assert-ErrorRecord $record 'Import-EventStore' $ErrorId $Category
        $record.Exception.Message | Should -Match 'does not read \(it reads plain NDJSON, gzip \.gz and zstd \.zst\)'
        $record.Exception.Message | Should -Match $Step
        Test-Path $target | Should -BeFalse
    }
}

Describe 'A partial restore that selects nothing warns' {
    It '<Source> with <Named> imports nothing and warns, naming the filters and the events read' -ForEach @(
        @{ Source = '-InFile'; Filter = @{ EventType = 'user_created' }; Named = "-EventType 'user_created'" }
        @{ Source = '-Directory'; Filter = @{ AggregateId = 'nobody'; Since = '2024-01-31T12:00:00.123Z' }; Named = "-AggregateId 'nobody' -Since 2024-01-31T12:00:00.123Z" }
        @{ Source = '-InFile -Incremental'; Filter = @{ Until = 0 }; Named = '-Until 1970-01-01T00:00:00.000Z' }
    ) {
        $target = New-TestPath "nothing-$(Get-Random).db"
        $warnings = $null
        $result = switch ($Source) {
            '-InFile' { Import-EventStore $target -InFile $Export @Filter -WarningVariable warnings -WarningAction SilentlyContinue }
            '-Directory' {
                $backup = Join-Path $TestDrive "backup-$(Get-Random)"
                Export-EventStore $Store -Directory $backup -IncludeSecrets
                Import-EventStore $target -Directory $backup @Filter -WarningVariable warnings -WarningAction SilentlyContinue
            }
            default { Import-EventStore $target -InFile $Export -Incremental @Filter -WarningVariable warnings -WarningAction SilentlyContinue }
        }
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "The filters $Named selected none of the 600 events read: nothing was imported. Check their values*"
        if (Test-Path $target) { Get-EventCount $target | Should -Be 0 }
    }

    It 'a filter that selects some events does not warn' {
        $warnings = $null
        $result = Import-EventStore (New-TestPath 'some.db') -InFile $Export -EventType 'USER_*' -WarningVariable warnings
        $result.ImportedCount | Should -BeGreaterThan 0
        $warnings | Should -BeNullOrEmpty
    }
}

Describe 'Refusals of paths say what to give instead' {
    It '<Case> fails with <ErrorId>, saying <Step>' -ForEach @(
        @{ Case = 'a store in a folder that does not exist'; Command = 'Import-EventStore'; ErrorId = 'StoreNotFound'; Category = 'ObjectNotFound'; Step = 'Create the folder first'
            Run = { Import-EventStore (Join-Path $TestDrive 'no-folder/new.db') -InFile $Export } }
        @{ Case = 'a store that does not exist'; Command = 'Get-EventStore'; ErrorId = 'StoreNotFound'; Category = 'ObjectNotFound'; Step = 'create the store with New-EventStore or Import-EventStore'
            Run = { Get-EventStore -LiteralPath (Join-Path $TestDrive 'absent.db') -ErrorAction Stop } }
        @{ Case = 'an NDJSON export given as a store'; Command = 'Export-EventStore'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Step = 'to read an NDJSON export, use Import-EventStore -InFile'
            Run = { Export-EventStore -LiteralPath $Export -ErrorAction Stop } }
        @{ Case = 'a folder given as a store'; Command = 'Export-EventStore'; ErrorId = 'InvalidStorePath'; Category = 'InvalidArgument'; Step = 'to restore a backup folder, use Import-EventStore -Directory'
            Run = { Export-EventStore -LiteralPath $TestDrive -ErrorAction Stop } }
        @{ Case = 'a folder given as -InFile'; Command = 'Import-EventStore'; ErrorId = 'InputNotFound'; Category = 'ObjectNotFound'; Step = 'use -Directory instead of -InFile'
            Run = { Import-EventStore (Join-Path $TestDrive 'from-folder.db') -InFile $TestDrive } }
        @{ Case = '-NoClobber on a file that exists'; Command = 'Export-EventStore'; ErrorId = 'OutFileExists'; Category = 'ResourceExists'; Step = 'leave out -NoClobber to replace it'
            Run = { Export-EventStore $Store -OutFile $Export -NoClobber } }
        @{ Case = 'a wildcard that matches no store'; Command = 'Export-EventStore'; ErrorId = 'StoreNotFound'; Category = 'ObjectNotFound'; Step = 'a wildcard pattern matches only files that exist'
            Run = { Export-EventStore (Join-Path $TestDrive 'none-*.db') -ErrorAction Stop } }
    ) {
        $record = Get-ErrorRecord $Run
        Assert-ErrorRecord $record $Command $ErrorId $Category
        $record.Exception.Message | Should -Match ([regex]::Escape($Step))
    }
}
