# Send-EventStoreEvent against a reSolve application's import handler (tests/compat/import-endpoint.js: a real Node
# HTTP server whose handler decodes the body with the charset of its Content-Type, JSON.parse's it and calls reSolve's
# own eventstore-lite incrementalImport). Each store it fills is compared row for row with a store into which reSolve
# imported the same events directly, with one incrementalImport of the whole array.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $Node) { throw 'node not found: these tests need Node.js 20 and tests/compat/node_modules' }
    $script:EndpointScript = Join-Path $RepoRoot 'tests/compat/import-endpoint.js'
    $script:Servers = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    # Every character class the charsets treat differently: Latin-1 letters, one windows-1252 has and Latin-1 lacks
    # (€), one outside the BMP, a C1 control, quotes and backslashes.
    $script:Text = "é ü ß € 😀 $([char]0x85) `"q`" \ end"

    function script:Start-ImportEndpoint([string[]] $Options = @()) {
        $store = New-TestPath "app-$([guid]::NewGuid().ToString('N')).db"
        $start = [System.Diagnostics.ProcessStartInfo]::new($Node.Source)
        foreach ($argument in @($EndpointScript, '--store', $store) + $Options) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $Servers.Add($process)
        $reading = $process.StandardOutput.ReadLineAsync()
        if (-not $reading.Wait(30000) -or -not $reading.Result) { throw "The import endpoint did not start within 30 s: $($process.StandardError.ReadToEnd())" }
        $base = "http://127.0.0.1:$(($reading.Result | ConvertFrom-Json).port)"
        [pscustomobject]@{ Store = $store; Base = $base; Uri = "$base/api/import-events" }
    }

    function script:Get-PostCount($Endpoint) { (Invoke-RestMethod "$($Endpoint.Base)/stats" -TimeoutSec 10).posts }

    function script:New-EndpointEvent([long] $From, [int] $Count) {
        for ($i = 0; $i -lt $Count; $i++) {
            [ordered]@{
                timestamp   = $From + $i * 7
                aggregateId = "agg-$($i % 3)-é"
                type        = if ($i % 2) { 'ITEM_ADDED' } else { 'ITEM_REMOVED' }
                payload     = [ordered]@{ text = "$Text $i"; n = $i; nested = [ordered]@{ ok = $true; list = @(1, 'zwei', $null) } }
            }
        }
    }

    # The store reSolve makes of the same events with one incrementalImport of the whole array, directly.
    function script:Get-DirectRows([object[]] $Events) {
        $file = New-TestPath "events-$([guid]::NewGuid().ToString('N')).json"
        $store = New-TestPath "direct-$([guid]::NewGuid().ToString('N')).db"
        ConvertTo-Json -InputObject @($Events) -Depth 10 | Set-Content -LiteralPath $file -Encoding utf8NoBOM
        $said = & $Node.Source $EndpointScript --direct $store --events $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "reSolve's incrementalImport failed: $said" }
        Get-StoreRows $store
    }
}

AfterAll {
    foreach ($process in $Servers) {
        if (-not $process.HasExited) {
            $process.Kill()
            [void]$process.WaitForExit(10000)
        }
        $process.Dispose()
    }
}

Describe 'Send-EventStoreEvent to a reSolve application''s import handler' -Tag 'Compat' {
    It 'imports events sent in UTF-8 and in ISO-8859-1 as reSolve''s incrementalImport of the same array does, and again nothing' {
        $endpoint = Start-ImportEndpoint
        $utf8 = @(New-EndpointEvent 1700000000000 25)
        $latin1 = @(New-EndpointEvent 1700000001000 12)

        $first = $utf8 | Send-EventStoreEvent $endpoint.Uri -BatchSize 10
        $first.SentCount | Should -Be 25
        $first.BatchCount | Should -Be 3
        $first.RetryCount | Should -Be 0
        $first.LastResponse | Should -Be '{"imported":5}'
        $first.Uri | Should -Be $endpoint.Uri
        # The handler re-decodes this body with TextDecoder('iso-8859-1'): é, ü, ß go as one byte each, the rest as \u escapes.
        $second = $latin1 | Send-EventStoreEvent $endpoint.Uri -BatchSize 5 -Encoding iso-8859-1
        $second.BatchCount | Should -Be 3

        $rows = @(Get-StoreRows $endpoint.Store)
        $rows.Count | Should -Be 37
        $rows | Should -Be @(Get-DirectRows ($utf8 + $latin1))
        (Export-EventStore $endpoint.Store | Select-Object -Last 1).Payload.text | Should -BeExactly "$Text 11"

        # Sending everything again (as after a failure) is safe: incrementalImport skips what the store holds.
        ($utf8 + $latin1) | Send-EventStoreEvent $endpoint.Uri | Select-Object -ExpandProperty BatchCount | Should -Be 1
        @(Get-StoreRows $endpoint.Store) | Should -Be $rows
    }

    It 'sends a body in another charset that the handler decodes by its Content-Type (a request of Invoke-WebRequest)' {
        $endpoint = Start-ImportEndpoint
        $events = @(New-EndpointEvent 1700000000000 3)
        # Latin-1 lacks €, 😀 and (as TextDecoder reads the label, windows-1252) the C1 control: JSON escapes carry them.
        $json = (ConvertTo-Json -InputObject $events -Depth 10 -EscapeHandling Default) -replace '€', '\u20ac' -replace '😀', '\ud83d\ude00' -replace "$([char]0x85)", '\u0085'
        $body = [System.Text.Encoding]::Latin1.GetBytes($json)
        $body | Should -Contain 0xE9 -Because 'é is one Latin-1 byte in the body'
        $answer = Invoke-WebRequest $endpoint.Uri -Method Post -Body $body -ContentType 'application/json; charset=iso-8859-1' -TimeoutSec 30
        $answer.StatusCode | Should -Be 200
        @(Get-StoreRows $endpoint.Store) | Should -Be @(Get-DirectRows $events)
    }

    It 'retries after 503 answers, waiting longer each time, and sends the events of -InFile' {
        $endpoint = Start-ImportEndpoint '--fail-first', '2'
        $events = @(New-EndpointEvent 1700000000000 15)
        $file = New-TestPath 'retry.ndjson'
        $events | ForEach-Object { ConvertTo-Json -InputObject $_ -Depth 10 -Compress } | Set-Content -LiteralPath $file -Encoding utf8NoBOM

        $output = Send-EventStoreEvent $endpoint.Uri -InFile $file -BatchSize 10 -RetryIntervalSec 1 -Verbose 4>&1
        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $told = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $told | Should -Contain '503 (ServiceUnavailable) to batch 1: trying again in 1 s (1 of 3 retries).'
        $told | Should -Contain '503 (ServiceUnavailable) to batch 1: trying again in 2 s (2 of 3 retries).'
        $result.RetryCount | Should -Be 2
        $result.BatchCount | Should -Be 2
        $result.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3 -Because 'it waited 1 s, then 2 s'
        Get-PostCount $endpoint | Should -Be 4
        @(Get-StoreRows $endpoint.Store) | Should -Be @(Get-DirectRows $events)
    }

    It 'writes progress after a batch, throttled, and completes it' {
        $endpoint = Start-ImportEndpoint '--fail-first', '1'
        # The first batch takes over a second (a 503, then a retry after 1 s): past the 200 ms throttle of progress.
        $records = Get-ProgressRecord "1..15 | ForEach-Object { @{ timestamp = 1700000000000 + `$_; aggregateId = 'a'; type = 'T'; payload = `$_ } } | Send-EventStoreEvent '$($endpoint.Uri)' -BatchSize 10 -RetryIntervalSec 1 | Out-Null"
        $records.Activity | Should -Contain "Sending events to $($endpoint.Uri)"
        $records.StatusDescription | Should -Contain '10 events in 1 batch sent'
        $records[-1].RecordType | Should -Be 'Completed'
        (Export-EventStore $endpoint.Store | Measure-Object).Count | Should -Be 15
    }

    It 'fails with the status and body of a 401, never showing the token or password, and sends with the right token' {
        $endpoint = Start-ImportEndpoint '--token', 'right-token'
        $events = @(New-EndpointEvent 1700000000000 4)

        $wrong = Get-ErrorRecord { $events | Send-EventStoreEvent $endpoint.Uri -Headers @{ Authorization = 'Bearer wrong-token' } -RetryIntervalSec 0 }
        Assert-ErrorRecord $wrong 'Send-EventStoreEvent' 'EndpointFailed' 'AuthenticationError'
        $wrong.Exception.StatusCode | Should -Be 401
        $wrong.Exception.Message | Should -Match 'answered 401 \(Unauthorized\) to batch 1 \(events 1 to 4\).*unauthorized: a bearer token is required.*No batch was imported.*-Credential'
        $wrong.Exception.Message | Should -Not -Match 'wrong-token'
        $basic = Get-ErrorRecord { $events | Send-EventStoreEvent $endpoint.Uri -Credential ([pscredential]::new('admin', (ConvertTo-SecureString 'basic-password' -AsPlainText -Force))) }
        $basic.Exception.StatusCode | Should -Be 401
        "$($basic.Exception.Message) $($basic.ErrorDetails)" | Should -Not -Match 'basic-password'
        Get-PostCount $endpoint | Should -Be 2 -Because 'a 401 is not retried'
        @(Get-StoreRows $endpoint.Store).Count | Should -Be 0

        $token = ConvertTo-SecureString 'Bearer right-token' -AsPlainText -Force
        ($events | Send-EventStoreEvent $endpoint.Uri -Headers @{ Authorization = $token }).SentCount | Should -Be 4
        @(Get-StoreRows $endpoint.Store) | Should -Be @(Get-DirectRows $events)
    }

    It 'fails with the status and body of a 404 and with a ConnectionError where nothing answers' {
        $endpoint = Start-ImportEndpoint
        $events = @(New-EndpointEvent 1700000000000 2)
        $missing = Get-ErrorRecord { $events | Send-EventStoreEvent "$($endpoint.Base)/api/nope" }
        Assert-ErrorRecord $missing 'Send-EventStoreEvent' 'EndpointFailed' 'InvalidResult'
        $missing.Exception.Message | Should -Match 'answered 404 \(NotFound\).*no handler for POST /api/nope.*Check that -Uri names'

        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = $probe.LocalEndpoint.Port
        $probe.Stop()
        $refused = Get-ErrorRecord { $events | Send-EventStoreEvent "http://127.0.0.1:$port/api/import-events" -MaximumRetryCount 1 -RetryIntervalSec 0 }
        Assert-ErrorRecord $refused 'Send-EventStoreEvent' 'EndpointFailed' 'ConnectionError'
        $refused.Exception.Message | Should -Match 'did not answer batch 1 \(events 1 to 2\) after 2 tries'
    }

    It 'says with -WhatIf how many batches would go where, and sends nothing' {
        $endpoint = Start-ImportEndpoint
        $events = @(New-EndpointEvent 1700000000000 25)
        $uri = $endpoint.Uri
        $run = Invoke-Captured { $events | Send-EventStoreEvent $uri -BatchSize 10 -WhatIf }
        $run.WhatIf | Should -HaveCount 1
        $run.WhatIf[0] | Should -BeLikeExactly "What if: Performing the operation `"Send 25 events in 3 batches (up to 10 each) to the application's import handler`" on target `"$uri`"."
        $run.Output.WhatIf | Should -BeTrue
        $run.Output.BatchCount | Should -Be 3
        Get-PostCount $endpoint | Should -Be 0
        @(Get-StoreRows $endpoint.Store).Count | Should -Be 0
    }
}
