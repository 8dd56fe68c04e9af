BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

Describe 'Get-EventStore' {
    It 'describes a store reSolve wrote' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $events = Export-EventStore $store
        $info = Get-EventStore $store
        $info | Should -BeOfType ([EventStoreTools.Core.EventStoreDescription])
        $info.EventCount | Should -Be 600
        $info.SecretCount | Should -Be 0
        $info.FirstTimestamp | Should -Be ($events.Timestamp | Measure-Object -Minimum).Minimum
        $info.LastTimestamp | Should -Be ($events.Timestamp | Measure-Object -Maximum).Maximum
        $info.LastEventTime | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds($info.LastTimestamp))
        $info.IsFrozen | Should -BeFalse
        $info.HasOpenIncrementalImport | Should -BeFalse
    }

    It 'gives the latest cursor: max(threadCounter)+1 per thread, after which nothing is left to export' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $counters = [long[]]::new(256)
        foreach ($e in Export-EventStore $store) { $counters[$e.ThreadId] = [Math]::Max($counters[$e.ThreadId], $e.ThreadCounter + 1) }
        $cursor = (Get-EventStore $store).LatestCursor
        $cursor.ToString() | Should -BeExactly (ConvertTo-ResolveCursor $counters)
        Export-EventStore $store -Cursor $cursor | Should -BeNullOrEmpty
        Export-EventStore $store -OutFile (New-TestPath 'all.ndjson') -CursorVariable exported
        $exported | Should -BeExactly $cursor.ToString()
    }

    It 'sees reSolve''s freeze marker, an open incremental import and secrets' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        Invoke-SqliteQuery $store @'
CREATE TABLE "events-freeze"(
-- RESOLVE EVENT STORE "events" FREEZE MARKER
"surrogate" BIGINT NOT NULL, PRIMARY KEY("surrogate"));
CREATE TABLE "events-incremental-import"(
-- RESOLVE INCREMENTAL-IMPORT 'MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz' OWNED TABLE
"threadId" BIGINT NOT NULL, "threadCounter" BIGINT NULL, "timestamp" BIGINT NOT NULL,
"aggregateId" VARCHAR(700) NOT NULL, "aggregateVersion" BIGINT NULL, "type" VARCHAR(700) NOT NULL, "payload" JSON NULL);
INSERT INTO secrets(idx, id, secret) VALUES (0, 'a', 's'), (1, 'b', NULL);
'@ | Out-Null
        $info = Get-EventStore $store
        $info.IsFrozen | Should -BeTrue
        $info.IncrementalImportId | Should -BeExactly 'MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz'
        $info.HasOpenIncrementalImport | Should -BeTrue
        $info.SecretCount | Should -Be 1
        $info.DeletedSecretCount | Should -Be 1
    }

    It 'describes an empty store' {
        $store = New-TestPath 'empty.db'
        @() | Import-EventStore $store | Out-Null
        $info = Get-EventStore $store
        $info.EventCount | Should -Be 0
        $info.FirstTimestamp | Should -BeNullOrEmpty
        $info.LatestCursor.ToString() | Should -BeExactly ('A' * 2048)
        ($info | Format-List | Out-String) | Should -Match 'LatestCursor\s*:\s*AAAA'
    }

    It 'takes files from the pipeline and reports a bad one without stopping' {
        $good = Copy-Fixture 'resolve-lite-600.db'
        $bad = New-TestPath 'bad.db'
        Set-Content $bad 'not a database'
        $infos = Get-Item $bad, $good | Get-EventStore -ErrorVariable errors -ErrorAction SilentlyContinue
        @($infos).Count | Should -Be 1
        $infos.EventCount | Should -Be 600
        $errors[0].FullyQualifiedErrorId | Should -Be 'GetEventStoreNotAnEventStore,EventStoreTools.Cmdlets.GetEventStoreCommand'
    }

    It 'does not change the store' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $before = (Get-FileHash $store).Hash
        Get-EventStore $store | Out-Null
        (Get-FileHash $store).Hash | Should -Be $before
    }
}
