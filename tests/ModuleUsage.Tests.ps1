# Pester 5 acceptance tests of the module as users load and read it: found BY NAME on PSModulePath in the runspaces of
# ForEach-Object -Parallel and Start-ThreadJob (which do not see a module imported by path in the calling session,
# see ../shared/POWERSHELL-FACTS.md), sending to the sandbox (tests/MessagingTools.Sandbox) over real HTTP; and the
# help of every exported cmdlet as Get-Help shows it (src/MessagingTools/en-US/MessagingTools.dll-Help.xml).
# ForEach-Object -Parallel and Start-ThreadJob exist in PowerShell 7 only: those tests are skipped on Windows
# PowerShell 5.1.

BeforeDiscovery {
    # The commands the built module exports, one help test each.
    Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    $ExportedCommands = @((Import-BuiltModule -PassThru).ExportedCommands.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

Describe 'The module loaded by name in parallel runspaces' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $ApiKey = $Sandbox.BaleApiKey

        # An installed module: output/MessagingTools (which holds <version>/) copied into a folder of PSModulePath.
        $ModuleRoot = Join-Path $TestDrive 'Modules'
        $null = New-Item -ItemType Directory -Path $ModuleRoot
        Copy-Item -LiteralPath (Split-Path -Parent (Split-Path -Parent (Get-BuiltModulePath))) -Destination $ModuleRoot -Recurse
        $SavedModulePath = $env:PSModulePath
        $env:PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $InstalledModuleBase = Split-Path -Parent (Join-Path $ModuleRoot (Join-Path 'MessagingTools' (Join-Path (Get-ModuleVersion) 'MessagingTools.psd1')))

        function Write-PartCsv {
            # A CSV of 10 rows for part -Part: phones 0913 + part (3 digits) + row (4 digits); returns the path.
            param([int]$Part)
            $lines = @('Phone,Message')
            for ($n = 1; $n -le 10; $n++) { $lines += ('0913{0:D3}{1:D4},part {0} row {1}' -f $Part, $n) }
            return Write-TestCsv "part-$Part.csv" $lines
        }

        function Assert-DeliveredOnce {
            # Every expected phone (98 and ten digits) was delivered exactly once, and nothing else, after exactly one request each.
            param([string[]]$Phones)
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be $Phones.Count
            (@($deliveries | ForEach-Object { $_.phoneNumber } | Sort-Object) -join ',') | Should -Be (@($Phones | Sort-Object) -join ',')
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*send_message*' }).Count | Should -Be $Phones.Count
        }
    }

    AfterAll {
        if ($null -ne $SavedModulePath) { $env:PSModulePath = $SavedModulePath }
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'sends from ForEach-Object -Parallel, the module autoloaded from PSModulePath, settings passed with $using:' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $parts = @(1..4 | ForEach-Object { @{ Part = $_; Csv = (Write-PartCsv -Part $_) } })
        $endpoint = $Sandbox.BaleEndpoint
        $key = $ApiKey

        # No Import-Module in the script block: the first call of Send-BaleMessage autoloads the module.
        $outcomes = @($parts | ForEach-Object -ThrottleLimit 4 -Parallel {
                $sendErrors = $null
                $results = @(Import-Csv -LiteralPath $_.Csv |
                    Send-BaleMessage -BotId 123 -ApiKey $using:key -Endpoint $using:endpoint -ErrorAction SilentlyContinue -ErrorVariable sendErrors)
                [pscustomobject]@{
                    Part       = $_.Part
                    ModuleBase = (Get-Module -Name MessagingTools).ModuleBase
                    Results    = $results
                    Errors     = @($sendErrors | ForEach-Object { $_.ToString() })
                }
            })

        $outcomes.Count | Should -Be 4
        foreach ($outcome in $outcomes) {
            $outcome.ModuleBase | Should -Be $InstalledModuleBase
            $outcome.Errors | Should -BeNullOrEmpty
            ($outcome.Results | ForEach-Object { $_.Text }) -join '|' | Should -Be ((1..10 | ForEach-Object { 'part {0} row {1}' -f $outcome.Part, $_ }) -join '|')
        }
        $expected = foreach ($part in 1..4) { foreach ($n in 1..10) { '98913{0:D3}{1:D4}' -f $part, $n } }
        Assert-DeliveredOnce -Phones $expected
    }

    It 'sends from Start-ThreadJob jobs that import the module by name, settings from environment variables' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $names = @('MESSAGINGTOOLS_BALE_ENDPOINT', 'MESSAGINGTOOLS_BALE_API_KEY', 'MESSAGINGTOOLS_BALE_BOT_ID')
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [System.Environment]::GetEnvironmentVariable($name) }
        $jobs = @()
        try {
            $env:MESSAGINGTOOLS_BALE_ENDPOINT = $Sandbox.BaleEndpoint
            $env:MESSAGINGTOOLS_BALE_API_KEY = $ApiKey
            $env:MESSAGINGTOOLS_BALE_BOT_ID = '123'
            $jobs = @(1..3 | ForEach-Object {
                    Start-ThreadJob -ArgumentList $_, (Write-PartCsv -Part $_) -ScriptBlock {
                        param($Part, $Csv)
                        Import-Module -Name MessagingTools -ErrorAction Stop
                        $results = @(Import-Csv -LiteralPath $Csv | Send-BaleMessage)
                        [pscustomobject]@{ Part = $Part; ModuleBase = (Get-Module -Name MessagingTools).ModuleBase; Results = $results }
                    }
                })
            $finished = @(Wait-Job -Job $jobs -Timeout 60)
            $finished.Count | Should -Be 3
            foreach ($job in $jobs) {
                $job.State | Should -Be 'Completed' -Because ($job.ChildJobs[0].JobStateInfo.Reason | Out-String)
                $job.ChildJobs[0].Error.Count | Should -Be 0
            }
            $outcomes = @($jobs | Receive-Job)
        }
        finally {
            if ($jobs) { $jobs | Remove-Job -Force }
            foreach ($name in $names) { [System.Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }

        $outcomes.Count | Should -Be 3
        foreach ($outcome in $outcomes) {
            $outcome.ModuleBase | Should -Be $InstalledModuleBase
            ($outcome.Results | ForEach-Object { $_.Text }) -join '|' | Should -Be ((1..10 | ForEach-Object { 'part {0} row {1}' -f $outcome.Part, $_ }) -join '|')
            @($outcome.Results | Where-Object { $_.BotId -ne 123 }).Count | Should -Be 0
        }
        $expected = foreach ($part in 1..3) { foreach ($n in 1..10) { '98913{0:D3}{1:D4}' -f $part, $n } }
        Assert-DeliveredOnce -Phones $expected
    }
}

