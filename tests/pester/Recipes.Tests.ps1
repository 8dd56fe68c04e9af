# docs/recipes.md runs as written: each recipe's powershell blocks are taken from the page itself and run in a fresh
# pwsh, in a folder holding the sample store they start from, with the built module on PSModulePath as an installed
# one would be. Only what points at this machine changes (the suite's PostgreSQL server and a fresh schema).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    . (Join-Path $PSScriptRoot 'MarkdownBlocks.ps1')
    $script:RecipesPage = Join-Path $RepoRoot 'docs/recipes.md'
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath

    function script:Get-RecipeBlock([string] $Heading, [string] $Language = 'powershell') {
        @(Get-MarkdownCodeBlock $RecipesPage $Heading | Where-Object Language -eq $Language).Code
    }

    # The one powershell block of a recipe.
    function script:Get-RecipeCode([string] $Heading) {
        $blocks = @(Get-RecipeBlock $Heading)
        $blocks.Count | Should -Be 1 -Because "'$Heading' has one powershell block"
        $blocks[0]
    }

    # A fresh folder holding the sample store the recipes name ./app.db.
    function script:New-RecipeFolder {
        $folder = New-CaseFolder
        New-EventStore (Join-Path $folder 'app.db') -SampleEventCount 1000 -Seed 7 | Out-Null
        $folder
    }

    function script:Invoke-Recipe([string] $Code, [string] $Folder) {
        $run = Invoke-ScriptInFolder $Code $Folder 'recipe.ps1'
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output
    }

    # The backup recipe's script, saved as backup.ps1 in a folder.
    function script:Save-BackupScript([string] $Folder) {
        Set-Content (Join-Path $Folder 'backup.ps1') (Get-RecipeCode 'Daily compressed backups with rotation and a verify step')
    }

    $script:Today = Get-Date -Format yyyy-MM-dd
    $script:PointInTime = '2024-01-01T00:05:00Z'
}

AfterAll { $env:PSModulePath = $SavedModulePath }

Describe 'The recipes page' {
    It 'has the recipes this file runs, each with code, and the README links to it' {
        Get-MarkdownHeading $RecipesPage | Should -Be @(
            'Daily compressed backups with rotation and a verify step', 'Restore to a point in time',
            'Merge a branch store into the main one', 'Move a live SQLite store to PostgreSQL',
            'Run the backup every night', 'Test your backup script with Pester') -Because 'a new recipe needs its test here'
        foreach ($heading in Get-MarkdownHeading $RecipesPage) {
            @(Get-MarkdownCodeBlock $RecipesPage $heading).Count | Should -BeGreaterThan 0 -Because "'$heading' opens with its commands"
        }
        Get-Content (Join-Path $RepoRoot 'README.md') -Raw | Should -Match ([regex]::Escape('(docs/recipes.md)'))
    }
}

Describe 'Recipe: daily compressed backups' {
    It 'backs up into a dated zstd folder that verifies and equals the store, keeping the 7 newest of 9 backups' {
        $folder = New-RecipeFolder
        Save-BackupScript $folder
        # Eight older backups, and a folder without a manifest (a failed run's leftover) that rotation leaves alone
        $old = Join-Path $TestDrive 'old-backup'
        Export-EventStore (Join-Path $folder 'app.db') -Directory $old -Compression Zstandard -IncludeSecrets
        foreach ($day in 1..8) { Copy-Item $old (Join-Path $folder "backups/2020-01-0$day") -Recurse }
        New-Item -ItemType Directory (Join-Path $folder 'backups/2019-12-31') | Out-Null

        Invoke-Recipe './backup.ps1' $folder

        $backups = Join-Path $folder 'backups'
        (Get-ChildItem $backups -Directory).Name | Sort-Object |
            Should -Be @('2019-12-31', '2020-01-03', '2020-01-04', '2020-01-05', '2020-01-06', '2020-01-07', '2020-01-08', $Today)
        $backup = Join-Path $backups $Today
        (Get-ChildItem $backup).Name | Sort-Object | Should -Be @('events.db.zst', 'eventstoretools-manifest.json', 'secrets.db.zst')
        $check = Test-EventStore $backup
        $check.IsValid | Should -BeTrue
        $check.SecretCount | Should -Be (Get-EventStore (Join-Path $folder 'app.db')).SecretCount
        (Compare-EventStore (Join-Path $folder 'app.db') $backup -Summary).Identical | Should -BeTrue
    }

    It 'stops with a failure before rotating when the store cannot be backed up' {
        $folder = New-CaseFolder
        Save-BackupScript $folder
        Set-Content (Join-Path $folder 'app.db') 'not a database'
        $kept = Join-Path $folder 'backups/2020-01-01'
        New-GeneratedStore (Join-Path $folder 'good.db') 10
        Export-EventStore (Join-Path $folder 'good.db') -Directory $kept

        $run = Invoke-ScriptInFolder './backup.ps1 -Keep 0' $folder 'recipe.ps1'

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -Match 'not a SQLite database'
        (Test-EventStore $kept).IsValid | Should -BeTrue -Because 'nothing was rotated away'
    }
}

