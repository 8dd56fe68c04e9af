BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Every type an exported cmdlet declares with [OutputType], but .NET's own (Start-IncrementalImport's string).
    function Get-ResultType {
        Get-Command -Module EventStoreTools | ForEach-Object OutputType | ForEach-Object Type |
            Where-Object { $_ -and $_.Namespace -like 'EventStoreTools*' } | Sort-Object FullName -Unique
    }

    # Int32 and Int64 properties (nullable too) that are numbers of something other than a count of things.
    $script:NotCounts = 'ThreadId', 'ThreadCounter', 'Timestamp', 'AggregateVersion', 'FirstTimestamp', 'LastTimestamp', 'NewestStoredTimestamp'

    # Real results of every output type, from one sample store, a copy with a reSolve-like event added, and a mirror.
    function New-Results {
        $store = New-TestPath 'results.db'
        New-EventStore $store -SampleEventCount 40 | Out-Null
        $copy = New-TestPath 'results-copy.db'
        $imported = Export-EventStore $store | Import-EventStore $copy
        $added = New-TestEvent -Timestamp 4102444800000 -Aggregate 'f0c5b2a4-3d1e-4b7a-9c2d-5e6f7a8b9c0d' -Type 'SHOPPING_CART_ITEM_ADDED' -Payload @{ sku = 'A-1'; quantity = 2 }
        $incremental = $added | Import-EventStore $copy -Incremental
        $session = Start-IncrementalImport $copy
        $id = $session.ImportId
        $pushed = New-TestEvent -Timestamp 4102444900000 | Add-IncrementalImport $copy -ImportId $id -PassThru
        $undone = Undo-IncrementalImport $copy -ImportId $id -PassThru
        $sent = Invoke-Captured { Export-EventStore $copy | Send-EventStoreEvent 'http://127.0.0.1:9/api/import-events' -WhatIf }
        @{
            'EventStoreTools.Core.ResolveEvent'                              = @(Export-EventStore $copy)
            'EventStoreTools.Cmdlets.EventImportResult'                      = $imported
            'EventStoreTools.Core.Incremental.IncrementalImportSummary'      = $incremental
            'EventStoreTools.Cmdlets.IncrementalImportPushResult'            = $pushed
            'EventStoreTools.Core.Incremental.IncrementalImportUndo'         = $undone
            'EventStoreTools.Core.Incremental.IncrementalImportSession'      = $session
            'EventStoreTools.Core.Comparison.EventStoreComparisonSummary'    = Compare-EventStore $store $copy -Summary
            'EventStoreTools.Core.Comparison.StoreDifference'                = @(Compare-EventStore $store $copy)
            'EventStoreTools.Core.EventStoreDescription'                     = Get-EventStore $copy
            'EventStoreTools.Core.Verification.StoreCheckResult'             = Test-EventStore $copy
            'EventStoreTools.Core.MirrorResult'                              = Sync-EventStore -Path $copy -DestinationPath (New-TestPath 'results-mirror.db')
            'EventStoreTools.Core.Endpoints.EndpointImportResult'            = $sent.Output[0]
        }
    }

    # The labels of a view's columns or list items, as Get-FormatData has them (a column without a label shows its property).
    function Get-ViewLabel($View) {
        if ($View.Control.Headers) {
            for ($i = 0; $i -lt $View.Control.Headers.Count; $i++) {
                $View.Control.Headers[$i].Label ?? $View.Control.Rows[0].Columns[$i].DisplayEntry.Value
            }
        }
        else { $View.Control.Entries[0].Items | Where-Object { -not $_.ItemSelectionCondition } | ForEach-Object { $_.Label ?? $_.DisplayEntry.Value } }
    }

    function Format-View($Objects, $View) {
        $format = if ($View.Control -is [System.Management.Automation.TableControl]) { 'Format-Table' } else { 'Format-List' }
        $Objects | & $format -View $View.Name | Out-String -Width 80
    }
}

