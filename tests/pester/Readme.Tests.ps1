# The README's five-minute tour runs as written: a newcomer's path from nothing to a verified, compressed backup
# with secrets, its restore, an incremental import and a move to PostgreSQL. Its code blocks are taken from the
# README itself, so the text and the test cannot drift apart.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'PostgresServer.ps1')
    . (Join-Path $PSScriptRoot 'MarkdownBlocks.ps1')

    # The text of every powershell block under a heading of the README.
    function Get-ReadmeBlock([string] $Heading) {
        (Get-MarkdownCodeBlock (Join-Path $RepoRoot 'README.md') $Heading | Where-Object Language -eq 'powershell').Code
    }
}

Describe 'The README' -Tag 'Postgres' {
    BeforeAll {
        $script:Server = Start-TestPostgres
    }

    AfterAll { Stop-TestPostgres $Server }

    It 'is a quick start of at most about 150 lines that links to every docs page' {
        $lines = Get-Content (Join-Path $RepoRoot 'README.md')
        $lines.Count | Should -BeLessOrEqual 160
        $readme = $lines -join "`n"
        foreach ($page in Get-ChildItem (Join-Path $RepoRoot 'docs') -Filter '*.md') {
            $readme | Should -Match ([regex]::Escape("(docs/$($page.Name))")) -Because "the README links to $($page.Name)"
        }
        foreach ($link in [regex]::Matches($readme, '\]\((docs/[^)#]+)')) {
            Join-Path $RepoRoot $link.Groups[1].Value | Should -Exist
        }
    }

    It 'runs its five-minute tour as written, ending with a verified backup, an identical restore and the store in PostgreSQL' {
        $tour = @(Get-ReadmeBlock 'Five-minute tour')
        $tour.Count | Should -Be 1
        $schema = New-TestSchema
        # Only what points at this machine changes: the built module, the suite's server and a fresh schema.
        $script = $tour[0].Replace('./out/EventStoreTools/EventStoreTools.psd1', $ModuleManifest).
            Replace("'Host=localhost;Database=postgres;Username=postgres'", "'$($Server.ConnectionString)'").
            Replace('-Schema app', "-Schema $schema")
        $script | Should -Not -Be $tour[0]
        $folder = Join-Path $TestDrive 'newcomer'
        New-Item -ItemType Directory $folder | Out-Null
        $run = Invoke-ScriptInFolder $script $folder 'tour.ps1'
        $run.ExitCode | Should -Be 0 -Because $run.Output

        $tourFolder = Join-Path $folder 'tour'
        $backup = Join-Path $tourFolder 'backup.ndjson.zst'
        $check = Test-EventStore $backup
        $check.IsValid | Should -BeTrue
        $check.EventCount | Should -Be 5000
        $check.SecretCount | Should -Be 100
        @(Get-ChildItem $tourFolder -Filter 'backup.ndjson*').Name | Sort-Object |
            Should -Be @('backup.ndjson.secrets.zst', 'backup.ndjson.zst', 'backup.ndjson.zst.manifest.json') -Because 'events and secrets are compressed, with a manifest beside them'
        $restored = Join-Path $tourFolder 'restored.db'
        (Compare-EventStore (Join-Path $tourFolder 'sample.db') $restored -Summary).Identical | Should -BeTrue
        (Get-EventStore $restored).SecretCount | Should -Be 100
        (Get-EventStore (Join-Path $tourFolder 'behind.db')).EventCount | Should -Be 5000
        (Get-EventStore -ConnectionString $Server.ConnectionString -Schema $schema).EventCount | Should -Be 5000
    }
}
