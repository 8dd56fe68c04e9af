# A green run prints nothing that looks like trouble: -WhatIf messages go to the host, where no redirection reaches
# them, so every -WhatIf in the tests runs inside Invoke-Captured (TestHelpers.ps1), which keeps them for assertions.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # The commands given -WhatIf outside a script block passed to Invoke-Captured, as "file:line: command".
    function Find-UncapturedWhatIf([string] $Path) {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        $parameters = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandParameterAst] -and $args[0].ParameterName -eq 'WhatIf' }, $true)
        foreach ($command in $parameters.Parent) {
            $captured = $false
            for ($node = $command.Parent; $node -and -not $captured; $node = $node.Parent) {
                $captured = $node -is [System.Management.Automation.Language.ScriptBlockExpressionAst] -and
                    $node.Parent -is [System.Management.Automation.Language.CommandAst] -and $node.Parent.GetCommandName() -eq 'Invoke-Captured'
            }
            if (-not $captured) { "$(Split-Path $Path -Leaf):$($command.Extent.StartLineNumber): $($command.Extent.Text)" }
        }
    }
}

Describe 'Test output' {
    It 'runs every -WhatIf of the tests inside Invoke-Captured, so that no What-if line is printed' {
        # Only the files that name -WhatIf at all are parsed: the AST walk of every file takes seconds.
        $files = Get-ChildItem $PSScriptRoot -Filter '*.ps1' | Select-String -SimpleMatch '-WhatIf' -List | ForEach-Object Path
        $files.Count | Should -BeGreaterThan 10
        $files | ForEach-Object { Find-UncapturedWhatIf $_ } | Should -BeNullOrEmpty
    }

    It 'finds a -WhatIf outside Invoke-Captured, also one in a script block given to another command' {
        $file = Join-Path $TestDrive 'Sample.Tests.ps1'
        Set-Content $file @'
Invoke-Captured { Export-EventStore a.db -OutFile b.ndjson -WhatIf }
Export-EventStore a.db -OutFile b.ndjson -WhatIf
{ Start-IncrementalImport a.db -WhatIf } | Should -Throw
'@
        Find-UncapturedWhatIf $file | Should -Be @(
            'Sample.Tests.ps1:2: Export-EventStore a.db -OutFile b.ndjson -WhatIf'
            'Sample.Tests.ps1:3: Start-IncrementalImport a.db -WhatIf')
    }
}

Describe 'Invoke-Captured' {
    It 'keeps the What-if lines, warnings and output of the block, with the caller''s variables and functions' {
        $store = Copy-Fixture 'resolve-lite-600.db'
        $out = New-TestPath 'captured.ndjson'
        function Get-Greeting { "hello from $store" }
        $run = Invoke-Captured { Export-EventStore $store -OutFile $out -WhatIf; Write-Warning 'careful'; Get-Greeting }
        $run.Output | Should -Be "hello from $store"
        $run.WhatIf | Should -BeLike "What if: Performing the operation `"Export the events of '$store' as NDJSON*`" on target `"$out`"."
        $run.Warnings | Should -Be 'careful'
        $run.HostLines | Should -Be @($run.WhatIf[0], 'WARNING: careful')
        $run.Errors | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
    }

    It 'sets the variables afresh on each call, and does not change the caller''s' {
        $first = 'one'
        $shared = 'caller'
        (Invoke-Captured { $shared = 'inside'; "$first $shared" }).Output | Should -Be 'one inside'
        $shared | Should -Be 'caller'
        (Invoke-Captured { "[$first] $shared" }).Output | Should -Be '[one] caller'
        Remove-Variable first
        (Invoke-Captured { "[$first]" }).Output | Should -Be '[]'
    }

    It 'throws a terminating error again as its ErrorRecord, error id and target included' {
        $missing = New-TestPath 'missing.ndjson'
        $failure = { Invoke-Captured { Import-EventStore (New-TestPath 'never.db') -InFile $missing; 'not reached' } } |
            Should -Throw -ErrorId 'ImportEventStoreInputNotFound,EventStoreTools.Cmdlets.ImportEventStoreCommand' -PassThru
        $failure.TargetObject | Should -Be $missing
    }

    It 'writes a non-terminating error to the caller''s error stream and goes on' {
        $run = Invoke-Captured { Write-Error 'soft failure'; 'went on' } -ErrorVariable failures -ErrorAction SilentlyContinue
        $run.Output | Should -Be 'went on'
        $run.Errors.Exception.Message | Should -Be 'soft failure'
        "$failures" | Should -Be 'soft failure'
    }
}
