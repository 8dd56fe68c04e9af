<#
.SYNOPSIS
Writes the about_EventStoreTools_* help topics from the docs pages they are generated from, so that a page's text is
kept once: Get-Help about_EventStoreTools_Backups shows docs/backups.md as plain text.

.DESCRIPTION
Markdown becomes the about_ text format: the page's title is the short description, '## ' headings are upper-case
section titles, paragraphs and list items are wrapped at 80 columns and indented, code blocks are indented further
and left as they are, and inline markup is dropped (a link keeps its text). Every word of the page stays, in order.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsDirectory,
    [Parameter(Mandatory)] [string] $OutDirectory
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Topic name suffix => docs page: the pages a user looks up while working in PowerShell.
$Topics = [ordered]@{
    Backups           = 'backups.md'
    IncrementalImport = 'incremental-import.md'
    PostgreSQL        = 'postgresql.md'
    LiveMigration     = 'live-migration.md'
    Recipes           = 'recipes.md'
}
$Width = 80

function ConvertTo-PlainText([string] $Text) {
    $text = $Text -replace '\[([^\]]*)\]\([^)]*\)', '$1'
    # Emphasis outside code spans only: a code span keeps its asterisks.
    $parts = $text -split '(`[^`]*`)'
    $plain = foreach ($part in $parts) {
        if ($part.StartsWith('`')) { $part.Trim('`') }
        else { $part -replace '\*\*([^*]+)\*\*', '$1' -replace '(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])', '$1' }
    }
    $plain -join ''
}

# Words of a text as lines of at most $Width columns; the first line after $FirstIndent, the others after $Indent.
function Format-Wrapped([string] $Text, [string] $FirstIndent, [string] $Indent) {
    $line = $FirstIndent
    $empty = $true
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $line
            $line = $Indent + $word
        }
        else { $line += ($empty ? '' : ' ') + $word }
        $empty = $false
    }
    if (-not $empty) { $line }
}

function ConvertTo-AboutText([string] $Markdown) {
    $lines = ($Markdown -replace "`r`n", "`n").TrimEnd() -split "`n"
    $body = [System.Collections.Generic.List[string]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $listItem = $false
    $inCode = $false

    # Writes the paragraph or list item gathered so far.
    function Complete-Paragraph {
        if ($paragraph.Count -eq 0) { return }
        $text = ConvertTo-PlainText ($paragraph -join ' ')
        if ($listItem) { Format-Wrapped $text '    - ' '      ' | ForEach-Object { $body.Add($_) } }
        else { Format-Wrapped $text '    ' '    ' | ForEach-Object { $body.Add($_) } }
        $paragraph.Clear()
    }

    $title = $null
    foreach ($line in $lines) {
        if ($inCode) {
            if ($line -match '^```') { $inCode = $false }
            else { $body.Add(($line ? "        $line" : '')) }
            continue
        }
        if ($line -match '^```') {
            Complete-Paragraph
            if ($body.Count -and $body[-1]) { $body.Add('') }
            $inCode = $true
            continue
        }
        if ($line -match '^# (.+)$' -and -not $title) { $title = ConvertTo-PlainText $Matches[1]; continue }
        if ($line -match '^#{2,} (.+)$') {
            Complete-Paragraph
            if ($body.Count -and $body[-1]) { $body.Add('') }
            $body.Add((ConvertTo-PlainText $Matches[1]).ToUpperInvariant())
            continue
        }
        if ($line -match '^\s*$') { Complete-Paragraph; if ($body.Count -and $body[-1]) { $body.Add('') }; continue }
        if ($line -match '^\|') {
            Complete-Paragraph
            if ($line -notmatch '^\|[\s|:-]+\|\s*$') {
                $cells = $line.Trim().Trim('|') -split '(?<!\\)\|' | ForEach-Object { $_.Trim() }
                Format-Wrapped (ConvertTo-PlainText ($cells -join ' | ')) '    ' '      ' | ForEach-Object { $body.Add($_) }
            }
            continue
        }
        if ($line -match '^- (.*)$') { Complete-Paragraph; $listItem = $true; $paragraph.Add($Matches[1]); continue }
        if ($paragraph.Count -eq 0) { $listItem = $false }
        $paragraph.Add($line.Trim())
    }
    Complete-Paragraph
    if (-not $title) { throw 'The page has no "# " title.' }
    [pscustomobject]@{ Title = $title; Body = $body }
}

New-Item -ItemType Directory -Path $OutDirectory -Force | Out-Null
foreach ($topic in $Topics.GetEnumerator()) {
    $page = Join-Path $DocsDirectory $topic.Value
    $about = ConvertTo-AboutText (Get-Content $page -Raw)
    $name = "about_EventStoreTools_$($topic.Key)"
    $text = @(
        'TOPIC', "    $name", ''
        'SHORT DESCRIPTION', "    $($about.Title)", ''
        'LONG DESCRIPTION'
        ($about.Body | Select-Object -SkipLast ($about.Body[-1] ? 0 : 1))
        '', 'SEE ALSO', '    about_EventStoreTools'
        "    docs/$($topic.Value) (this topic is generated from it)"
    )
    Set-Content (Join-Path $OutDirectory "$name.help.txt") $text -Encoding utf8NoBOM
}
