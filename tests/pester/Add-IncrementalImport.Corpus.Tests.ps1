# The bad-input corpus of the incremental import: a rejected push (Add-IncrementalImport) or one-shot import
# (Import-EventStore -Incremental) names its error id, category and the offending event, line or store, and leaves
# the store byte for byte as it was; the accepted oddities are pushed as they should be.
BeforeDiscovery {
    $corpus = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../corpus/import-ndjson.cases.psd1')
    $script:RejectedByIncremental = $corpus.Rejected | Where-Object { $_['Incremental'] }
    $script:IgnoredByIncremental = $corpus.Rejected | Where-Object { -not $_['Incremental'] }
    $script:RejectedStores = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../corpus/stores.cases.psd1')).Stores
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CorpusFolder = Join-Path $PSScriptRoot '../corpus/import-ndjson'

    # An event to push, newer than every event of the base store: only the fields an incremental import reads.
    function New-PushEvent([long] $Number, [string] $Aggregate = "pushed-$Number") {
        @{ timestamp = 4102446000000 + $Number; aggregateId = $Aggregate; type = 'PUSHED'; payload = @{ n = $Number } }
    }

    # The incremental fixtures' base store with an open import that holds one pushed event; returns the path and id.
    function New-OpenImportStore([string] $Path = (New-TestPath "open-$([guid]::NewGuid().ToString('N')).db")) {
        Import-EventStore $Path -InFile (Join-Path $Fixtures 'incremental/base.export.ndjson') | Out-Null
        $id = (Start-IncrementalImport $Path).ImportId
        New-PushEvent 0 | Add-IncrementalImport $Path -ImportId $id
        $Path, $id
    }

    # The pushed rows as reSolve's table holds them, in push order.
    function Get-PendingRows([string] $Store) {
        Invoke-SqliteQuery $Store 'SELECT "threadId", "timestamp", "aggregateId", "type", "payload" FROM "events-incremental-import" ORDER BY rowid' |
            ForEach-Object { $_ -join '|' }
    }

    function Get-ErrorTarget($ErrorRecord, [string] $Property) {
        if ($Property) { $ErrorRecord.TargetObject.$Property } else { $ErrorRecord.TargetObject }
    }
}

