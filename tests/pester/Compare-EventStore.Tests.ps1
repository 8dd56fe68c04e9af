BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Compare-EventStore' {
    It 'finds nothing between a store and its copy' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $copy = New-TestPath 'copy.db'
        Export-EventStore $source | Import-EventStore $copy | Out-Null
        Compare-EventStore $source $copy | Should -BeNullOrEmpty
        $summary = Compare-EventStore $source $copy -Summary
        $summary.Identical | Should -BeTrue
        $summary.EqualCount | Should -Be 600
    }

    It 'reports missing, extra and changed events by (threadId, threadCounter)' {
        $reference = Copy-Fixture 'resolve-lite-600.db'
        $difference = Copy-Fixture 'resolve-lite-600.db' 'difference.db'
        $events = Export-EventStore $reference
        $gone = $events[5]
        $changed = $events[9]
        Invoke-SqliteQuery $difference @"
DELETE FROM events WHERE threadId = $($gone.ThreadId) AND threadCounter = $($gone.ThreadCounter);
UPDATE events SET payload = '{"x":1}', type = 'OTHER' WHERE threadId = $($changed.ThreadId) AND threadCounter = $($changed.ThreadCounter);
INSERT INTO events VALUES (255, 100000, 1, 'extra-aggregate', 1, 'EXTRA', 'null');
"@ | Out-Null
        $differences = Compare-EventStore $reference $difference
        $differences.Count | Should -Be 3
        $differences | Should -BeOfType ([EventStoreTools.Core.EventDifference])
        $missing = $differences | Where-Object Change -eq 'Missing'
        "$($missing.ThreadId):$($missing.ThreadCounter)" | Should -Be "$($gone.ThreadId):$($gone.ThreadCounter)"
        $missing.ReferenceEvent.AggregateId | Should -Be $gone.AggregateId
        $updated = $differences | Where-Object Change -eq 'Changed'
        $updated.ChangedFields | Should -Be @('Type', 'Payload')
        $updated.DifferenceEvent.PayloadJson | Should -Be '{"x":1}'
        ($differences | Where-Object Change -eq 'Extra').DifferenceEvent.AggregateId | Should -Be 'extra-aggregate'

        $summary = Compare-EventStore -ReferencePath $reference -DifferencePath $difference -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount, $summary.EqualCount | Should -Be @(1, 1, 1, 598)
        $summary.Identical | Should -BeFalse
        (Compare-EventStore $reference $difference | Format-Table | Out-String -Width 200) | Should -Match 'Missing'
    }

    It 'fails clearly when a store is missing' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        { Compare-EventStore $source (Join-Path $TestDrive 'missing.db') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompareEventStoreStoreNotFound,EventStoreTools.Cmdlets.CompareEventStoreCommand'
    }
}
