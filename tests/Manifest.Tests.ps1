# Pester 5: the module manifest is ready for a gallery. MessagingTools.psd1 at the repository root (the source, the one
# source of the version) and the manifest the build writes from it (output/MessagingTools/<version>/MessagingTools.psd1,
# src/MessagingTools/MessagingTools.csproj target WriteModuleManifest) both pass Test-ModuleManifest; the built one
# adds only the RootModule, the format paths beside it and the release notes of CHANGELOG.md; ProjectUri, LicenseUri
# and Tags are set; the module folder ships the MIT LICENSE and no XML file but its help.
# The package itself (output/MessagingTools.<version>.nupkg) is checked in Package.Tests.ps1.

Describe 'The module manifest' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $RepoRoot = Split-Path -Parent $PSScriptRoot
        $SourceManifest = Join-Path $RepoRoot 'MessagingTools.psd1'
        $BuiltManifest = Get-BuiltModulePath
        $ModuleFolder = Split-Path -Parent $BuiltManifest
        $Version = Get-ModuleVersion
        if (-not (Test-Path -LiteralPath $BuiltManifest)) {
            throw "The module is not built: '$BuiltManifest' does not exist. Run ./build.ps1 -Task Build first."
        }
        $Source = Import-PowerShellDataFile -LiteralPath $SourceManifest
        $Built = Import-PowerShellDataFile -LiteralPath $BuiltManifest

        function Get-FullPath {
            # One spelling of a path (Join-Path keeps the '/' of 'output/MessagingTools' on Windows).
            param([string]$Path)
            return [System.IO.Path]::GetFullPath($Path).TrimEnd([System.IO.Path]::DirectorySeparatorChar)
        }

        function Invoke-TestModuleManifest {
            # Test-ModuleManifest with every error and warning it writes collected: Module, Problems (text).
            param([string]$Path)
            $problems = $null
            $warnings = $null
            $module = Test-ModuleManifest -Path $Path -ErrorAction SilentlyContinue -ErrorVariable problems -WarningAction SilentlyContinue -WarningVariable warnings
            [pscustomobject]@{
                Module   = $module
                Problems = @(@($problems) + @($warnings) | Where-Object { $null -ne $_ } | ForEach-Object { $_.ToString() })
            }
        }

        function Get-ChangelogSection {
            # The text under "## <version>" of CHANGELOG.md up to the next "## " heading, trimmed (what the build takes).
            param([string]$Version)
            $text = Get-Content -LiteralPath (Join-Path $RepoRoot 'CHANGELOG.md') -Raw -Encoding UTF8
            $pattern = '(?ms)^## \[?' + [regex]::Escape($Version) + '\]?(?:[ \t][^\r\n]*)?\r?\n(.*?)(?=^## |\z)'
            $match = [regex]::Match($text, $pattern)
            if (-not $match.Success) { return $null }
            return $match.Groups[1].Value.Trim()
        }
    }

    It 'passes Test-ModuleManifest in the repository (MessagingTools.psd1, the source)' {
        $test = Invoke-TestModuleManifest -Path $SourceManifest
        $test.Problems | Should -BeNullOrEmpty
        $test.Module.Name | Should -Be 'MessagingTools'
        [string]$test.Module.Version | Should -Be $Version
        # The format files are found where they are kept: src/MessagingTools/.
        @($test.Module.ExportedFormatFiles).Count | Should -Be @(Get-ChildItem -Path (Join-Path $RepoRoot 'src/MessagingTools') -Filter '*.Format.ps1xml').Count
        foreach ($file in @($test.Module.ExportedFormatFiles)) {
            $file | Should -Exist
            (Get-FullPath (Split-Path -Parent $file)) | Should -Be (Get-FullPath (Join-Path $RepoRoot (Join-Path 'src' 'MessagingTools')))
        }
    }

    It 'passes Test-ModuleManifest as the build writes it (output/MessagingTools/<version>/MessagingTools.psd1)' {
        $test = Invoke-TestModuleManifest -Path $BuiltManifest
        $test.Problems | Should -BeNullOrEmpty
        $test.Module.Name | Should -Be 'MessagingTools'
        [string]$test.Module.Version | Should -Be $Version
        $test.Module.RootModule | Should -Be 'MessagingTools.dll'
        @($test.Module.ExportedFormatFiles).Count | Should -Be @(Get-ChildItem -Path (Join-Path $RepoRoot 'src/MessagingTools') -Filter '*.Format.ps1xml').Count
        foreach ($file in @($test.Module.ExportedFormatFiles)) {
            $file | Should -Exist
            (Get-FullPath (Split-Path -Parent $file)) | Should -Be (Get-FullPath $ModuleFolder)
        }
    }

    It 'says what the source says, but for the RootModule, the format paths and the release notes the build adds' {
        $Source.ContainsKey('RootModule') | Should -BeFalse -Because 'the dll exists only in the build output, so the source has RootModule as a comment'
        $Built.RootModule | Should -Be 'MessagingTools.dll'
        (@($Built.FormatsToProcess) -join ', ') | Should -Be (@($Source.FormatsToProcess | ForEach-Object { Split-Path -Leaf $_ }) -join ', ')
        $Source.PrivateData.PSData.ReleaseNotes | Should -BeNullOrEmpty -Because 'CHANGELOG.md is the one source of the release notes'

        foreach ($key in @($Source.Keys + $Built.Keys | Sort-Object -Unique)) {
            if (@('RootModule', 'FormatsToProcess', 'PrivateData') -contains $key) { continue }
            (ConvertTo-Json -InputObject $Built[$key] -Depth 5 -Compress) | Should -Be (ConvertTo-Json -InputObject $Source[$key] -Depth 5 -Compress) -Because "the build copies $key"
        }
        foreach ($key in @($Source.PrivateData.PSData.Keys + $Built.PrivateData.PSData.Keys | Sort-Object -Unique)) {
            if ($key -eq 'ReleaseNotes') { continue }
            (ConvertTo-Json -InputObject $Built.PrivateData.PSData[$key] -Depth 5 -Compress) | Should -Be (ConvertTo-Json -InputObject $Source.PrivateData.PSData[$key] -Depth 5 -Compress) -Because "the build copies PSData.$key"
        }
    }

    It 'has a project address, a license address and tags for a gallery' {
        $data = $Built.PrivateData.PSData
        foreach ($name in @('ProjectUri', 'LicenseUri')) {
            [string]$data[$name] | Should -Not -BeNullOrEmpty -Because "a gallery shows $name"
            $uri = $null
            [System.Uri]::TryCreate([string]$data[$name], [System.UriKind]::Absolute, [ref]$uri) | Should -BeTrue -Because "$name must be an absolute address"
            $uri.Scheme | Should -Be 'https'
        }
        [string]$data.LicenseUri | Should -BeLike ([string]$data.ProjectUri + '/*/LICENSE')
        @($data.Tags) | Should -Contain 'Bale'
        @($data.Tags) | Should -Contain 'Zadarma'
        @($data.Tags) | Should -Contain 'PSEdition_Desktop'
        @($data.Tags) | Should -Contain 'PSEdition_Core'
        foreach ($tag in @($data.Tags)) { $tag | Should -Match '^\S+$' -Because 'a gallery splits tags at spaces' }
    }

    It 'has the release notes of its version from CHANGELOG.md' {
        $section = Get-ChangelogSection -Version $Version
        $section | Should -Not -BeNullOrEmpty -Because "CHANGELOG.md must have a section '## $Version'"
        $Built.PrivateData.PSData.ReleaseNotes | Should -BeExactly $section
    }

    It 'ships the MIT license of MessagingTools contributors, 2026' {
        $license = Join-Path $RepoRoot 'LICENSE'
        $license | Should -Exist
        $text = Get-Content -LiteralPath $license -Raw
        $text | Should -Match '^MIT License'
        $text | Should -Match 'Copyright \(c\) 2026 MessagingTools contributors'
        $shipped = Join-Path $ModuleFolder 'LICENSE'
        $shipped | Should -Exist
        (Get-FileHash -LiteralPath $shipped).Hash | Should -Be (Get-FileHash -LiteralPath $license).Hash
    }

    It 'leaves no XML file in the module folder but its help (en-US/MessagingTools.dll-Help.xml)' {
        $xml = @(Get-ChildItem -LiteralPath $ModuleFolder -Recurse -File -Filter '*.xml' |
            ForEach-Object { $_.FullName.Substring($ModuleFolder.Length + 1).Replace('\', '/') })
        ($xml -join ', ') | Should -Be 'en-US/MessagingTools.dll-Help.xml' -Because 'the assemblies'' XML doc files are not the help and do not ship'
    }
}