# Each bad event travels between two good ones; the bad one is the 2nd of the push (timestamp 4102446000002).
Describe 'Add-IncrementalImport rejects the pipeline case <Name>' -ForEach @(
    @{ Name = 'a PSCustomObject with the wrong property names'; ErrorId = 'InvalidInput'; TargetProperty = 'Id'; TargetValue = 7
       Bad = { [pscustomobject]@{ Id = 7; Name = 'x'; When = 4102446000002 } } }
    @{ Name = 'a hashtable with the wrong keys'; ErrorId = 'InvalidInput'; TargetProperty = 'id'; TargetValue = 'pushed-2'
       Bad = { @{ id = 'pushed-2'; kind = 'PUSHED'; at = 4102446000002 } } }
    @{ Name = 'a missing timestamp'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.Remove('timestamp'); $e } }
    @{ Name = 'a null timestamp'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = $null; $e } }
    @{ Name = 'a missing aggregateId'; ErrorId = 'InvalidInput'; TargetProperty = 'timestamp'; TargetValue = 4102446000002
       Bad = { $e = New-PushEvent 2; $e.Remove('aggregateId'); $e } }
    @{ Name = 'a null aggregateId'; ErrorId = 'InvalidInput'; TargetProperty = 'timestamp'; TargetValue = 4102446000002
       Bad = { $e = New-PushEvent 2; $e.aggregateId = $null; $e } }
    @{ Name = 'a missing type'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.Remove('type'); $e } }
    @{ Name = 'a null type'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.type = $null; $e } }
    @{ Name = 'a fractional timestamp'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = 4102446000002.5; $e } }
    @{ Name = 'a negative timestamp'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = -4102446000002; $e } }
    @{ Name = 'a timestamp that is not a number'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = 'soon'; $e } }
    @{ Name = 'a timestamp beyond a 64-bit integer'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = 1e19; $e } }
    @{ Name = 'a boolean timestamp'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.timestamp = $true; $e } }
    @{ Name = 'a number as aggregateId'; ErrorId = 'InvalidInput'; TargetProperty = 'timestamp'; TargetValue = 4102446000002
       Bad = { $e = New-PushEvent 2; $e.aggregateId = 5; $e } }
    @{ Name = 'an object as aggregateId'; ErrorId = 'InvalidInput'; TargetProperty = 'timestamp'; TargetValue = 4102446000002
       Bad = { $e = New-PushEvent 2; $e.aggregateId = @{ id = 'pushed-2' }; $e } }
    @{ Name = 'a number as type'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.type = 5; $e } }
    @{ Name = 'an array as type'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.type = @('PUSHED', 'TWICE'); $e } }
    @{ Name = 'invalid payloadJson'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.Remove('payload'); $e.payloadJson = '{"a":'; $e } }
    @{ Name = 'a payload that contains itself'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.payload.self = $e.payload; $e } }
    @{ Name = 'a payload JSON cannot hold (a script block)'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { $e = New-PushEvent 2; $e.payload = @{ code = { 'not data' } }; $e } }
    @{ Name = 'a timestamp string from ConvertFrom-Json'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { '{"timestamp":"soon","aggregateId":"pushed-2","type":"PUSHED"}' | ConvertFrom-Json } }
    @{ Name = 'a ConvertFrom-Json object without type'; ErrorId = 'InvalidInput'; TargetProperty = 'aggregateId'; TargetValue = 'pushed-2'
       Bad = { '{"timestamp":4102446000002,"aggregateId":"pushed-2","payload":{}}' | ConvertFrom-Json } }
    @{ Name = 'a ConvertFrom-Json -AsHashtable object with a null aggregateId'; ErrorId = 'InvalidInput'; TargetProperty = 'timestamp'; TargetValue = 4102446000002
       Bad = { '{"timestamp":4102446000002,"aggregateId":null,"type":"PUSHED"}' | ConvertFrom-Json -AsHashtable } }
    @{ Name = 'a string'; ErrorId = 'InvalidInput'; TargetProperty = $null; TargetValue = 'not an event'
       Bad = { 'not an event' } }
    @{ Name = 'a number'; ErrorId = 'InvalidInput'; TargetProperty = $null; TargetValue = 4102446000002
       Bad = { 4102446000002 } }
    @{ Name = 'a null'; ErrorId = 'NullEvent'; TargetProperty = $null; TargetValue = $null
       Bad = { $null } }
) {
    It 'fails with <ErrorId>/InvalidData, names the event and keeps nothing of the push' {
        $store, $id = New-OpenImportStore
        $before = (Get-FileHash $store).Hash
        $err = Get-ErrorRecord { @((New-PushEvent 1), (& $Bad), (New-PushEvent 3)) | Add-IncrementalImport $store -ImportId $id -ErrorAction Stop }
        Assert-ErrorRecord $err 'Add-IncrementalImport' $ErrorId 'InvalidData'
        Get-ErrorTarget $err $TargetProperty | Should -Be $TargetValue
        (Get-FileHash $store).Hash | Should -Be $before
        Test-Path "$store-journal" | Should -BeFalse
        Get-PendingCount $store | Should -Be 1
    }

    It 'fails the same in Import-EventStore -Incremental, leaving the store byte for byte and no import open' {
        $store = New-IncrementalBaseStore "one-shot-$([guid]::NewGuid().ToString('N')).db"
        $before = (Get-FileHash $store).Hash
        $err = Get-ErrorRecord { @((New-PushEvent 1), (& $Bad), (New-PushEvent 3)) | Import-EventStore $store -Incremental -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' $ErrorId 'InvalidData'
        Get-ErrorTarget $err $TargetProperty | Should -Be $TargetValue
        (Get-FileHash $store).Hash | Should -Be $before
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }
}

Describe 'Add-IncrementalImport accepts' {
    BeforeEach {
        $script:store, $script:id = New-OpenImportStore
    }

    It 'unknown extra properties and the fields of stored events, ignoring them' {
        $extra = New-PushEvent 1
        $extra.threadId = 999
        $extra.threadCounter = -1
        $extra.aggregateVersion = 'not even a number'
        $extra.color = 'red'
        $fromJson = '{"timestamp":4102446000002,"aggregateId":"pushed-2","type":"PUSHED","payload":{"n":2},"extra":[1],"threadId":"x"}' | ConvertFrom-Json
        $extra, $fromJson | Add-IncrementalImport $store -ImportId $id
        Get-PendingRows $store | Select-Object -Skip 1 | Should -Be @(
            "$(4102446000001 % 256)|4102446000001|pushed-1|PUSHED|{`"n`":1}"
            "$(4102446000002 % 256)|4102446000002|pushed-2|PUSHED|{`"n`":2}"
        )
    }

    It 'hashtables, ordered dictionaries, PSCustomObjects, -AsHashtable objects and typed events in one push, then commits them' {
        @(
            New-PushEvent 1
            [ordered]@{ timestamp = 4102446000002; aggregateId = 'pushed-2'; type = 'PUSHED'; payload = [ordered]@{ b = 1; a = 'x' } }
            [pscustomobject]@{ timestamp = 4102446000003; aggregateId = 'pushed-3'; type = 'PUSHED'; payload = @(1, 2) }
            '{"timestamp":4102446000004,"aggregateId":"pushed-4","type":"PUSHED","payload":"text"}' | ConvertFrom-Json -AsHashtable
            [EventStoreTools.Core.ResolveEvent]@{ Timestamp = 4102446000005; AggregateId = 'pushed-5'; Type = 'PUSHED'; PayloadJson = '{"n":5}' }
        ) | Add-IncrementalImport $store -ImportId $id
        Get-PendingCount $store | Should -Be 6
        (Complete-IncrementalImport $store -ImportId $id).ImportedCount | Should -Be 6
        $stored = Export-EventStore $store | Where-Object Type -eq 'PUSHED'
        $stored.AggregateId | Should -Be 'pushed-0', 'pushed-1', 'pushed-2', 'pushed-3', 'pushed-4', 'pushed-5'
        $stored.PayloadJson | Should -Be '{"n":0}', '{"n":1}', '{"b":1,"a":"x"}', '[1,2]', '"text"', '{"n":5}'
        $stored.AggregateVersion | Should -Be 1, 1, 1, 1, 1, 1
        $stored.ForEach({ $_.ThreadId -eq $_.Timestamp % 256 }) | Should -Not -Contain $false
    }

    It 'an empty type, as reSolve does (a hashtable and a typed event)' {
        $hashtable = New-PushEvent 1
        $hashtable.type = ''
        $hashtable, [EventStoreTools.Core.ResolveEvent]@{ Timestamp = 4102446000002; AggregateId = 'pushed-2' } | Add-IncrementalImport $store -ImportId $id
        Get-PendingRows $store | Select-Object -Skip 1 | Should -Be @(
            "$(4102446000001 % 256)|4102446000001|pushed-1||{`"n`":1}"
            "$(4102446000002 % 256)|4102446000002|pushed-2||null"
        )
    }

    It 'keys in any letter case' {
        @{ TIMESTAMP = 4102446000001; AggregateID = 'pushed-1'; Type = 'PUSHED'; PAYLOAD = @{ n = 1 } } | Add-IncrementalImport $store -ImportId $id
        Get-PendingRows $store | Select-Object -Last 1 | Should -Be "$(4102446000001 % 256)|4102446000001|pushed-1|PUSHED|{`"n`":1}"
    }

    It 'Import-Csv rows: whole numbers as text and the payload as payloadJson' {
        $csv = New-TestPath 'push.csv'
        Set-Content $csv "timestamp,aggregateId,type,payloadJson`n4102446000001,pushed-1,PUSHED,`"{`"`"n`"`": 1}`""
        Import-Csv $csv | Add-IncrementalImport $store -ImportId $id
        Get-PendingRows $store | Select-Object -Last 1 | Should -Be "$(4102446000001 % 256)|4102446000001|pushed-1|PUSHED|{`"n`":1}"
    }

    It 'whole-number timestamps of any numeric type' {
        @(
            @{ timestamp = [double]4102446000001; aggregateId = 'double'; type = 'PUSHED' }
            @{ timestamp = [decimal]4102446000002; aggregateId = 'decimal'; type = 'PUSHED' }
            @{ timestamp = [int]7; aggregateId = 'int'; type = 'PUSHED' }
            @{ timestamp = [bigint]4102446000004; aggregateId = 'bigint'; type = 'PUSHED' }
        ) | Add-IncrementalImport $store -ImportId $id
        (Invoke-SqliteQuery $store 'SELECT "timestamp" FROM "events-incremental-import" ORDER BY rowid').ForEach({ $_[0] }) |
            Should -Be 4102446000000, 4102446000001, 4102446000002, 7, 4102446000004
    }

    It 'the same event twice in one push, importing both as reSolve does' {
        (New-PushEvent 1), (New-PushEvent 1) | Add-IncrementalImport $store -ImportId $id
        $summary = Complete-IncrementalImport $store -ImportId $id
        $summary.ImportedCount | Should -Be 3
        (Export-EventStore $store -AggregateId 'pushed-1').AggregateVersion | Should -Be 1, 2
    }

    It 'an empty pipeline: a no-op that leaves the store byte for byte' {
        $before = (Get-FileHash $store).Hash
        (@() | Add-IncrementalImport $store -ImportId $id -PassThru).PushedCount | Should -Be 0
        (Get-FileHash $store).Hash | Should -Be $before
    }
}

Describe 'The incremental-import cmdlets reject the store <Name>' -ForEach $RejectedStores {
    It '<Command> fails with <ErrorId>/<Category>, names the store and creates or changes nothing' -ForEach (@(
        @{ Command = 'Start-IncrementalImport'; Cmdlet = 'Start-IncrementalImport'; Run = { param($path, $id) Start-IncrementalImport $path -ErrorAction Stop } }
        @{ Command = 'Add-IncrementalImport'; Cmdlet = 'Add-IncrementalImport'; Run = { param($path, $id) New-PushEvent 1 | Add-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
        @{ Command = 'Complete-IncrementalImport'; Cmdlet = 'Complete-IncrementalImport'; Run = { param($path, $id) Complete-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
        @{ Command = 'Undo-IncrementalImport'; Cmdlet = 'Undo-IncrementalImport'; Run = { param($path, $id) Undo-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
        @{ Command = 'Import-EventStore -Incremental'; Cmdlet = 'Import-EventStore'
           Run = { param($path, $id) Import-EventStore $path -InFile (Join-Path $CorpusFolder 'crlf.ndjson') -Incremental -ErrorAction Stop } }
    # A missing store is created by a one-shot incremental import, as by reSolve's (Import-EventStore.IncrementalNewStore.Tests.ps1).
    ) | Where-Object { -not ($Kind -eq 'Missing' -and $_.Cmdlet -eq 'Import-EventStore') }) {
        $folder = New-CaseFolder
        $path, $id = New-CorpusStore $Kind $folder
        $id ??= 'MTcwMDAwMDAwMDAwMDAuNQzz'
        $before = Get-FolderSnapshot $folder
        $err = Get-ErrorRecord { & $Run $path $id }
        Assert-ErrorRecord $err $Cmdlet $ErrorId $Category
        $err.TargetObject | Should -Be $path
        Get-FolderSnapshot $folder | Should -Be $before
        Get-ChildItem $folder -Recurse -Force -Directory | Where-Object FullName -ne $path | Should -BeNullOrEmpty
    }
}

Describe 'The incremental-import cmdlets reject the import id <Name>' -ForEach @(
    @{ Name = 'that is not the open one'; Make = { param($path) $null = New-OpenImportStore $path; 'nope' } }
    @{ Name = 'when no import is open'; Make = { param($path) $null = New-IncrementalBaseStore (Split-Path $path -Leaf); 'nope' } }
    @{ Name = 'of an import that was completed'
       Make = { param($path) $null, $id = New-OpenImportStore $path; Complete-IncrementalImport $path -ImportId $id | Out-Null; $id } }
    @{ Name = 'of an import that was undone'
       Make = { param($path) $null, $id = New-OpenImportStore $path; Undo-IncrementalImport $path -ImportId $id; $id } }
) {
    It '<Command> fails with ImportNotFound/ObjectNotFound with reSolve''s message and changes nothing' -ForEach @(
        @{ Command = 'Add-IncrementalImport'; Run = { param($path, $id) New-PushEvent 1 | Add-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
        @{ Command = 'Complete-IncrementalImport'; Run = { param($path, $id) Complete-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
        @{ Command = 'Undo-IncrementalImport'; Run = { param($path, $id) Undo-IncrementalImport $path -ImportId $id -ErrorAction Stop } }
    ) {
        $path = New-TestPath "import-id-$([guid]::NewGuid().ToString('N')).db"
        $id = & $Make $path
        $before = (Get-FileHash $path).Hash
        $err = Get-ErrorRecord { & $Run $path $id }
        Assert-ErrorRecord $err $Command 'ImportNotFound' 'ObjectNotFound'
        $err.Exception.Message | Should -BeExactly "Incremental importId=$id does not exist."
        $err.TargetObject | Should -Be $path
        (Get-FileHash $path).Hash | Should -Be $before
    }
}

Describe 'Import-EventStore -Incremental -InFile rejects the NDJSON corpus case <Name>' -ForEach $RejectedByIncremental {
    It 'names line <Line> with <ErrorId>/<Category>, leaves the store byte for byte and no import open' {
        $store = Copy-Fixture 'resolve-lite-600.db' "incremental-$Name.db"
        $before = (Get-FileHash $store).Hash
        $err = Get-ErrorRecord { Import-EventStore $store -InFile (Join-Path $CorpusFolder "$Name.ndjson") -Incremental -ErrorAction Stop }
        Assert-ErrorRecord $err 'Import-EventStore' $ErrorId $Category
        $err.TargetObject.LineNumber | Should -Be $Line
        $err.Exception.Message | Should -Match "^Line ${Line}: "
        (Get-FileHash $store).Hash | Should -Be $before
        Test-Path "$store-journal" | Should -BeFalse
        (Get-EventStore $store).HasOpenIncrementalImport | Should -BeFalse
    }
}

Describe 'Import-EventStore -Incremental -InFile ignores the stored-event fields of the corpus case <Name>' -ForEach $IgnoredByIncremental {
    It 'imports its events with the thread ids, counters and versions an incremental import gives' {
        $store = New-TestPath "ignored-$Name.db"
        @() | Import-EventStore $store | Out-Null
        $inFile = Join-Path $CorpusFolder "$Name.ndjson"
        $count = @(Get-Content $inFile).Count
        (Import-EventStore $store -InFile $inFile -Incremental).ImportedCount | Should -Be $count
        $stored = @(Export-EventStore $store)
        $stored.Count | Should -Be $count
        $stored.ForEach({ $_.ThreadId -eq $_.Timestamp % 256 -and $_.AggregateVersion -ge 1 -and $_.ThreadCounter -ge 0 }) | Should -Not -Contain $false
    }
}
