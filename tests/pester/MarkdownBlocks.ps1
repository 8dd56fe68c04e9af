# Dot-sourced by the tests that run the code of a Markdown page (the README's tour, docs/recipes.md), so that the
# text a reader sees and the code the suite runs are one.

# The fenced code blocks under a '## ' heading of a Markdown file, in order: each with its language (the word after
# the opening fence, empty if none) and its code.
function Get-MarkdownCodeBlock([string] $Path, [string] $Heading) {
    $text = (Get-Content $Path -Raw) -replace "`r`n", "`n"
    $section = [regex]::Match($text, '(?ms)^## ' + [regex]::Escape($Heading) + '\s*$(.*?)(?=^## |\z)')
    if (-not $section.Success) { throw "$Path has no section '## $Heading'." }
    foreach ($block in [regex]::Matches($section.Groups[1].Value, '(?ms)^```(\S*)[ \t]*\n(.*?)^```')) {
        [pscustomobject]@{ Language = $block.Groups[1].Value; Code = $block.Groups[2].Value }
    }
}

# The '## ' headings of a Markdown file, in order.
function Get-MarkdownHeading([string] $Path) {
    Get-Content $Path | Where-Object { $_ -match '^## ' } | ForEach-Object { $_.Substring(3).Trim() }
}