Describe 'Recipe: restore to a point in time' {
    It 'restores from the newest backup exactly the events up to -Until, with the secrets' {
        $folder = New-RecipeFolder
        $store = Join-Path $folder 'app.db'
        Export-EventStore $store -Directory (Join-Path $folder 'backups/2026-12-01') -Until '2024-01-01T00:01:00Z'
        Export-EventStore $store -Directory (Join-Path $folder 'backups/2026-12-02') -IncludeSecrets

        Invoke-Recipe (Get-RecipeCode 'Restore to a point in time') $folder

        $restored = Join-Path $folder 'restored.db'
        $expected = Join-Path $folder 'expected'
        Export-EventStore $store -Directory $expected -Until $PointInTime -IncludeSecrets
        (Compare-EventStore $restored $expected -Summary).Identical | Should -BeTrue
        $info = Get-EventStore $restored
        $info.EventCount | Should -BeGreaterThan (Test-EventStore (Join-Path $folder 'backups/2026-12-01')).EventCount -Because 'the newest backup was taken'
        $info.EventCount | Should -BeLessThan (Get-EventStore $store).EventCount
        $info.LastEventTime | Should -BeLessOrEqual ([DateTimeOffset] $PointInTime)
        $info.SecretCount | Should -Be (Get-EventStore $store).SecretCount
    }
}

Describe 'Recipe: merge a branch store into the main one' {
    It 'imports into main what it lacks of the branch, and a second run changes nothing' {
        $folder = New-RecipeFolder
        $main = Join-Path $folder 'main.db'
        Export-EventStore (Join-Path $folder 'app.db') -Until $PointInTime | Import-EventStore $main | Out-Null
        Move-Item (Join-Path $folder 'app.db') (Join-Path $folder 'branch.db')
        $before = (Get-EventStore $main).EventCount
        $code = Get-RecipeCode 'Merge a branch store into the main one'

        Invoke-Recipe $code $folder

        (Get-EventStore $main).EventCount | Should -Be 1000
        $before | Should -BeLessThan 1000
        $merged = (Get-FileHash $main).Hash
        Invoke-Recipe $code $folder
        (Get-FileHash $main).Hash | Should -Be $merged -Because 'a second merge imports nothing'
    }
}

Describe 'Recipe: move a live SQLite store to PostgreSQL' -Tag 'Postgres' {
    BeforeAll { $script:Server = Start-TestPostgres }
    AfterAll { Stop-TestPostgres $Server }

    It 'mirrors, cuts over with a full verify, and leaves the SQLite store frozen and identical to PostgreSQL' {
        $folder = New-RecipeFolder
        $schema = New-TestSchema
        $recipe = Get-RecipeCode 'Move a live SQLite store to PostgreSQL'
        $code = $recipe.Replace("'Host=localhost;Database=postgres;Username=postgres'", "'$($Server.ConnectionString)'") -replace '(Schema) app\b', "`$1 $schema"
        $code | Should -Not -Be $recipe

        Invoke-Recipe $code $folder

        $store = Join-Path $folder 'app.db'
        (Get-EventStore $store).IsFrozen | Should -BeTrue
        (Get-EventStore -ConnectionString $Server.ConnectionString -Schema $schema).EventCount | Should -Be 1000
        (Compare-EventStore $store -DifferenceConnectionString $Server.ConnectionString -DifferenceSchema $schema -Summary).Identical | Should -BeTrue
    }
}

Describe 'Recipe: run the backup every night' {
    It 'is shown, not run: a crontab line and a Task Scheduler registration that run backup.ps1 with pwsh -File' {
        Get-RecipeBlock 'Run the backup every night' | Should -BeNullOrEmpty -Because 'no block of it is a powershell block the suite would run'
        $cron = @(Get-RecipeBlock 'Run the backup every night' 'sh')
        $cron.Count | Should -Be 1
        $cron[0] | Should -Match '(?m)^(\S+\s+){5}pwsh -NoProfile -File \S+/backup\.ps1\b'
        $task = @(Get-RecipeBlock 'Run the backup every night' 'pwsh')
        $task.Count | Should -Be 1
        $parseErrors = $null
        [System.Management.Automation.Language.Parser]::ParseInput($task[0], [ref] $null, [ref] $parseErrors) | Out-Null
        $parseErrors | Should -BeNullOrEmpty
        $task[0] | Should -Match "-File [^']+\\backup\.ps1'"
        $task[0] | Should -Match 'Register-ScheduledTask .*-Action \$action -Trigger \$trigger'
    }
}

Describe 'Recipe: test your backup script with Pester' {
    It 'passes every test of the recipe''s backup.Tests.ps1 against the recipe''s backup.ps1, run by Invoke-Pester' {
        $folder = New-CaseFolder
        Save-BackupScript $folder
        $tests = Get-RecipeCode 'Test your backup script with Pester'
        Set-Content (Join-Path $folder 'backup.Tests.ps1') $tests
        $pester = (Get-Module Pester).Path

        $output = Invoke-Recipe "Import-Module '$pester'; `$result = Invoke-Pester ./backup.Tests.ps1 -PassThru -Output Detailed; 'counts ' + `$result.PassedCount + ' ' + `$result.FailedCount" $folder

        $itCount = [regex]::Matches($tests, "(?m)^\s+It '").Count
        $itCount | Should -Be 3
        $output | Should -Match "counts $itCount 0" -Because $output
    }
}
