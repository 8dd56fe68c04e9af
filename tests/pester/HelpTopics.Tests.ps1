# The about_EventStoreTools_* topics are generated at build time from docs pages (module/help/New-AboutHelp.ps1), so
# the text is kept once: through the built module, Get-Help shows each page whole, as plain text, and
# about_EventStoreTools points to every cmdlet and every topic.
BeforeDiscovery {
    $script:Topics = @(
        @{ Topic = 'about_EventStoreTools_Backups'; Page = 'backups.md' }
        @{ Topic = 'about_EventStoreTools_IncrementalImport'; Page = 'incremental-import.md' }
        @{ Topic = 'about_EventStoreTools_PostgreSQL'; Page = 'postgresql.md' }
        @{ Topic = 'about_EventStoreTools_LiveMigration'; Page = 'live-migration.md' }
        @{ Topic = 'about_EventStoreTools_Recipes'; Page = 'recipes.md' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'MarkdownBlocks.ps1')

    # The words of a text, lower case, in order: what a conversion from Markdown to plain text must keep.
    function script:Get-Words([string] $Text) {
        ([regex]::Matches($Text, '[\p{L}\p{N}]+') | ForEach-Object { $_.Value.ToLowerInvariant() }) -join ' '
    }
}

Describe 'Help topic <Topic>' -ForEach $Topics {
    BeforeAll {
        $script:Text = Get-Help $Topic | Out-String
        $script:Source = Join-Path $RepoRoot "docs/$Page"
    }

    It 'is found by Get-Help through the built module and names its source, docs/<Page>' {
        $Text | Should -Match "(?m)^TOPIC\s+$Topic\s*$"
        $Text | Should -Match "(?m)^SEE ALSO\s+about_EventStoreTools\s+docs/$([regex]::Escape($Page)) \(this topic is generated from it\)"
    }

    It 'holds every word of docs/<Page> in order, the title as its short description, and no other' {
        $body = [regex]::Match($Text, '(?s)SHORT DESCRIPTION\s*\n(.*?)\nLONG DESCRIPTION\s*\n(.*?)\nSEE ALSO')
        $body.Success | Should -BeTrue
        # A link keeps its text (its address is not text a reader of plain text can follow); a fence or a code span its code.
        $markdown = (Get-Content $Source -Raw) -replace '\]\([^)]*\)', ']' -replace '(?m)^```\S*', '' -replace '`([^`\n]*)`', '$1'
        Get-Words ($body.Groups[1].Value + ' ' + $body.Groups[2].Value) | Should -Be (Get-Words $markdown)
        $Text | Should -Not -Match '\]\(|\*\*|```' -Because 'Markdown markup is dropped'
    }

    It 'keeps code blocks line for line, indented, and wraps prose at 80 columns' {
        $lines = $Text -split '\r?\n'
        foreach ($heading in Get-MarkdownHeading $Source) {
            foreach ($block in Get-MarkdownCodeBlock $Source $heading) {
                foreach ($line in ($block.Code.TrimEnd() -split '\n' | Where-Object { $_.Trim() })) {
                    $lines | Should -Contain "        $line" -Because "the code of '$heading' is shown as written"
                }
            }
        }
        $prose = @($lines | Where-Object { $_ -notmatch '^ {8}' -and $_ -notmatch '\(this topic is generated from it\)$' })
        $prose.Count | Should -BeGreaterThan 5
        $prose | Where-Object Length -gt 80 | Should -BeNullOrEmpty
    }
}

Describe 'about_EventStoreTools' -ForEach @(@{ Expected = $Topics.Topic }) {
    It 'names every cmdlet and every generated topic, and the build made no other topic' {
        $about = Get-Help about_EventStoreTools | Out-String
        foreach ($command in (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport) {
            $about | Should -Match "\b$([regex]::Escape($command))\b" -Because "about_EventStoreTools covers $command"
        }
        $built = @(Get-ChildItem (Join-Path (Split-Path $ModuleManifest) 'en-US') -Filter 'about_EventStoreTools_*.help.txt' |
            ForEach-Object { $_.Name -replace '\.help\.txt$' })
        $built | Sort-Object | Should -Be @($Expected | Sort-Object)
        foreach ($topic in $built) { $about | Should -Match "\b$topic\b" }
    }
}
