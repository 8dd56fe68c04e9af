BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# Whole-store backup and restore in reSolve's layout: Export-EventStore -Directory, Import-EventStore -Directory.
Describe 'Backup folders (events.db and secrets.db)' {
    BeforeAll {
        $script:ReferenceExport = Join-Path $Fixtures 'resolve-lite-600.export.ndjson'
        function script:New-StoreWithSecrets([string] $Name = 'secret.db') {
            $store = Copy-Fixture 'resolve-lite-600.db' $Name
            Invoke-SqliteQuery $store "INSERT INTO secrets(idx, id, secret) VALUES (0, 'user-1', 'key one'), (1, 'user-2', NULL), (7, 'user-3', 'k""ü')" | Out-Null
            $store
        }
        function script:Get-SecretRows([string] $Path) { Invoke-SqliteQuery $Path 'SELECT idx, id, secret FROM secrets ORDER BY idx' | ForEach-Object { $_ -join '|' } }
    }

    It 'writes events.db byte-identical to reSolve''s export and secrets.db in reSolve''s key order' {
        $store = New-StoreWithSecrets
        $backup = New-TestPath 'backup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        (Get-FileHash (Join-Path $backup 'events.db')).Hash | Should -Be (Get-FileHash $ReferenceExport).Hash
        [IO.File]::ReadAllText((Join-Path $backup 'secrets.db')) | Should -BeExactly ("{`"secret`":`"key one`",`"id`":`"user-1`",`"idx`":0}`n" + "{`"secret`":`"k\`"ü`",`"id`":`"user-3`",`"idx`":7}`n")
    }

    It 'writes secrets.db empty without -IncludeSecrets' {
        $store = New-StoreWithSecrets
        $backup = New-TestPath 'nosecrets'
        Export-EventStore $store -Directory $backup -WarningVariable left -WarningAction SilentlyContinue
        $left | Should -Match 'has 2 secrets, which this backup leaves out.*-IncludeSecrets'
        (Get-Item (Join-Path $backup 'secrets.db')).Length | Should -Be 0
        Test-Path (Join-Path $backup 'events.db') | Should -BeTrue
    }

    It 'restores events and secrets (with their idx) into a new store' {
        $store = New-StoreWithSecrets
        $backup = New-TestPath 'roundtrip'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        $restored = New-TestPath 'restored.db'
        $result = Import-EventStore $restored -Directory $backup
        $result.ImportedCount | Should -Be 600
        $result.ImportedSecretCount | Should -Be 2
        Get-StoreRows $restored | Should -Be (Get-StoreRows $store)
        Get-SecretRows $restored | Should -Be @('0|user-1|key one', '7|user-3|k"ü')
    }

    It 'replaces secrets with -Replace only when the backup holds some' {
        $store = New-StoreWithSecrets
        $empty = New-TestPath 'empty-secrets'
        Export-EventStore $store -Directory $empty -WarningVariable left -WarningAction SilentlyContinue
        $left | Should -HaveCount 1
        $target = New-StoreWithSecrets 'target.db'
        Invoke-SqliteQuery $target "INSERT INTO secrets(idx, id, secret) VALUES (9, 'only-in-target', 'x')" | Out-Null
        Import-EventStore $target -Directory $empty -Replace -Force -WarningVariable restored -WarningAction SilentlyContinue | Out-Null
        $restored | Should -Match 'without the 2 secrets'
        $restored | Should -HaveCount 1
        (Get-SecretRows $target).Count | Should -Be 4

        $full = New-TestPath 'full-secrets'
        Export-EventStore $store -Directory $full -IncludeSecrets
        Import-EventStore $target -Directory $full -Replace -Force | Out-Null
        Get-SecretRows $target | Should -Be @('0|user-1|key one', '7|user-3|k"ü')
    }

    It 'fails atomically on a secret that is already stored' {
        $store = New-StoreWithSecrets
        $backup = New-TestPath 'dup'
        Export-EventStore $store -Directory $backup -IncludeSecrets
        $target = New-TestPath 'dup-target.db'
        Import-EventStore $target -Directory $backup | Out-Null
        $before = (Get-FileHash $target).Hash
        $err = $null
        try { Import-EventStore $target -Directory $backup -Append -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^ImportEventStoreDuplicate(Event|Secret),'
        (Get-FileHash $target).Hash | Should -Be $before
    }

    It 'requires both files, as reSolve does, and creates nothing without them' {
        $backup = New-TestPath 'half'
        New-Item -ItemType Directory $backup | Out-Null
        Copy-Item $ReferenceExport (Join-Path $backup 'events.db')
        $target = New-TestPath 'half.db'
        { Import-EventStore $target -Directory $backup -ErrorAction Stop } |
            Should -Throw -ErrorId 'ImportEventStoreBackupFileNotFound,EventStoreTools.Cmdlets.ImportEventStoreCommand'
        Test-Path $target | Should -BeFalse
    }

    It 'writes nothing under -WhatIf, neither the backup nor the restore' {
        $store = New-StoreWithSecrets
        $backup = New-TestPath 'whatif'
        (Invoke-Captured { Export-EventStore $store -Directory $backup -IncludeSecrets -WhatIf }).WhatIf |
            Should -Be "What if: Performing the operation `"Export the events and secrets of '$store' as events.db and secrets.db`" on target `"$backup`"."
        Test-Path $backup | Should -BeFalse

        Export-EventStore $store -Directory $backup -IncludeSecrets
        $target = Copy-Fixture 'resolve-lite-600.db' 'whatif-target.db'
        $before = (Get-FileHash $target).Hash
        $replace = Invoke-Captured { Import-EventStore $target -Directory $backup -Replace -WhatIf }
        $replace.Output.Action | Should -Be 'Replaced'
        $replace.WhatIf[-1] | Should -Be "What if: Performing the operation `"Replace its 600 events with 600 events`" on target `"$target`"."
        (Get-FileHash $target).Hash | Should -Be $before
        $new = New-TestPath 'whatif-new.db'
        $create = Invoke-Captured { Import-EventStore $new -Directory $backup -WhatIf }
        $create.WhatIf | Should -Be @(
            "What if: Performing the operation `"Create an event store and import events`" on target `"$new`"."
            "What if: Performing the operation `"Create the store and write 600 events`" on target `"$new`".")
        Test-Path $new | Should -BeFalse
    }

    It 'restores a folder that reSolve''s own tooling wrote (secrets.db empty)' {
        $backup = New-TestPath 'resolve-made'
        New-Item -ItemType Directory $backup | Out-Null
        Copy-Item $ReferenceExport (Join-Path $backup 'events.db')
        New-Item -ItemType File (Join-Path $backup 'secrets.db') | Out-Null
        $target = New-TestPath 'from-resolve.db'
        (Import-EventStore $target -Directory $backup -WarningVariable w -WarningAction SilentlyContinue).ImportedCount | Should -Be 600
        "$w" | Should -Match 'no manifest'
        Get-StoreRows $target | Should -Be (Get-StoreRows (Copy-Fixture 'resolve-lite-600.db'))
    }

    It 'reports import progress up to the commit, and nothing when silenced' {
        $backup = New-TestPath 'progress'
        New-Item -ItemType Directory $backup | Out-Null
        Copy-Item $ReferenceExport (Join-Path $backup 'events.db')
        New-Item -ItemType File (Join-Path $backup 'secrets.db') | Out-Null
        $records = Get-ProgressRecord "Import-EventStore '$(Join-Path $TestDrive 'p1.db')' -Directory '$backup' -WarningAction SilentlyContinue | Out-Null"
        $records.StatusDescription | Should -Contain 'Committing 600 events'
        $records[-1].RecordType | Should -Be 'Completed'
        Get-ProgressRecord "Import-EventStore '$(Join-Path $TestDrive 'p2.db')' -Directory '$backup' -WarningAction SilentlyContinue | Out-Null" -Preference SilentlyContinue | Should -BeNullOrEmpty
    }
}
