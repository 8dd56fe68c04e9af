# The bad-input corpus of Import-EventStore: every case names its error (id, category, offending line or event)
# and leaves the target store byte for byte as it was; the accepted oddities import.
BeforeDiscovery {
    $corpus = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../corpus/import-ndjson.cases.psd1')
    $script:RejectedFiles = $corpus.Rejected
    $script:AcceptedFiles = $corpus.Accepted
    $script:RejectedStores = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../corpus/stores.cases.psd1')).Stores | Where-Object { $_.Import }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CorpusFolder = Join-Path $PSScriptRoot '../corpus/import-ndjson'

    function Assert-ImportError($ErrorRecord, [string] $ErrorId, [string] $Category) {
        Assert-ErrorRecord $ErrorRecord 'Import-EventStore' $ErrorId $Category
    }

    function New-CorpusEvent([long] $Number, [string] $Aggregate = "corpus-$Number") {
        New-TestEvent -Thread 200 -Counter (900000 + $Number) -Timestamp (2000000000000 + $Number) -Aggregate $Aggregate -Type 'CORPUS_EVENT' -Payload @{ n = $Number }
    }
}

Describe 'Import-EventStore -InFile rejects the NDJSON corpus case <Name>' -ForEach $RejectedFiles {
    BeforeAll {
        $script:InFile = Join-Path $CorpusFolder "$Name.ndjson"
    }

    It 'names line <Line> with <ErrorId>/<Category> and creates no new store' {
        $folder = New-CaseFolder
        $err = Get-ErrorRecord { Import-EventStore (Join-Path $folder 'new.db') -InFile $InFile -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        $err.TargetObject.LineNumber | Should -Be $Line
        $err.Exception.Message | Should -Match "^Line ${Line}: "
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty
    }

    It 'leaves an existing store byte for byte as it was (-Append)' {
        $target = Copy-Fixture 'resolve-lite-600.db' "$Name.db"
        $before = (Get-FileHash $target).Hash
        $err = Get-ErrorRecord { Import-EventStore $target -InFile $InFile -Append -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        (Get-FileHash $target).Hash | Should -Be $before
        Test-Path "$target-journal" | Should -BeFalse
    }
}

Describe 'Import-EventStore -InFile accepts the NDJSON corpus case <Name>' -ForEach $AcceptedFiles {
    It 'imports <Count> events' {
        $target = New-TestPath "$Name.db"
        (Import-EventStore $target -InFile (Join-Path $CorpusFolder "$Name.ndjson")).ImportedCount | Should -Be $Count
        $events = @(Export-EventStore $target)
        $events.Count | Should -Be $Count
        if ($Count -gt 0) {
            $events[0].AggregateId | Should -BeExactly 'corpus-1'
            $events[0].ThreadId | Should -Be 200
            $events[0].Timestamp | Should -Be 2000000000001
            $events[0].PayloadJson | Should -BeExactly '{"n":1}'
        }
    }
}

Describe 'Import-EventStore accepts long lines' {
    It 'imports a line of over 1 MiB (reSolve stops at 512 KiB) from -InFile and from the pipeline' {
        $text = 'x' * 1.5MB
        $line = '{"threadId":1,"threadCounter":0,"timestamp":1,"aggregateId":"big","aggregateVersion":1,"type":"BIG","payload":{"text":"' + $text + '"}}'
        $file = New-TestPath 'long-line.ndjson'
        [IO.File]::WriteAllText($file, $line + "`n")
        $target = New-TestPath 'long-line.db'
        Import-EventStore $target -InFile $file | Out-Null
        (Export-EventStore $target).Payload.text.Length | Should -Be $text.Length

        $copy = New-TestPath 'long-line-copy.db'
        Export-EventStore $target | Import-EventStore $copy | Out-Null
        Get-StoreRows $copy | Should -Be (Get-StoreRows $target)
    }
}

Describe 'Import-EventStore rejects the pipeline case <Name>' -ForEach @(
    @{ Name = 'a PSCustomObject with the wrong property names'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'Id'; TargetValue = 7
       Bad = { [pscustomobject]@{ Id = 7; Name = 'x'; When = 1 } } }
    @{ Name = 'a missing aggregateVersion'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.Remove('aggregateVersion'); $e } }
    @{ Name = 'a null type'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.type = $null; $e } }
    @{ Name = 'a version that is not a number'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.aggregateVersion = 'two'; $e } }
    @{ Name = 'a fractional timestamp'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.timestamp = 1.5; $e } }
    @{ Name = 'a number as aggregateId'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'threadCounter'; TargetValue = 900002
       Bad = { $e = New-CorpusEvent 2; $e.aggregateId = 5; $e } }
    @{ Name = 'a negative threadId'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.threadId = -1; $e } }
    @{ Name = 'threadId 256'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.threadId = 256; $e } }
    @{ Name = 'a timestamp string from ConvertFrom-Json'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { '{"threadId":200,"threadCounter":900002,"timestamp":"soon","aggregateId":"bad","aggregateVersion":1,"type":"T"}' | ConvertFrom-Json } }
    @{ Name = 'invalid payloadJson'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = 'aggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.Remove('payload'); $e.payloadJson = '{"a":'; $e } }
    @{ Name = 'a duplicate (aggregateId, aggregateVersion)'; ErrorId = 'DuplicateEvent'; Category = 'ResourceExists'; TargetProperty = 'ThreadCounter'; TargetValue = 900002
       Bad = { New-CorpusEvent 2 'corpus-1' } }
    @{ Name = 'a duplicate (threadId, threadCounter)'; ErrorId = 'DuplicateEvent'; Category = 'ResourceExists'; TargetProperty = 'AggregateId'; TargetValue = 'bad'
       Bad = { $e = New-CorpusEvent 2 'bad'; $e.threadCounter = 900001; $e } }
    @{ Name = 'a string'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; TargetProperty = $null; TargetValue = 'not an event'
       Bad = { 'not an event' } }
    @{ Name = 'a null'; ErrorId = 'NullEvent'; Category = 'InvalidData'; TargetProperty = $null; TargetValue = $null
       Bad = { $null } }
) {
    It 'fails with <ErrorId>/<Category>, names the event and leaves the store as it was' {
        $folder = New-CaseFolder
        $err = Get-ErrorRecord { @((New-CorpusEvent 1), (& $Bad), (New-CorpusEvent 3)) | Import-EventStore (Join-Path $folder 'new.db') -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        $target = if ($TargetProperty) { $err.TargetObject.$TargetProperty } else { $err.TargetObject }
        $target | Should -Be $TargetValue
        Get-ChildItem $folder -Force | Should -BeNullOrEmpty

        $existing = Copy-Fixture 'resolve-lite-600.db' 'existing.db'
        $before = (Get-FileHash $existing).Hash
        $err = Get-ErrorRecord { @((New-CorpusEvent 1), (& $Bad), (New-CorpusEvent 3)) | Import-EventStore $existing -Append -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        (Get-FileHash $existing).Hash | Should -Be $before
    }
}

Describe 'Import-EventStore accepts from the pipeline' {
    It 'objects with unknown extra properties, ignoring them' {
        $target = New-TestPath 'extra.db'
        $withExtras = New-CorpusEvent 1
        $withExtras.extra = @{ deep = 1 }
        $fromJson = '{"threadId":200,"threadCounter":900002,"timestamp":2000000000002,"aggregateId":"corpus-2","aggregateVersion":1,"type":"CORPUS_EVENT","payload":{"n":2},"color":"red"}' | ConvertFrom-Json
        ($withExtras, $fromJson | Import-EventStore $target).ImportedCount | Should -Be 2
        (Export-EventStore $target).PayloadJson | Should -Be '{"n":1}', '{"n":2}'
    }

    It 'an empty pipeline: a new store is created with reSolve''s schema and no events' {
        $target = New-TestPath 'empty.db'
        $result = @() | Import-EventStore $target
        $result.ImportedCount | Should -Be 0
        (Invoke-SqliteQuery $target "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").ForEach({ $_[0] }) |
            Should -Be 'events', 'secrets', 'snapshots', 'subscribers'
        @(Export-EventStore $target).Count | Should -Be 0
    }

    It 'an empty pipeline with -Replace -Force: the store is emptied, with a warning' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'empty-replace.db'
        (@() | Import-EventStore $target -Replace -Force -WarningVariable w -WarningAction SilentlyContinue).ImportedCount | Should -Be 0
        "$w" | Should -BeLike 'The input holds no events, so -Replace would leave * empty, dropping its 600 events. -Force empties it.'
        @(Export-EventStore $target).Count | Should -Be 0
    }

    It 'an empty pipeline with -Append: an existing store is left as it was' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'empty-append.db'
        $rows = Get-StoreRows $target
        (@() | Import-EventStore $target -Append).PreviousCount | Should -Be 600
        Get-StoreRows $target | Should -Be $rows
    }
}

Describe 'Import-EventStore rejects the store <Name>' -ForEach $RejectedStores {
    It 'fails with <ErrorId>/<Category> from the pipeline and from -InFile, changing nothing' {
        $folder = New-CaseFolder
        $path, $null = New-CorpusStore $Kind $folder
        $before = Get-FolderSnapshot $folder

        $err = Get-ErrorRecord { New-CorpusEvent 1 | Import-EventStore $path -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        $err.TargetObject | Should -Be $path
        Get-FolderSnapshot $folder | Should -Be $before

        $err = Get-ErrorRecord { Import-EventStore $path -InFile (Join-Path $CorpusFolder 'crlf.ndjson') -Append -ErrorAction Stop }
        Assert-ImportError $err $ErrorId $Category
        Get-FolderSnapshot $folder | Should -Be $before
        Get-ChildItem $folder -Recurse -Force -Directory | Where-Object FullName -ne $path | Should -BeNullOrEmpty
    }
}

Describe 'Import-EventStore rejects the input file <Name>' -ForEach @(
    @{ Name = 'that does not exist'; Make = { param($path) } }
    @{ Name = 'that is a directory'; Make = { param($path) New-Item -ItemType Directory $path | Out-Null } }
) {
    It 'fails with InputNotFound/ObjectNotFound before it creates or opens the store' {
        $folder = New-CaseFolder
        $inFile = Join-Path $folder 'input.ndjson'
        & $Make $inFile
        $err = Get-ErrorRecord { Import-EventStore (Join-Path $folder 'new.db') -InFile $inFile -ErrorAction Stop }
        Assert-ImportError $err 'InputNotFound' 'ObjectNotFound'
        $err.TargetObject | Should -Be $inFile
        Test-Path (Join-Path $folder 'new.db') | Should -BeFalse
    }
}

Describe 'Import-EventStore -Append rejects an event the store already holds' {
    It 'fails with DuplicateEvent and leaves the store as it was' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'dup-existing.db'
        $before = (Get-FileHash $target).Hash
        $stored = Export-EventStore $target | Select-Object -Skip 10 -First 1
        $err = Get-ErrorRecord { $stored | Import-EventStore $target -Append -ErrorAction Stop }
        Assert-ImportError $err 'DuplicateEvent' 'ResourceExists'
        $err.TargetObject.ThreadCounter | Should -Be $stored.ThreadCounter
        (Get-FileHash $target).Hash | Should -Be $before
    }
}
