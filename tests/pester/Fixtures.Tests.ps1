# The repository stands alone: everything the tests and the benchmark read is in it (tests/fixtures) or made by
# them, and the fixtures that reSolve's output defines are still what reSolve's real adapter writes.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The files of the repository as a clone has them (git's list where there is one, else the tree without what
    # a build or an install adds), text only.
    function Get-RepositoryTextFile {
        $binary = '.db', '.gz', '.zst', '.png', '.nupkg', '.dll', '.so'
        $files = if (Test-Path (Join-Path $RepoRoot '.git')) {
            @(git -C $RepoRoot ls-files --cached --others --exclude-standard) | ForEach-Object { Join-Path $RepoRoot $_ }
        }
        else {
            Get-ChildItem $RepoRoot -Recurse -File | Where-Object FullName -NotMatch '[\\/](out|bin|obj|node_modules|packages|TestResults)[\\/]' |
                ForEach-Object FullName
        }
        # Fixture and corpus data are events, not code that could name a path.
        $files | Where-Object { (Test-Path $_ -PathType Leaf) -and [IO.Path]::GetExtension($_) -notin $binary -and $_ -notmatch '[\\/]tests[\\/](fixtures|corpus)[\\/]' }
    }

    # Each place where a file names a path outside the repository: a relative path that climbs out of it from the
    # file's own folder, one that climbs above the repository's root variable, a sibling folder of the work tree
    # by name, or an absolute path of this machine's layout.
    function Find-OutsideReference([string] $File) {
        $root = [IO.Path]::GetFullPath($RepoRoot).TrimEnd([IO.Path]::DirectorySeparatorChar)
        $folder = Split-Path $File
        $lineNumber = 0
        foreach ($line in [IO.File]::ReadLines($File)) {
            $lineNumber++
            $reasons = @(
                foreach ($match in [regex]::Matches($line, '(?:\.\.[\\/])+(?:\.\.(?![\w.])|[\w.-]+)?')) {
                    $target = [IO.Path]::GetFullPath((Join-Path $folder ($match.Value -replace '\\', '/')))
                    if ($target -ne $root -and -not $target.StartsWith($root + [IO.Path]::DirectorySeparatorChar)) { "'$($match.Value)' leaves the repository" }
                }
                if ($line -match 'RepoRoot\W{0,8}[''"]\.\.') { 'climbs above the repository root' }
                if ($line -match '(?<![\w.-])shared[\\/](fixtures|spec)\b') { 'names the reference folder beside the repository' }
                if ($line -match '(?<![\w.])[/]work[/]') { 'names an absolute path of the development machine' }
            )
            foreach ($reason in $reasons) { '{0}:{1}: {2}' -f [IO.Path]::GetRelativePath($RepoRoot, $File), $lineNumber, $reason }
        }
    }
}

Describe 'The repository stands alone' {
    It 'names no path outside itself in any file (code, tests, benchmark, build, docs)' {
        $files = @(Get-RepositoryTextFile)
        $files.Count | Should -BeGreaterThan 100 -Because 'the whole repository is scanned'
        $found = @(foreach ($file in $files) { Find-OutsideReference $file })
        $found | Should -BeNullOrEmpty -Because "a clone has nothing beside it:`n$($found -join "`n")"
    }

    It 'finds such a reference when one is planted (the check itself works)' {
        $planted = Join-Path $RepoRoot 'tests/pester/planted-reference.tmp.ps1'
        try {
            # Built from pieces, so that this file does not itself hold what it plants.
            $up = '..' + '/'
            Set-Content $planted @(
                "`$a = Join-Path `$RepoRoot '$($up)sha' + 'red'",
                "`$b = Join-Path `$PSScriptRoot '$up$up$($up)elsewhere/x.db'",
                "`$c = Join-Path `$PSScriptRoot '$($up)fixtures/resolve-lite-600.db'",
                "`$d = '$('sha' + 'red')/fixtures/resolve-lite-600.db'"
            )
            $found = @(Find-OutsideReference $planted)
            $lines = @($found | ForEach-Object { [int]($_ -replace '^[^:]*:(\d+):.*$', '$1') } | Sort-Object -Unique)
            $lines | Should -Be @(1, 2, 4) -Because ($found -join "`n")
        }
        finally { Remove-Item $planted -Force -ErrorAction Ignore }
    }

    It 'holds the fixtures reSolve wrote, with their README' {
        foreach ($name in 'README.md', 'resolve-lite-600.db', 'resolve-lite-600.export.ndjson', 'incremental/base.export.ndjson') {
            Join-Path $Fixtures $name | Should -Exist
        }
        @(Get-ChildItem (Join-Path $Fixtures 'incremental') -Filter '*.input.ndjson').Count | Should -Be 5
        (Get-EventStore (Copy-Fixture 'resolve-lite-600.db')).EventCount | Should -Be 600
    }
}

Describe 'The committed fixtures are what reSolve writes' -Tag 'Compat' {
    It 'remakes the export and every incremental dump with reSolve''s eventstore-lite and finds them byte-identical' {
        $node = Get-Command node -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if (-not $node) { throw 'node not found: the compatibility checks need Node.js 20' }
        $output = & $node.Source (Join-Path $RepoRoot 'tests/compat/fixtures.js') --work (Join-Path $TestDrive 'remade') 2>&1 | ForEach-Object { "$_" }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output[-1] | Should -Match '^6 fixture files remade by reSolve, 0 differ'
    }
}
