BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# The views of module/EventStoreTools.format.ps1xml, as the built module shows them in a 120-column console.
Describe 'Format views' {
    It 'the event table keeps a 24-character Type whole and gives Payload the rest of 120 columns' {
        $type = 'SHOPPING_CART_ITEM_ADDED'
        $type.Length | Should -Be 24
        $store = New-TestPath 'format.db'
        New-TestEvent -Type $type -Payload @{ street = 'a long street name that goes on and on'; number = 12 } | Import-EventStore $store | Out-Null
        $lines = (Export-EventStore $store | Out-String -Width 120) -split "`n" | Where-Object { $_.Trim() }
        $header = $lines[0]
        $header | Should -Match '^ +Timestamp AggregateId +Ver Type +Payload$'
        $lines[2] | Should -Match ([regex]::Escape($type) + ' \{"')
        $payloadColumn = $header.IndexOf('Payload')
        $lines[2].Length | Should -BeGreaterThan ($payloadColumn + 15) -Because 'Payload gets the columns left of 120'
        $lines[2].Length | Should -BeLessOrEqual 120
    }

    It 'the import result, incremental summary, push and undo results are tables; the comparison summary is a list' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $copy = New-TestPath 'copy.db'
        $import = Export-EventStore $source | Import-EventStore $copy | Out-String -Width 120
        $import | Should -Match 'Action +Imported +Previous +Secrets +Elapsed Store'
        $import | Should -Match 'Created +600 +0 +0 +\d+\.\d{3} s '
        $compare = Compare-EventStore $source $copy -Summary | Out-String -Width 120
        $compare | Should -Match 'Identical +: True'
        $compare | Should -Match 'EqualCount +: 600'
        $compare | Should -Match 'Secrets missing/extra/changed : 0/0/0'
        $id = (Start-IncrementalImport $copy).ImportId
        $push = New-TestEvent -Timestamp 5000000000000 | Add-IncrementalImport $copy -ImportId $id -PassThru | Out-String -Width 120
        $push | Should -Match 'Pushed ImportId +Store'
        $push | Should -Match "1 $([regex]::Escape($id))"
        $undo = Undo-IncrementalImport $copy -ImportId $id -PassThru | Out-String -Width 120
        $undo | Should -Match 'Dropped ImportId +Store'
        $undo | Should -Match "1 $([regex]::Escape($id))"
        $summary = Export-EventStore $source | Import-EventStore $copy -Incremental | Out-String -Width 120
        $summary | Should -Match 'Pushed +Imported +Duplicates +Older +Elapsed Store'
    }

    It 'the 2048-character cursor is only in the list view of a store description' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $table = Get-EventStore $store | Format-Table | Out-String -Width 120
        $table | Should -Match 'Events +Secrets +Last event \(UTC\) +Frozen Import Store'
        $table | Should -Not -Match 'Cursor'
        Get-EventStore $store | Format-List | Out-String -Width 120 | Should -Match 'LatestCursor'
        (Import-EventStore (New-TestPath 'l.db') -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Format-List | Out-String) | Should -Match 'ImportedCount\s*:\s*1000'
    }
}