Describe 'Help of the exported cmdlets' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        # Parameters every cmdlet has (and -WhatIf, -Confirm): described by PowerShell, not by the module.
        $CommonParameters = @([System.Management.Automation.Cmdlet]::CommonParameters) +
            @([System.Management.Automation.Cmdlet]::OptionalCommonParameters) + @('ProgressAction')
    }

    It 'exports the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile -LiteralPath (Get-BuiltModulePath)
        $exported = @((Get-Module -Name MessagingTools).ExportedCommands.Keys | Sort-Object)
        $exported.Count | Should -BeGreaterThan 0
        ($exported -join ',') | Should -Be ((@($manifest.CmdletsToExport) | Sort-Object) -join ',')
    }

    It '<Name> has a synopsis, a description, a described parameter for every parameter, examples and a full view' -ForEach $ExportedCommands {
        $command = Get-Command -Name $Name -Module MessagingTools
        $help = Get-Help -Name $Name -Full

        # Without a help file Get-Help makes a synopsis from the syntax: a real one does not list <CommonParameters>.
        ([string]$help.Synopsis).Trim() | Should -Not -BeNullOrEmpty
        [string]$help.Synopsis | Should -Not -BeLike '*<CommonParameters>*'
        (@($help.description | ForEach-Object { $_.Text }) -join ' ').Trim() | Should -Not -BeNullOrEmpty

        # Every parameter a user can see (not the common ones, not the DontShow InputObject that binds the row).
        $visible = @($command.Parameters.Values | Where-Object {
                $CommonParameters -notcontains $_.Name -and
                @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count -eq 0
            } | ForEach-Object { $_.Name })
        $visible.Count | Should -BeGreaterThan 0
        $helpParameters = @($help.parameters.parameter)
        foreach ($parameter in $visible) {
            $entry = @($helpParameters | Where-Object { $_.name -eq $parameter })
            $entry.Count | Should -Be 1 -Because "-$parameter must be in the help"
            (@($entry[0].description | ForEach-Object { $_.Text }) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
        foreach ($entry in $helpParameters) {
            if ($CommonParameters -contains $entry.name) { continue }
            $visible | Should -Contain $entry.name -Because 'the help describes only parameters the cmdlet has'
        }

        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            ([string]$example.code).Trim() | Should -Not -BeNullOrEmpty
            ([string]$example.code) | Should -Match ([regex]::Escape($Name))
        }

        $full = Get-Help -Name $Name -Full | Out-String -Width 120
        $full | Should -Match ([regex]::Escape($Name))
        $full | Should -Match 'PARAMETERS'
        $full | Should -Match 'EXAMPLE'
        foreach ($parameter in $visible) { $full | Should -Match ('-' + [regex]::Escape($parameter) + '\b') }
    }
}
