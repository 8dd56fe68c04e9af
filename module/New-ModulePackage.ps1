<#
.SYNOPSIS
Packs the built module folder into a .nupkg that Install-PSResource, Save-PSResource and Install-Module
accept from a folder repository (Register-PSResourceRepository -Uri <folder> -Trusted); returns the file.
#>
[CmdletBinding()]
param(
    # The built module folder (its name is the module's name, as PSResourceGet requires).
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$manifest = Import-PowerShellDataFile (Join-Path $ModuleDirectory 'EventStoreTools.psd1')
New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
$package = Join-Path $OutputDirectory "EventStoreTools.$($manifest.ModuleVersion).nupkg"
Remove-Item $package -ErrorAction Ignore

# The package's manifest carries the command tags the PowerShell Gallery adds on publishing (PSCommand_<name> is what
# Find-PSResource -CommandName looks for; PSResourceGet reads them from the manifest inside the package), so a
# folder or feed repository finds the module by its commands too. The source manifest stays free of them.
$staging = Join-Path ([System.IO.Path]::GetTempPath()) "EventStoreTools-pack-$([guid]::NewGuid().ToString('N'))"
$stagedModule = Join-Path $staging (Split-Path $ModuleDirectory -Leaf)
try {
    New-Item -ItemType Directory -Path $staging | Out-Null
    Copy-Item $ModuleDirectory $stagedModule -Recurse
    $stagedManifest = Join-Path $stagedModule 'EventStoreTools.psd1'
    $commandTags = @('PSIncludes_Cmdlet') + @($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    $text = [System.IO.File]::ReadAllText($stagedManifest)
    $tagged = [regex]::Replace($text, '(?m)^(\s*Tags\s*=\s*@\()', { param($m) $m.Value + (($commandTags | ForEach-Object { "'$_'" }) -join ', ') + ', ' })
    [System.IO.File]::WriteAllText($stagedManifest, $tagged)
    $stagedTags = (Import-PowerShellDataFile $stagedManifest).PrivateData.PSData.Tags
    if (@($commandTags | Where-Object { $_ -notin $stagedTags }).Count) { throw "Could not add the command tags to the Tags of $stagedManifest." }

    # Compress-PSResource (PSResourceGet, shipped with pwsh 7.4+) packs without a network or a registered repository.
    Compress-PSResource -Path $stagedModule -DestinationPath $OutputDirectory
}
finally { Remove-Item $staging -Recurse -Force -ErrorAction Ignore }
if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
Get-Item $package
