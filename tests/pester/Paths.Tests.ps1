BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Provider conventions for every path parameter: -Path with wildcards, -LiteralPath (PSPath, LP; FullName on the reading cmdlets) bound from
# Get-ChildItem, one target for what is written, FileSystem paths only.
Describe 'Paths' {
    BeforeEach {
        $folder = New-CaseFolder
        Push-Location $folder
        Copy-Item (Join-Path $Fixtures 'resolve-lite-600.db') a.db
        Copy-Item a.db b.db
        Set-ItemProperty a.db, b.db -Name IsReadOnly -Value $false
    }
    AfterEach { Pop-Location }

    It 'reading cmdlets take several paths and wildcards: Get-EventStore ./*.db and a.db, b.db' {
        (Get-EventStore ./*.db).Store | Should -Be @((Join-Path $folder 'a.db'), (Join-Path $folder 'b.db'))
        (Get-EventStore a.db, b.db).EventCount | Should -Be @(600, 600)
        @(Export-EventStore ./*.db).Count | Should -Be 1200
        @(Export-EventStore b.db, a.db -First 1).Count | Should -Be 2
    }

    It 'binds Get-ChildItem''s output to -LiteralPath by PSPath' {
        Copy-Item a.db 'c[1].db'
        (Get-ChildItem -Filter '*.db' | Get-EventStore).Count | Should -Be 3
        (Get-ChildItem -LiteralPath 'c[1].db' | Get-EventStore).Store | Should -Be (Join-Path $folder 'c[1].db')
        @(Get-ChildItem -LiteralPath 'c[1].db' | Export-EventStore).Count | Should -Be 600
        (Get-EventStore -LP 'c[1].db').EventCount | Should -Be 600
        (Get-EventStore -PSPath 'c[1].db').EventCount | Should -Be 600
        # An object with only a FullName (no PSPath) binds there too, taken literally.
        ([pscustomobject]@{ FullName = (Join-Path $folder 'c[1].db') } | Get-EventStore).EventCount | Should -Be 600
        $id = (Get-ChildItem -LiteralPath 'c[1].db' | Start-IncrementalImport).ImportId
        (Undo-IncrementalImport -LiteralPath 'c[1].db' -ImportId $id -PassThru).DroppedCount | Should -Be 0
    }

    It 'a -Path wildcard that matches nothing is a non-terminating StoreNotFound; the next path is read' {
        $info = Get-EventStore ./*.none, a.db -ErrorVariable problems -ErrorAction SilentlyContinue
        $info.EventCount | Should -Be 600
        Assert-ErrorRecord $problems[0] 'Get-EventStore' 'StoreNotFound' 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be './*.none'
    }

    It 'writing cmdlets take one target: a wildcard matching several is AmbiguousPath and nothing is written' {
        $before = Get-FolderSnapshot $folder
        $record = Get-ErrorRecord { @() | Import-EventStore ./*.db -Append }
        Assert-ErrorRecord $record 'Import-EventStore' 'AmbiguousPath' 'InvalidArgument'
        $record.TargetObject | Should -Be './*.db'
        Assert-ErrorRecord (Get-ErrorRecord { Start-IncrementalImport ./*.db }) 'Start-IncrementalImport' 'AmbiguousPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Compare-EventStore ./*.db a.db }) 'Compare-EventStore' 'AmbiguousPath' 'InvalidArgument'
        Get-FolderSnapshot $folder | Should -Be $before
    }

    It 'a reading wildcard that matches one file reads it; a writing one that matches nothing is taken as the name' {
        Export-EventStore a.db -OutFile one.ndjson -First 1
        (@() | Import-EventStore ./a?.db -Append).ImportedCount | Should -Be 0
        Test-Path -LiteralPath './a?.db' | Should -BeTrue
        Import-EventStore 'new`[1`].db' -InFile ./one.ndjson | Out-Null
        Test-Path -LiteralPath 'new[1].db' | Should -BeTrue
        (Import-EventStore -LiteralPath 'lit[2].db' -InFile one.ndjson).ImportedCount | Should -Be 1
        Test-Path -LiteralPath 'lit[2].db' | Should -BeTrue
        Compare-EventStore ./b* a.db -Summary | ForEach-Object Identical | Should -BeTrue
    }

    It 'a writing wildcard that matches another name is refused with WildcardMatchedOtherName by <Command>, and nothing is written' -ForEach @(
        @{ Command = 'Import-EventStore'; Run = { Import-EventStore 'st[1].db' -InFile one.ndjson -Replace -Force } }
        @{ Command = 'Import-EventStore'; Run = { @() | Import-EventStore ./s?1.db -Append } }
        @{ Command = 'New-EventStore'; Run = { New-EventStore 'st[1].db' } }
        @{ Command = 'Start-IncrementalImport'; Run = { Start-IncrementalImport 'st[1].db' } }
        @{ Command = 'Set-EventStore'; Run = { Set-EventStore 'st[1].db' -Frozen } }
    ) {
        Copy-Item a.db st1.db
        Export-EventStore a.db -OutFile one.ndjson -First 1
        New-Item -ItemType Directory bk | Out-Null
        $before = Get-FolderSnapshot $folder
        $record = Get-ErrorRecord $Run
        Assert-ErrorRecord $record $Command 'WildcardMatchedOtherName' 'InvalidArgument'
        $record.Exception.Message | Should -BeLike "*is a wildcard pattern that matches '$folder*', another name*escape its wildcard characters with a backtick*"
        Get-FolderSnapshot $folder | Should -Be $before
        Test-Path -LiteralPath 'st[1].db' | Should -BeFalse
    }

    It 'the name that a refused wildcard names is written with -LiteralPath or backticks, leaving the file it matched' {
        Copy-Item a.db st1.db
        Export-EventStore a.db -OutFile one.ndjson -First 1
        $st1 = (Get-FileHash st1.db).Hash
        (Import-EventStore -LiteralPath 'st[1].db' -InFile one.ndjson).ImportedCount | Should -Be 1
        (Import-EventStore 'st`[2`].db' -InFile one.ndjson).ImportedCount | Should -Be 1
        (Get-EventStore -LiteralPath 'st[1].db', 'st[2].db').EventCount | Should -Be 1, 1
        (Get-FileHash st1.db).Hash | Should -Be $st1
    }

    It '-InFile, -OutFile and -Directory name files, taken as they are (as Invoke-WebRequest''s -InFile and -OutFile): a name with wildcard characters is that name' {
        Export-EventStore a.db -OutFile 'o[n]e.ndjson' -First 2
        Test-Path -LiteralPath 'o[n]e.ndjson' | Should -BeTrue
        Test-Path -LiteralPath 'one.ndjson' | Should -BeFalse
        Export-EventStore a.db -Directory 'b[k]' -First 3
        Test-Path -LiteralPath 'b[k]/events.db' | Should -BeTrue
        (Import-EventStore n1.db -InFile 'o[n]e.ndjson').ImportedCount | Should -Be 2
        (Import-EventStore n2.db -Directory 'b[k]').ImportedCount | Should -Be 3
        # A pattern is a name too: './o*.ndjson' is no file, however many files it would match.
        Assert-ErrorRecord (Get-ErrorRecord { Import-EventStore n3.db -InFile ./o*.ndjson }) 'Import-EventStore' 'InputNotFound' 'ObjectNotFound'
        Test-Path n3.db | Should -BeFalse
    }

    It 'several stores into one -OutFile or -Directory are refused before anything is written' {
        $before = Get-FolderSnapshot $folder
        $record = Get-ErrorRecord { Get-ChildItem a.db, b.db | Export-EventStore -OutFile all.ndjson }
        Assert-ErrorRecord $record 'Export-EventStore' 'SeveralStores' 'InvalidArgument'
        $record.TargetObject | Should -Be @((Join-Path $folder 'a.db'), (Join-Path $folder 'b.db'))
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore a.db, b.db -Directory bk }) 'Export-EventStore' 'SeveralStores' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore ./*.db -OutFile all.ndjson }) 'Export-EventStore' 'SeveralStores' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore a.db, b.db -CursorVariable c }) 'Export-EventStore' 'SeveralStores' 'InvalidArgument'
        Get-FolderSnapshot $folder | Should -Be $before
        Test-Path bk | Should -BeFalse
    }

    It 'refuses paths of other providers with NotAFileSystemPath and writes nothing' -ForEach @(
        @{ Target = 'Env:/X' }, @{ Target = 'Variable:/evil' }
    ) {
        $before = Get-FolderSnapshot $folder
        Assert-ErrorRecord (Get-ErrorRecord { @() | Import-EventStore $Target }) 'Import-EventStore' 'NotAFileSystemPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore a.db -OutFile $Target }) 'Export-EventStore' 'NotAFileSystemPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore a.db -Directory $Target }) 'Export-EventStore' 'NotAFileSystemPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Import-EventStore n.db -InFile $Target }) 'Import-EventStore' 'NotAFileSystemPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Get-EventStore $Target }) 'Get-EventStore' 'NotAFileSystemPath' 'InvalidArgument'
        Get-FolderSnapshot $folder | Should -Be $before
        Test-Path Env:/X | Should -BeFalse
        Test-Path Variable:/evil | Should -BeFalse
    }

    It 'refuses blank names and a NUL in a path with InvalidPath, not a System.ArgumentException' -ForEach @(
        @{ Target = ' ' }, @{ Target = "a`0b.db" }, @{ Target = './ ' }
    ) {
        $before = Get-FolderSnapshot $folder
        Assert-ErrorRecord (Get-ErrorRecord { @() | Import-EventStore $Target }) 'Import-EventStore' 'InvalidPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Export-EventStore a.db -OutFile $Target }) 'Export-EventStore' 'InvalidPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Get-EventStore -LiteralPath $Target }) 'Get-EventStore' 'InvalidPath' 'InvalidArgument'
        Assert-ErrorRecord (Get-ErrorRecord { Start-IncrementalImport $Target }) 'Start-IncrementalImport' 'InvalidPath' 'InvalidArgument'
        Get-FolderSnapshot $folder | Should -Be $before
    }
}
