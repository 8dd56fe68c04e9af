BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Import-EventStore' {
    BeforeAll {
        $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
    }

    It 'copies a store through the pipeline, every column byte for byte' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'copy.db'
        $result = Export-EventStore $source | Import-EventStore $target
        $result.ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be (Get-StoreRows $source)
        $out = New-TestPath 'copy.ndjson'
        Export-EventStore $target -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }

    It 'imports reSolve''s NDJSON export with -InFile into the store reSolve wrote' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'fromfile.db'
        (Import-EventStore $target -InFile $ReferenceExport).ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be (Get-StoreRows $source)
    }

    It 'accepts PSCustomObjects from ConvertFrom-Json' {
        $lines = Get-Content $ReferenceExport | Where-Object { $_ -notmatch '""\s*:' }
        $target = New-TestPath 'fromjson.db'
        $lines | ConvertFrom-Json | Import-EventStore $target | Out-Null
        (Export-EventStore $target | ForEach-Object { $_.PayloadJson }) | Should -Be ($lines | ForEach-Object { ($_ -split '"payload":', 2)[1] -replace '}$' })
    }

    It 'takes nothing but events from the pipeline, so that the binder does not look each event over for store parameters' {
        $pipelineParameters = (Get-Command Import-EventStore).Parameters.Values | Where-Object {
            $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }
        }
        $pipelineParameters.Name | Should -Be 'InputObject'
        # Reshaped events may carry such columns; they are event properties, not the store.
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'reshaped.db'
        $result = Export-EventStore $source | Select-Object *, @{ n = 'ConnectionString'; e = { 'Host=elsewhere' } }, @{ n = 'Schema'; e = { 'other' } } |
            Import-EventStore $target
        $result.ImportedCount | Should -Be 600
        Get-StoreRows $target | Should -Be (Get-StoreRows $source)
    }

    It 'accepts ordered hashtables from ConvertFrom-Json -AsHashtable' {
        $target = New-TestPath 'fromjson.db'
        Get-Content $ReferenceExport | ConvertFrom-Json -AsHashtable | Import-EventStore $target | Out-Null
        $out = New-TestPath 'fromjson.ndjson'
        Export-EventStore $target -OutFile $out
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
    }

    It 'accepts hashtables and round-trips Export-Csv / Import-Csv through PayloadJson' {
        $target = New-TestPath 'hash.db'
        @(
            New-TestEvent -Thread 1 -Counter 0 -Timestamp 10 -Aggregate 'x' -Version 1 -Payload ([ordered]@{ n = 1; s = 'ü'; list = @(1, 'two', $null) })
            New-TestEvent -Thread 1 -Counter 1 -Timestamp 11 -Aggregate 'x' -Version 2 -Payload 42
        ) | Import-EventStore $target | Out-Null
        $events = Export-EventStore $target
        $events[0].PayloadJson | Should -BeExactly '{"n":1,"s":"ü","list":[1,"two",null]}'
        $events[1].PayloadJson | Should -BeExactly '42'

        $csv = New-TestPath 'events.csv'
        $events | Export-Csv $csv
        $csvTarget = New-TestPath 'fromcsv.db'
        Import-Csv $csv | Import-EventStore $csvTarget | Out-Null
        Get-StoreRows $csvTarget | Should -Be (Get-StoreRows $target)
    }

    It 'keeps unicode, control characters, big numbers and nulls on every path' {
        $target = New-TestPath 'edge.db'
        $payloads = @(
            '{"emoji":"😀 𝄞","ctl":"\u0001\t\n\"\\","nested":{"a":[{"b":[]}]}}'
            '12345678901234567890'
            '-0'
            '0.1'
            '1e+300'
            'null'
            '"just a string"'
        )
        $i = 0
        $payloads | ForEach-Object { $i++; New-TestEvent -Thread 2 -Counter $i -Timestamp $i -Aggregate 'edge' -Version $i | ForEach-Object { $_.Remove('payload'); $_.payloadJson = $payloads[$i - 1]; $_ } } |
            Import-EventStore $target | Out-Null
        $exported = Export-EventStore $target
        $exported.PayloadJson | Should -Be @(
            '{"emoji":"😀 𝄞","ctl":"\u0001\t\n\"\\","nested":{"a":[{"b":[]}]}}'
            '12345678901234567000'
            '0'
            '0.1'
            '1e+300'
            'null'
            '"just a string"'
        )
        $copy = New-TestPath 'edge-copy.db'
        $exported | Import-EventStore $copy | Out-Null
        Get-StoreRows $copy | Should -Be (Get-StoreRows $target)
    }

    It 'writes a changed payload' {
        $source = Copy-Fixture 'resolve-lite-600.db'
        $target = New-TestPath 'changed.db'
        Export-EventStore $source | Select-Object -First 1 | ForEach-Object { $_.Payload.name = 'Renamed'; $_ } | Import-EventStore $target | Out-Null
        (Export-EventStore $target).Payload.name | Should -Be 'Renamed'
    }

    It 'refuses a store that holds events, leaving it untouched' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        { New-TestEvent -Aggregate 'new' | Import-EventStore $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreTargetNotEmpty,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'appends with -Append' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $result = New-TestEvent -Thread 0 -Counter 1000 -Aggregate 'appended' | Import-EventStore $target -Append
        $result.PreviousCount | Should -Be 600
        (Export-EventStore $target | Measure-Object).Count | Should -Be 601
    }

    It 'replaces with -Replace -Force, and -WhatIf changes nothing' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        $run = Invoke-Captured { New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -WhatIf }
        $run.Output.Action | Should -Be 'Replaced'
        $run.WhatIf | Should -Be @(
            "What if: Performing the operation `"Replace all events (drop 600 events, 0 snapshots and 0 subscribers (the store's 0 secrets stay) and re-create the events table)`" on target `"$target`"."
            "What if: Performing the operation `"Replace its 600 events with 1 event`" on target `"$target`".")
        (Get-FileHash $target).Hash | Should -Be $before
        New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -Force | Out-Null
        (Export-EventStore $target).AggregateId | Should -Be 'only'
    }

    It 'is atomic: a duplicate event fails the whole import and names the event' {
        $target = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $target).Hash
        $events = @(
            New-TestEvent -Thread 0 -Counter 500 -Aggregate 'dup' -Version 1
            New-TestEvent -Thread 0 -Counter 501 -Aggregate 'dup' -Version 1
        )
        $err = $null
        try { $events | Import-EventStore $target -Append -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreDuplicateEvent,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject.ThreadCounter | Should -Be 501
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'names the line of a bad -InFile line and leaves no new store' {
        $file = New-TestPath 'bad.ndjson'
        $lines = Get-Content $ReferenceExport -TotalCount 3
        Set-Content $file -Value @($lines[0], $lines[1], '{"broken":', $lines[2])
        $target = New-TestPath 'bad.db'
        $err = $null
        try { Import-EventStore $target -InFile $file -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'ImportEventStoreInvalidInput,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $err.TargetObject.LineNumber | Should -Be 3
        $err.Exception.Message | Should -Match '^Line 3:'
        Test-Path $target | Should -BeFalse
    }

    It 'reports the missing fields of a wrongly shaped object' {
        $target = New-TestPath 'shape.db'
        $err = $null
        try { [pscustomobject]@{ Id = 1; Name = 'x' } | Import-EventStore $target -ErrorAction Stop } catch { $err = $_ }
        $err.Exception.Message | Should -Match 'The field "threadId", "threadCounter", "timestamp", "aggregateId", "aggregateVersion", "type" is required'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Test-Path $target | Should -BeFalse
    }
}

Describe 'Import-EventStore -Replace reports and confirms what it drops' {
    It 'reports PreviousCount 600 for a replace over 600 events' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-count.db'
        $result = New-TestEvent | Import-EventStore $target -Replace -Force
        $result.PreviousCount | Should -Be 600
        $result.ImportedCount | Should -Be 1
        Get-EventCount $target | Should -Be 1
    }

    It 'names the events to drop in the confirmation, and without -Force in a non-interactive session says to add -Force' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-ask.db'
        $before = (Get-FileHash $target).Hash
        $whatIf = (Invoke-Captured { New-TestEvent -Timestamp 1 -Payload 1 | Import-EventStore $target -Replace -WhatIf }).WhatIf
        $whatIf[0] | Should -Match 'drop 600 events, 0 snapshots and 0 subscribers \(the store''s 0 secrets stay\)'
        $withSecrets = Copy-Fixture 'resolve-lite-600.db' 'replace-secrets.db'
        Get-EventStore $withSecrets | Out-Null   # loads the module's SQLite, which Invoke-SqliteQuery uses
        Invoke-SqliteQuery $withSecrets "INSERT INTO secrets(idx, id, secret) VALUES (0, 'a', 's'), (1, 'b', 't')" | Out-Null
        $backup = Join-Path $TestDrive 'replace-backup'
        Export-EventStore $withSecrets -Directory $backup -IncludeSecrets
        $whatIf = (Invoke-Captured { Import-EventStore $withSecrets -Directory $backup -Replace -WhatIf }).WhatIf
        $whatIf[0] | Should -Match 'drop 600 events, 0 snapshots and 0 subscribers, and, if the backup holds secrets, 2 secrets'
        $output = Invoke-FreshPwsh @"
try { @{ threadId = 0; threadCounter = 0; timestamp = 1; aggregateId = 'a'; aggregateVersion = 1; type = 'T'; payload = 1 } | Import-EventStore '$target' -Replace }
catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }
"@
        $output[0] | Should -Be 'ImportEventStoreConfirmationRequired,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        $output[1] | Should -Be 'PermissionDenied'
        ($output | Select-Object -Skip 2) -join ' ' | Should -Match '-Replace would drop 600 events, 0 snapshots .* add -Force'
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'asks with No as the default answer: Enter alone leaves the store as it was' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-default.db'
        $before = (Get-FileHash $target).Hash
        $run = Invoke-Captured { New-TestEvent -Timestamp 1 -Payload 1 | Import-EventStore $target -Replace }
        $run.Prompts.Count | Should -Be 1
        $run.Prompts[0].Caption | Should -Be 'Confirm -Replace'
        $run.Prompts[0].Message | Should -Match '^Drop 600 events, .* and replace them with the imported ones\?$'
        $run.Prompts[0].DefaultChoice | Should -Be 'No'
        $run.Output | Should -BeNullOrEmpty
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'asks an interactive session, naming the events to drop; No leaves the store as it was' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-prompt.db'
        $before = (Get-FileHash $target).Hash
        $command = Get-PwshCommand
        $start = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-Command',
                "`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModuleManifest'; @{ threadId = 0; threadCounter = 0; timestamp = 1; aggregateId = 'a'; aggregateVersion = 1; type = 'T'; payload = 1 } | Import-EventStore '$target' -Replace")) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $child = [Diagnostics.Process]::Start($start)
        $child.StandardInput.WriteLine('N')
        $child.StandardInput.Close()
        $prompt = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit(60000) | Should -BeTrue
        ($prompt -replace '\s+', ' ') | Should -Match 'Drop 600 events, 0 snapshots and 0 subscribers \(the store''s 0 secrets stay\) in .*replace-prompt\.db'' and replace them with the imported ones\?'
        (Get-FileHash $target).Hash | Should -Be $before
    }
}

