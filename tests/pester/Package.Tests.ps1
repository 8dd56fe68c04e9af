BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

# What build.ps1 -Task Package does, on the built module: the .nupkg must install from a folder repository.
Describe 'The module package' {
    It 'installs with PSResourceGet from a local folder repository and works' {
        $repository = New-TestPath 'repository'
        $package = & (Join-Path $RepoRoot 'module/New-ModulePackage.ps1') -ModuleDirectory (Split-Path $ModuleManifest) -OutputDirectory $repository
        $package.Name | Should -Match '^EventStoreTools\.\d+\.\d+\.\d+\.nupkg$'

        $name = "EventStoreToolsTest$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        Register-PSResourceRepository -Name $name -Uri $repository -Trusted
        try {
            $found = Find-PSResource -Name EventStoreTools -Repository $name
            $found.Tags | Should -Contain 'reSolve'
            $found.ProjectUri | Should -Not -BeNullOrEmpty
            $found.LicenseUri | Should -Not -BeNullOrEmpty
            $installed = New-TestPath 'installed'
            New-Item -ItemType Directory $installed | Out-Null
            Save-PSResource -Name EventStoreTools -Repository $name -Path $installed -TrustRepository
        }
        finally { Unregister-PSResourceRepository -Name $name }

        $manifest = Get-ChildItem $installed -Recurse -Filter EventStoreTools.psd1 | Select-Object -First 1
        $store = Copy-Fixture 'resolve-lite-600.db'
        $command = Get-PwshCommand
        $exe = $command[0]
        $rest = @($command | Select-Object -Skip 1)
        $output = & $exe @rest -NoProfile -NonInteractive -Command "`$ProgressPreference='SilentlyContinue'; Import-Module '$($manifest.FullName)'; (Get-EventStore '$store').EventCount; (Get-Help Compare-EventStore).Synopsis" 2>&1
        $LASTEXITCODE | Should -Be 0
        $output[0] | Should -Be '600'
        "$($output[1])" | Should -Match 'differ'
    }
}