Describe 'One family of results (issue 26)' {
    It 'every output type of every exported cmdlet has a view' {
        $types = @(Get-ResultType)
        $types.Count | Should -BeGreaterOrEqual 11
        $withoutView = $types | Where-Object { -not (Get-FormatData -TypeName $_.FullName) } | ForEach-Object FullName
        $withoutView | Should -BeNullOrEmpty
    }

    It 'every count of every output type ends in Count' {
        $misnamed = foreach ($type in Get-ResultType) {
            foreach ($property in $type.GetProperties()) {
                $numberType = [Nullable]::GetUnderlyingType($property.PropertyType) ?? $property.PropertyType
                if ($numberType -in [int], [long] -and $property.Name -notlike '*Count' -and $property.Name -notin $NotCounts) {
                    "$($type.Name).$($property.Name)"
                }
            }
        }
        $misnamed | Should -BeNullOrEmpty
    }

    It 'the names results had before stay readable: an old name reads the value of the new one' {
        $copy = Copy-Fixture 'resolve-lite-600.db'
        $summary = Import-EventStore $copy -InFile (Join-Path $Fixtures 'resolve-lite-600.export.ndjson') -Incremental
        ($summary.Pushed, $summary.Imported, $summary.SkippedDuplicates, $summary.CollapsedRepeats, $summary.SkippedOlder) |
            Should -Be @($summary.PushedCount, $summary.ImportedCount, $summary.SkippedDuplicateCount, $summary.CollapsedRepeatCount, $summary.SkippedOlderCount)
        $summary.SkippedDuplicates | Should -Be 600
        $mirror = Sync-EventStore -Path $copy -DestinationPath (New-TestPath 'old-names.db') -BatchSize 250
        ($mirror.EventsCopied, $mirror.Batches, $mirror.ResumedFrom) | Should -Be @(600, $mirror.BatchCount, 0)
        $mirror.BatchCount | Should -BeGreaterThan 0
        $import = Export-EventStore $copy | Import-EventStore (New-TestPath 'old-mode.db')
        $import.Mode | Should -Be 'Created'
        $import.Path | Should -Be $import.Store
        $import.Path | Should -BeLike '*old-mode.db'
        $import.Action | Should -Be 'Created'
    }

    It 'an import says what it did to its target: Created, Appended, Replaced, or Refused for a -WhatIf it would refuse' {
        $store = New-TestPath 'actions.db'
        (New-TestEvent -Aggregate 'a' | Import-EventStore $store).Action | Should -Be 'Created'
        (New-TestEvent -Counter 1 -Aggregate 'b' | Import-EventStore $store -Append).Action | Should -Be 'Appended'
        (New-TestEvent -Aggregate 'c' | Import-EventStore $store -Replace -Force).Action | Should -Be 'Replaced'
        $run = Invoke-Captured { New-TestEvent -Aggregate 'd' | Import-EventStore $store -WhatIf }
        $run.Output[0].Action | Should -Be 'Refused'
        $run.WhatIf | Should -Contain "What if: Performing the operation `"Refuse: it holds 1 event (use -Append or -Replace); 1 event was read`" on target `"$store`"."
    }

    It 'every view fits 80 columns: no header wraps, no line is longer, and every event type is whole' {
        $results = New-Results
        $types = @(Get-ResultType)
        $types.FullName | Should -Be @($results.Keys | Sort-Object) -Because 'a result is rendered for every output type'
        foreach ($type in $types) {
            foreach ($view in (Get-FormatData -TypeName $type.FullName).FormatViewDefinition) {
                $lines = @((Format-View $results[$type.FullName] $view) -split "`r?`n" | Where-Object { $_.Trim() })
                $lines | Where-Object Length -GT 80 | Should -BeNullOrEmpty -Because "$($view.Name) fits 80 columns"
                $labels = @(Get-ViewLabel $view)
                if ($view.Control -is [System.Management.Automation.TableControl]) {
                    $lines[0] | Should -Match ('^\s*' + (($labels | Select-Object -First ($lines[1] -split '\s+' | Where-Object { $_ }).Count | ForEach-Object { [regex]::Escape($_) }) -join '\s+')) -Because "the header of $($view.Name) is one line"
                }
                else {
                    foreach ($label in $labels) { $lines -match ('^' + [regex]::Escape($label) + '\s*:') | Should -Not -BeNullOrEmpty -Because "$($view.Name) shows $label on one line" }
                }
            }
        }
        $events = (Format-Table -InputObject $results['EventStoreTools.Core.ResolveEvent'] | Out-String -Width 80) -split "`r?`n"
        $events[1] | Should -Match '^\s+Timestamp AggregateId +Ver Type\s*$'
        foreach ($type in 'ACCOUNT_OPENED', 'DEPOSIT_MADE', 'SHOPPING_CART_ITEM_ADDED') {
            $events -match "^\s*\d+ \S+ +\d+ $type(\s|$)" | Should -Not -BeNullOrEmpty -Because "$type is shown whole"
        }
        ($events -match 'f0c5b2a4-3d1e-4b7a-9c2d-5e6f7a8b9c0d +1 SHOPPING_CART_ITEM_ADDED') | Should -Not -BeNullOrEmpty
    }

    It 'the event table gives the payload what is left of a wider console' {
        $store = New-TestPath 'payload.db'
        New-TestEvent -Timestamp 1700000000000 -Aggregate 'f0c5b2a4-3d1e-4b7a-9c2d-5e6f7a8b9c0d' -Type 'SHOPPING_CART_ITEM_ADDED' -Payload @{ sku = 'A-1' } | Import-EventStore $store | Out-Null
        $lines = (Export-EventStore $store | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^\s+Timestamp AggregateId +Ver Type +Payload$'
        $lines[2] | Should -Match '^1700000000000 f0c5b2a4-3d1e-4b7a-9c2d-5e6f7a8b9c0d +1 SHOPPING_CART_ITEM_ADDED +\{"sku":"A-1"\}$'
    }

    It 'Sync-EventStore shows source, destination, counts, elapsed and lag, and not the cursor' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $destination = New-TestPath 'mirror.db'
        $result = Sync-EventStore -Path $source -DestinationPath $destination
        $shown = $result | Out-String -Width 200
        $shown | Should -Match "Source +: $([regex]::Escape($source))"
        $shown | Should -Match "Destination +: $([regex]::Escape($destination))"
        $shown | Should -Match 'CopiedCount +: 600'
        $shown | Should -Match 'Elapsed +: \d+\.\d{3} s'
        $shown | Should -Match 'Lag \(median, max\) +: '
        $shown | Should -Not -Match 'Cursor'
        $result.Cursor.Length | Should -Be 2048
    }
}