Describe 'Import-EventStore -Replace names what it drops and does not empty a store by an empty input' {
    It 'names the store and the events, snapshots, subscribers and secrets it drops in its -WhatIf message, and drops them' {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-names.db'
        Get-EventStore $target | Out-Null   # loads the module's SQLite, which Invoke-SqliteQuery uses
        Invoke-SqliteQuery $target @"
INSERT INTO snapshots VALUES ('user-1', '{}'), ('user-2', '{}');
INSERT INTO subscribers VALUES ('app', 'projection', '{}', '{}');
INSERT INTO secrets(idx, id, secret) VALUES (0, 'a', 's'), (1, 'b', 't'), (2, 'c', 'u')
"@ | Out-Null
        $before = (Get-FileHash $target).Hash
        $run = Invoke-Captured { New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -WhatIf }
        $run.WhatIf[0] | Should -Be "What if: Performing the operation `"Replace all events (drop 600 events, 2 snapshots and 1 subscriber (the store's 3 secrets stay) and re-create the events table)`" on target `"$target`"."
        (Get-FileHash $target).Hash | Should -Be $before
        New-TestEvent -Aggregate 'only' | Import-EventStore $target -Replace -Force | Out-Null
        Invoke-SqliteQuery $target 'SELECT (SELECT count(*) FROM snapshots), (SELECT count(*) FROM subscribers), (SELECT count(*) FROM secrets)' |
            ForEach-Object { "$($_[0]) $($_[1]) $($_[2])" } | Should -Be '0 0 3'
    }

    It 'refuses to empty a store that holds events by <Source>, leaving it as it was; -Force empties it with a warning' -ForEach @(
        @{ Source = 'an empty pipeline' }, @{ Source = 'an empty -InFile' }
    ) {
        $target = Copy-Fixture 'resolve-lite-600.db' 'replace-empty.db'
        $empty = New-TestPath 'empty.ndjson'
        New-Item -ItemType File $empty -Force | Out-Null
        $fromPipeline = $Source -eq 'an empty pipeline'
        $before = (Get-FileHash $target).Hash
        $err = Get-ErrorRecord {
            if ($fromPipeline) { @() | Import-EventStore $target -Replace -Confirm:$false -ErrorAction Stop }
            else { Import-EventStore $target -InFile $empty -Replace -Confirm:$false -ErrorAction Stop }
        }
        Assert-ErrorRecord $err 'Import-EventStore' 'EmptyInputWouldEmptyStore' 'InvalidData'
        $err.Exception.Message | Should -BeLike "The input holds no events, so -Replace would leave '$target' empty, dropping its 600 events. Nothing was changed.*add -Force."
        (Get-FileHash $target).Hash | Should -Be $before
        $run = Invoke-Captured {
            if ($fromPipeline) { @() | Import-EventStore $target -Replace -WhatIf }
            else { Import-EventStore $target -InFile $empty -Replace -WhatIf }
        }
        $run.WhatIf[-1] | Should -BeLike '*"Replace its 600 events with 0 events (refused: the input holds no events; add -Force to empty the store)"*'
        $run.Output.Action | Should -Be 'Refused'
        (Get-FileHash $target).Hash | Should -Be $before

        $result = if ($fromPipeline) { @() | Import-EventStore $target -Replace -Force -WarningVariable w -WarningAction SilentlyContinue }
        else { Import-EventStore $target -InFile $empty -Replace -Force -WarningVariable w -WarningAction SilentlyContinue }
        $result.PreviousCount | Should -Be 600
        "$w" | Should -Be "The input holds no events, so -Replace would leave '$target' empty, dropping its 600 events. -Force empties it."
        Get-EventCount $target | Should -Be 0
    }
}

Describe 'Import-EventStore and Add-IncrementalImport take a CSV payload column of JSON text' {
    It 'parses a hand-written payload column that holds JSON, and warns about one that does not' {
        $csv = @'
threadId,threadCounter,timestamp,aggregateId,aggregateVersion,type,payload
0,0,10,a,1,T,"{""name"":""Ann"",""tags"":[1,2]}"
0,1,11,a,2,T,42
0,2,12,a,3,T,plain words
'@ | ConvertFrom-Csv
        $target = New-TestPath 'csv-payload.db'
        $csv | Import-EventStore $target -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        (Export-EventStore $target).PayloadJson | Should -Be @('{"name":"Ann","tags":[1,2]}', '42', '"plain words"')
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'is not JSON text, so it is stored as a JSON string'
        $warnings[0].Message | Should -Match 'plain words'

        $store = New-IncrementalBaseStore 'csv-incremental.db'
        $id = (Start-IncrementalImport $store).ImportId
        @'
timestamp,aggregateId,type,payload
5000000000000,csv-agg,CSV,"{""n"":1}"
'@ | ConvertFrom-Csv | Add-IncrementalImport $store -ImportId $id
        Complete-IncrementalImport $store -ImportId $id | Out-Null
        (Export-EventStore $store -AggregateId 'csv-agg').PayloadJson | Should -BeExactly '{"n":1}'
    }

    It 'a payload string of a ConvertFrom-Json object stays a string' {
        $target = New-TestPath 'json-string.db'
        '{"threadId":0,"threadCounter":0,"timestamp":1,"aggregateId":"a","aggregateVersion":1,"type":"T","payload":"{\"x\":1}"}' |
            ConvertFrom-Json | Import-EventStore $target | Out-Null
        (Export-EventStore $target).PayloadJson | Should -BeExactly '"{\"x\":1}"'
    }
}
