BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Export-EventStore filters' {
    BeforeAll {
        $script:Store = Copy-Fixture 'resolve-lite-600.db' 'filters.db'
        $script:All = Export-EventStore $Store
        function script:Keys { process { '{0}:{1}' -f $_.ThreadId, $_.ThreadCounter } }
    }

    It 'filters by exact event types' {
        $types = 'USER_RENAMED', 'ITEM_ADDED'
        Export-EventStore $Store -EventType $types | Keys | Should -Be ($All | Where-Object Type -in $types | Keys)
    }

    It 'filters by event type wildcards, case-sensitively' {
        Export-EventStore $Store -EventType 'ITEM_*' | Keys | Should -Be ($All | Where-Object Type -clike 'ITEM_*' | Keys)
        Export-EventStore $Store -EventType 'item_*' | Should -BeNullOrEmpty
        Export-EventStore $Store -EventType 'ITEM_ADDE?' | Keys | Should -Be ($All | Where-Object Type -ceq 'ITEM_ADDED' | Keys)
    }

    It 'filters by aggregate id' {
        $id = $All[0].AggregateId
        Export-EventStore $Store -AggregateId $id | Keys | Should -Be ($All | Where-Object AggregateId -eq $id | Keys)
        Export-EventStore $Store -AggregateId ($id.Substring(0, 8) + '*') | Keys | Should -Be ($All | Where-Object AggregateId -clike ($id.Substring(0, 8) + '*') | Keys)
    }

    It 'filters by time as DateTime, date string or milliseconds, inclusive' {
        $since = $All[100].Timestamp
        $until = $All[200].Timestamp
        $expected = $All | Where-Object { $_.Timestamp -ge $since -and $_.Timestamp -le $until } | Keys
        Export-EventStore $Store -Since $since -Until $until | Keys | Should -Be $expected
        Export-EventStore $Store -Since $All[100].Time.UtcDateTime -Until $All[200].Time | Keys | Should -Be $expected
        Export-EventStore $Store -Since $All[100].Time.ToString('o') -Until ([datetime]::SpecifyKind($All[200].Time.UtcDateTime, 'Unspecified')) | Keys | Should -Be $expected
    }

    It 'keeps the millisecond of -Since and -Until given as <Form>, on Export and Import' -ForEach @(
        @{ Form = 'milliseconds since epoch'; Time = 1706702400123 }
        @{ Form = 'a string of milliseconds'; Time = '1706702400123' }
        @{ Form = 'an ISO-8601 string in UTC'; Time = '2024-01-31T12:00:00.123Z' }
        @{ Form = 'an ISO-8601 string with an offset'; Time = '2024-01-31T14:00:00.123+02:00' }
        @{ Form = 'an ISO-8601 string without an offset (UTC)'; Time = '2024-01-31T12:00:00.123' }
        @{ Form = 'a UTC DateTime'; Time = [DateTimeOffset]::FromUnixTimeMilliseconds(1706702400123).UtcDateTime }
        @{ Form = 'a DateTime of unspecified kind (UTC)'; Time = [datetime]::SpecifyKind([DateTimeOffset]::FromUnixTimeMilliseconds(1706702400123).UtcDateTime, 'Unspecified') }
        @{ Form = 'a local DateTime'; Time = [DateTimeOffset]::FromUnixTimeMilliseconds(1706702400123).LocalDateTime }
        @{ Form = 'a DateTimeOffset'; Time = [DateTimeOffset]::FromUnixTimeMilliseconds(1706702400123).ToOffset('-05:00') }
    ) {
        $at = 1706702400123
        $store = New-TestPath "ms-$(Get-Random).db"
        @(-1, 0, 1) | ForEach-Object { New-TestEvent -Counter ($_ + 1) -Timestamp ($at + $_) -Aggregate "a$_" -Version 1 } | Import-EventStore $store | Out-Null
        (Export-EventStore $store -Since $Time -Until $Time).Timestamp | Should -Be $at
        (Export-EventStore $store -Since $Time).Timestamp | Should -Be @($at, ($at + 1))
        (Export-EventStore $store -Until $Time).Timestamp | Should -Be @(($at - 1), $at)
        $restored = New-TestPath "ms-restored-$(Get-Random).db"
        $result = Export-EventStore $store | Import-EventStore $restored -Since $Time -Until $Time
        $result.FilteredOutCount | Should -Be 2
        (Export-EventStore $restored).Timestamp | Should -Be $at
    }

    It 'shows -Since and -Until as times in the syntax' {
        foreach ($command in 'Export-EventStore', 'Import-EventStore') {
            (Get-Command $command).Parameters['Since'].ParameterType | Should -Be ([DateTimeOffset])
            (Get-Command $command).Parameters['Until'].ParameterType | Should -Be ([DateTimeOffset])
            (Get-Command $command -Syntax) | Should -Match '-Since <DateTimeOffset>'
        }
    }

    It 'takes the first n events in read order' {
        Export-EventStore $Store -First 7 | Keys | Should -Be ($All | Select-Object -First 7 | Keys)
        Export-EventStore $Store -First 0 | Should -BeNullOrEmpty
    }

    It 'combines filters' {
        $expected = $All | Where-Object { $_.Type -clike 'ITEM_*' -and $_.Timestamp -ge $All[300].Timestamp } | Select-Object -First 5 | Keys
        Export-EventStore $Store -EventType 'ITEM_*' -Since $All[300].Timestamp -First 5 | Keys | Should -Be $expected
    }

    It 'rejects a value that is not a time' {
        { Export-EventStore $Store -Since 'not a date' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,EventStoreTools.Cmdlets.ExportEventStoreCommand'
    }

    It 'completes event types and aggregate ids from the store in -Path' {
        Push-Location $TestDrive
        try {
            $line = 'Export-EventStore -Path ./filters.db -EventType ite'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('ITEM_ADDED', 'ITEM_REMOVED')
            $line = 'Export-EventStore ./filters.db -AggregateId '
            $ids = (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText
            ($ids | Sort-Object) | Should -Be ($All.AggregateId | Sort-Object -Unique)
            # Import-EventStore shares the selection parameters, completed from the store it names.
            $line = 'Import-EventStore ./filters.db -Incremental -EventType ite'
            (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('ITEM_ADDED', 'ITEM_REMOVED')
        }
        finally { Pop-Location }
    }

    It 'completes nothing for a missing store' {
        $line = 'Export-EventStore -Path ./missing.db -EventType '
        (TabExpansion2 $line $line.Length).CompletionMatches | Where-Object ResultType -eq 'ParameterValue' | Should -BeNullOrEmpty
    }

    It 'reports progress with counts and a rate, and nothing when $ProgressPreference is SilentlyContinue' {
        $script = "Export-EventStore '$Store' | ForEach-Object { Start-Sleep -Milliseconds 1 }"
        $records = Get-ProgressRecord $script
        $records.Count | Should -BeGreaterThan 1
        $records[0].StatusDescription | Should -Match '^[\d,.]+ events, [\d,.]+ events/s$'
        $records[-1].RecordType | Should -Be 'Completed'
        Get-ProgressRecord $script -Preference SilentlyContinue | Should -BeNullOrEmpty
    }
}