Describe 'Singular and plural in messages (issue 26)' {
    It 'a 1-event import says "1 event" in -WhatIf, verbose and its warnings; 2 events say "2 events"' {
        $store = New-TestPath 'one.db'
        $run = Invoke-Captured { New-TestEvent -Timestamp 1700000000000 | Import-EventStore $store -WhatIf }
        $run.WhatIf | Should -Contain "What if: Performing the operation `"Create the store and write 1 event`" on target `"$store`"."
        $run = Invoke-Captured { New-TestEvent -Timestamp 1700000000000 | Import-EventStore $store -Verbose 4>&1 }
        ($run.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -match 'Imported 1 event into .* \(created; 0 events before\)' |
            Should -HaveCount 1
        $run = Invoke-Captured { 1..2 | ForEach-Object { New-TestEvent -Counter $_ -Timestamp (1700000000000 + $_) -Aggregate "b$_" } | Import-EventStore $store -Append -WhatIf }
        $run.WhatIf | Should -Contain "What if: Performing the operation `"Append 2 events to its 1 event`" on target `"$store`"."
        $older = New-TestEvent -Timestamp 1 -Aggregate 'old' | Import-EventStore $store -Incremental -WarningVariable warned
        $older.SkippedOlderCount | Should -Be 1
        $warned[0].Message | Should -Match '^1 event was skipped because it is older than the newest stored event'
    }

    It 'New-EventStore -WhatIf says "1 secret" and "1 aggregate"' {
        $store = New-TestPath 'sample.db'
        $run = Invoke-Captured { New-EventStore $store -SampleEventCount 1 -AggregateCount 1 -SecretCount 1 -WhatIf }
        $run.WhatIf | Should -Match 'with 1 generated event over 1 aggregate and 1 secret"'
    }
}
