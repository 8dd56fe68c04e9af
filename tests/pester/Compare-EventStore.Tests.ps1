BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The reSolve fixture with three secrets: one of them deleted (reSolve keeps it as a row whose secret is NULL).
    function New-StoreWithSecrets([string] $Name = 'secrets.db') {
        $store = Copy-Fixture 'resolve-lite-600.db' $Name
        Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (1, 'user-1', 'value-one'), (2, 'user-2', NULL), (3, 'user-3', 'value-three')" | Out-Null
        $store
    }

    # (aggregateId|aggregateVersion) -> threadId:threadCounter of every event of a store.
    function Get-Numbering([string] $Path) {
        $numbering = @{}
        foreach ($e in Export-EventStore $Path) { $numbering["$($e.AggregateId)|$($e.AggregateVersion)"] = "$($e.ThreadId):$($e.ThreadCounter)" }
        $numbering
    }
}

Describe 'Compare-EventStore' {
    It 'finds nothing between a store and its copy' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $copy = New-TestPath 'copy.db'
        Export-EventStore $source | Import-EventStore $copy | Out-Null
        Compare-EventStore $source $copy | Should -BeNullOrEmpty
        $summary = Compare-EventStore $source $copy -Summary
        $summary.Identical | Should -BeTrue
        $summary.SameEvents | Should -BeTrue
        $summary.EqualCount | Should -Be 600
        $summary.RenumberedCount | Should -Be 0
        $summary.SecretsCompared | Should -BeTrue
    }

    It 'reports missing, extra and changed events by (aggregateId, aggregateVersion)' {
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
        $differences | Should -BeOfType ([EventStoreTools.Core.Comparison.StoreDifference])
        $missing = $differences | Where-Object Change -eq 'Missing'
        "$($missing.AggregateId)|$($missing.AggregateVersion)" | Should -Be "$($gone.AggregateId)|$($gone.AggregateVersion)"
        "$($missing.ThreadId):$($missing.ThreadCounter)" | Should -Be "$($gone.ThreadId):$($gone.ThreadCounter)"
        $updated = $differences | Where-Object Change -eq 'Changed'
        $updated.AggregateId | Should -Be $changed.AggregateId
        $updated.ChangedFields | Should -Be @('Type', 'Payload')
        $updated.DifferenceEvent.PayloadJson | Should -Be '{"x":1}'
        ($differences | Where-Object Change -eq 'Extra').AggregateId | Should -Be 'extra-aggregate'

        $summary = Compare-EventStore -ReferencePath $reference -DifferencePath $difference -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount, $summary.EqualCount, $summary.RenumberedCount | Should -Be @(1, 1, 1, 598, 0)
        $summary.Identical | Should -BeFalse
        (Compare-EventStore $reference $difference | Format-Table | Out-String -Width 200) | Should -Match 'Missing'
    }

    It 'finds a payload changed by one digit as exactly one changed event' {
        $reference = New-TestPath 'generated.db'
        New-GeneratedStore $reference 3000
        $difference = New-TestPath 'one-digit.db'
        Copy-Item $reference $difference
        Invoke-SqliteQuery $difference "UPDATE events SET payload = replace(payload, '""i"":1234,', '""i"":1235,') WHERE aggregateId = 'generated-234' AND aggregateVersion = 2" | Out-Null
        $summary = Compare-EventStore $reference $difference -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount, $summary.RenumberedCount, $summary.EqualCount | Should -Be @(0, 0, 1, 0, 2999)
        $changed = Compare-EventStore $reference $difference
        $changed.Change | Should -Be 'Changed'
        "$($changed.AggregateId)|$($changed.AggregateVersion)|$($changed.ChangedFields)" | Should -Be 'generated-234|2|Payload'
        $changed.DifferenceEvent.Payload.i | Should -Be 1235
    }

    It 'finds an incremental import into a copy of the first half to hold the same events, numbered differently, and not Identical' {
        $source = New-TestPath 'source.db'
        # reSolve's SQLite incremental import puts an event on thread timestamp % 256: here one thread further on.
        New-GeneratedStore $source 2000 -FirstTimestamp 1700000000001
        $copy = New-TestPath 'incremental.db'
        Export-EventStore $source -First 1000 | Import-EventStore $copy | Out-Null
        Export-EventStore $source | Import-EventStore $copy -Incremental | Out-Null

        $sourceNumbering = Get-Numbering $source
        $copyNumbering = Get-Numbering $copy
        $renumbered = @($sourceNumbering.Keys | Where-Object { $sourceNumbering[$_] -ne $copyNumbering[$_] }).Count
        $renumbered | Should -Be 1000 -Because 'the second half is numbered by reSolve''s incremental import'
        $copyNumbering.Count | Should -Be 2000

        $summary = Compare-EventStore $source $copy -Summary
        $summary.MissingCount, $summary.ExtraCount, $summary.ChangedCount | Should -Be @(0, 0, 0)
        $summary.EqualCount | Should -Be 2000
        $summary.RenumberedCount | Should -Be $renumbered
        $summary.SameEvents | Should -BeTrue
        $summary.Identical | Should -BeFalse -Because 'a cursor of one store does not read the same events from the other'
        $differences = Compare-EventStore $source $copy
        @($differences).Count | Should -Be $renumbered
        $differences.Change | Sort-Object -Unique | Should -Be 'Renumbered'
        $first = $differences[0]
        $first.ReferenceEvent.PayloadJson | Should -Be $first.DifferenceEvent.PayloadJson
        "$($first.DifferenceEvent.ThreadId):$($first.DifferenceEvent.ThreadCounter)" | Should -Be $copyNumbering["$($first.AggregateId)|$($first.AggregateVersion)"]
        ($summary | Out-String -Width 200) | Should -Match "\b$renumbered\b"
        $row = "Renumbered +$([regex]::Escape($first.AggregateId)) +$($first.AggregateVersion) $($first.ChangedFields -join ', ') \(" +
            "$($first.ReferenceEvent.ThreadId):$($first.ReferenceEvent.ThreadCounter) -> $($first.DifferenceEvent.ThreadId):$($first.DifferenceEvent.ThreadCounter)\)"
        ($first | Out-String -Width 120) | Should -Match $row
    }

    It 'reports the secrets a restore without them lost, by id only, and finds it not Identical' {
        $store = New-StoreWithSecrets
        $restored = New-TestPath 'restored.db'
        Export-EventStore $store | Import-EventStore $restored | Out-Null

        $summary = Compare-EventStore $store $restored -Summary
        $summary.SameEvents | Should -BeTrue
        $summary.Identical | Should -BeFalse
        $summary.SecretsCompared | Should -BeTrue
        $summary.ReferenceSecretCount, $summary.DifferenceSecretCount | Should -Be @(3, 0)
        $summary.MissingSecretCount, $summary.ExtraSecretCount, $summary.ChangedSecretCount | Should -Be @(3, 0, 0)
        $differences = Compare-EventStore $store $restored
        $differences.Change | Sort-Object -Unique | Should -Be 'SecretMissing'
        $differences.SecretId | Should -Be @('user-1', 'user-2', 'user-3')
        (Compare-EventStore $restored $store).Change | Sort-Object -Unique | Should -Be 'SecretExtra'

        $shown = ($differences | Format-List * | Out-String -Width 300) + ($differences | Format-Table | Out-String -Width 300) + ($summary | Format-List * | Out-String) +
            ($differences | ConvertTo-Json -Depth 5)
        $shown | Should -Match 'user-1'
        $shown | Should -Not -Match 'value-one|value-three' -Because 'secret values never leave the store through Compare-EventStore'
    }

    It 'finds a changed and a deleted secret, and compares a backup folder only on the secrets it can hold' {
        $store = New-StoreWithSecrets
        $folder = Join-Path $TestDrive 'backup'
        Export-EventStore $store -Directory $folder -IncludeSecrets
        (Compare-EventStore $store $folder -Summary).Identical | Should -BeTrue -Because 'reSolve''s secrets file leaves deleted secrets out, so they are not compared with a backup'

        $restored = New-TestPath 'restored.db'
        Import-EventStore $restored -Directory $folder | Out-Null
        $lost = Compare-EventStore $store $restored
        $lost.Change | Should -Be 'SecretMissing'
        $lost.SecretId | Should -Be 'user-2' -Because 'the restore lost the deleted secret''s row'

        $copy = New-StoreWithSecrets 'copy.db'
        Invoke-SqliteQuery $copy "UPDATE secrets SET secret = 'value-edited' WHERE id = 'user-1'; UPDATE secrets SET secret = NULL WHERE id = 'user-3'" | Out-Null
        $changed = Compare-EventStore $store $copy
        $changed | ForEach-Object { "$($_.Change) $($_.SecretId) $($_.ChangedFields)" } | Should -Be @('SecretChanged user-1 Secret', 'SecretChanged user-3 Deleted')
        ($changed | Format-List * | Out-String -Width 300) | Should -Not -Match 'value-'
        (Compare-EventStore $store $copy -Summary).ChangedSecretCount | Should -Be 2
    }

    It 'names a backup''s duplicate secret by its id only' {
        $store = New-StoreWithSecrets
        $folder = Join-Path $TestDrive 'duplicate'
        Export-EventStore $store -Directory $folder -IncludeSecrets
        Add-Content (Join-Path $folder 'secrets.db') '{"secret":"value-again","id":"user-1","idx":9}'
        Remove-Item (Join-Path $folder 'eventstoretools-manifest.json')
        $err = Get-ErrorRecord { Compare-EventStore $store $folder }
        Assert-ErrorRecord $err 'Compare-EventStore' 'DuplicateSecret' 'ResourceExists'
        $err.Exception.Message | Should -Match "'user-1'"
        $shown = ($err | Format-List * -Force | Out-String -Width 300) + ($err.Exception | Format-List * -Force | Out-String -Width 300) + "$($err.TargetObject)" + "$($err.Exception.InnerException)"
        $shown | Should -Not -Match 'value-' -Because 'a secret value never leaves the store through Compare-EventStore, not even in an error'
    }

    It 'leaves secrets uncompared against an NDJSON export, which holds none' {
        $store = New-StoreWithSecrets
        $export = New-TestPath 'export.ndjson'
        Export-EventStore $store -OutFile $export
        $summary = Compare-EventStore $store $export -Summary
        $summary.SecretsCompared | Should -BeFalse
        $summary.Identical | Should -BeTrue
        $summary.ReferenceSecretCount | Should -Be 0
    }

    It 'fails clearly when a store is missing' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        { Compare-EventStore $source (Join-Path $TestDrive 'missing.db') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CompareEventStoreStoreNotFound,EventStoreTools.Cmdlets.CompareEventStoreCommand'
    }
}
