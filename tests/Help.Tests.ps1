# Pester 5 tests of the help as Get-Help shows it in real PowerShell, for the built module: -WhatIf and -Confirm of
# every cmdlet that supports ShouldProcess, defaults and ranges (read from the code: a new cmdlet object's property
# and its ValidateRange, not repeated here), the online address and related links of every cmdlet, and the
# about_MessagingTools topic, which must name every MESSAGINGTOOLS_ environment variable the source reads.
# The MAML help and the topic's CSV COLUMNS are generated and checked by tests/MessagingTools.Cmdlets.Tests
# (HelpTests, AboutTopicHelpTests); these tests see what a user sees.

BeforeDiscovery {
    Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    $module = Import-BuiltModule -PassThru
    $AllCommands = @($module.ExportedCmdlets.Values | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $ShouldProcessCommands = @($module.ExportedCmdlets.Values | Where-Object { $_.Parameters.ContainsKey('WhatIf') } |
        Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $OtherCommands = @($module.ExportedCmdlets.Values | Where-Object { -not $_.Parameters.ContainsKey('WhatIf') } |
        Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    # The cmdlets that send requests share -ThrottleLimit and -TimeoutSec; the others (Receive-ZadarmaCall serves, the
    # Convert* cmdlets convert, Get-MessagingJournal reads a local file) have neither.
    $RequestCommands = @($module.ExportedCmdlets.Values | Where-Object { $_.Parameters.ContainsKey('ThrottleLimit') } |
        Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $LocalCommands = @($module.ExportedCmdlets.Values | Where-Object { -not $_.Parameters.ContainsKey('ThrottleLimit') } |
        Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

Describe 'Get-Help of the MessagingTools cmdlets' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        function Get-ParameterHelpText {
            <# What Get-Help -Parameter prints for one parameter, as one string. #>
            param([string]$Command, [string]$Parameter)
            return (Get-Help -Name $Command -Parameter $Parameter | Out-String -Width 200)
        }

        function Get-DefaultFromCode {
            <# The value a parameter holds in a new object of the cmdlet's class: its initializer, the default. #>
            param([string]$Command, [string]$Parameter)
            $cmdlet = (Get-Command -Name $Command).ImplementingType
            $instance = New-Object -TypeName $cmdlet.FullName
            try { return $instance.$Parameter } finally { if ($instance -is [System.IDisposable]) { $instance.Dispose() } }
        }

        function Get-RangeFromCode {
            param([string]$Command, [string]$Parameter)
            return @((Get-Command -Name $Command).Parameters[$Parameter].Attributes |
                    Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] })[0]
        }
    }

    Context '-WhatIf and -Confirm' {
        It '<Name>: Get-Help -Parameter WhatIf and Confirm describe them, and the syntax lists them' -ForEach $ShouldProcessCommands {
            foreach ($parameter in 'WhatIf', 'Confirm') {
                $help = Get-Help -Name $Name -Parameter $parameter -ErrorAction Stop
                $help.name | Should -Be $parameter
                (@($help.description | ForEach-Object { $_.Text }) -join ' ').Trim() | Should -Not -BeNullOrEmpty
                $help.type.name | Should -Be 'SwitchParameter'
            }
            (Get-Help -Name $Name -Parameter WhatIf).aliases | Should -Be 'wi'
            (Get-Help -Name $Name -Parameter Confirm).aliases | Should -Be 'cf'

            $syntax = (Get-Help -Name $Name).syntax | Out-String -Width 1000
            $items = @((Get-Help -Name $Name).syntax.syntaxItem)
            $items.Count | Should -BeGreaterThan 0
            foreach ($item in $items) {
                $names = @($item.parameter | ForEach-Object { $_.name })
                $names | Should -Contain 'WhatIf'
                $names | Should -Contain 'Confirm'
            }
            $syntax | Should -Match '\[-WhatIf\] \[-Confirm\]'
        }

        It '<Name> lists neither, as it does not support them' -ForEach $OtherCommands {
            { Get-Help -Name $Name -Parameter WhatIf -ErrorAction Stop } | Should -Throw
            (Get-Help -Name $Name).syntax | Out-String -Width 1000 | Should -Not -Match 'WhatIf'
        }

        It 'the -Confirm text says when PowerShell asks, from the cmdlet''s ConfirmImpact' {
            Get-ParameterHelpText Send-BaleMessage Confirm | Should -Match 'ConfirmImpact is\s+Medium'
            Get-ParameterHelpText Publish-BaleFile Confirm | Should -Match 'ConfirmImpact is\s+Low'
        }
    }

    Context 'Defaults and ranges' {
        It 'Get-Help Send-BaleMessage -Parameter ThrottleLimit shows the default 8 and the range 1 to 64' {
            $default = Get-DefaultFromCode Send-BaleMessage ThrottleLimit
            $range = Get-RangeFromCode Send-BaleMessage ThrottleLimit
            $default | Should -Be 8
            $range.MinRange | Should -Be 1
            $range.MaxRange | Should -Be 64

            $help = Get-Help -Name Send-BaleMessage -Parameter ThrottleLimit
            $help.defaultValue | Should -Be ([string]$default)
            $text = Get-ParameterHelpText Send-BaleMessage ThrottleLimit
            $text | Should -Match ('Default value\s+' + $default + '\s')
            $text | Should -Match ('Range: ' + $range.MinRange + ' to ' + $range.MaxRange)
        }

        It '<Name> shows the defaults of -ThrottleLimit and -TimeoutSec that its code sets, with their ranges' -ForEach $RequestCommands {
            foreach ($parameter in 'ThrottleLimit', 'TimeoutSec') {
                $default = Get-DefaultFromCode $Name $parameter
                $range = Get-RangeFromCode $Name $parameter
                (Get-Help -Name $Name -Parameter $parameter).defaultValue | Should -Be ([string]$default)
                Get-ParameterHelpText $Name $parameter | Should -Match ('Range: ' + $range.MinRange + ' to ' + $range.MaxRange)
            }
            (Get-Help -Name $Name -Parameter TimeoutSec).defaultValue | Should -Be '30'
        }

        It 'there are both kinds of cmdlets: <RequestCount> that send requests, and <Local> that do not' -ForEach @(@{ RequestCount = $RequestCommands.Count; Local = ($LocalCommands | ForEach-Object { $_.Name }) -join ', ' }) {
            $RequestCount | Should -BeGreaterThan 10
            $Local | Should -Be 'ConvertFrom-ZadarmaNotification, ConvertTo-ZadarmaRouteAnswer, Get-MessagingJournal, Receive-ZadarmaCall'
        }

        It '<Name> has no -TimeoutSec of another meaning, and shows the defaults and ranges of -MaxBodyBytes and -RouteTimeoutSec where it has them' -ForEach $LocalCommands {
            { Get-Help -Name $Name -Parameter TimeoutSec -ErrorAction Stop } | Should -Throw
            foreach ($parameter in @('MaxBodyBytes', 'RouteTimeoutSec') | Where-Object { (Get-Command $Name).Parameters.ContainsKey($_) }) {
                $range = Get-RangeFromCode $Name $parameter
                (Get-Help -Name $Name -Parameter $parameter).defaultValue | Should -Be ([string](Get-DefaultFromCode $Name $parameter))
                Get-ParameterHelpText $Name $parameter | Should -Match ('Range: ' + $range.MinRange + ' to ' + $range.MaxRange)
            }
        }

        It 'shows the other defaults the code sets (BatchSize, Timeout, PollInterval, Direction)' {
            (Get-Help Send-FeedbotMessage -Parameter BatchSize).defaultValue | Should -Be ([string](Get-DefaultFromCode Send-FeedbotMessage BatchSize))
            $batch = Get-RangeFromCode Send-FeedbotMessage BatchSize
            Get-ParameterHelpText Send-FeedbotMessage BatchSize | Should -Match ('Range: ' + $batch.MinRange + ' to ' + $batch.MaxRange)
            foreach ($parameter in 'Timeout', 'PollInterval') {
                $span = [timespan](Get-DefaultFromCode Get-FeedbotStatus $parameter)
                (Get-Help Get-FeedbotStatus -Parameter $parameter).defaultValue | Should -BeLike ($span.ToString('c') + ' (*)')
            }
            (Get-Help Get-ZadarmaPbxStatistics -Parameter Direction).defaultValue | Should -Be ([string](Get-DefaultFromCode Get-ZadarmaPbxStatistics Direction))
            (Get-Help Get-ZadarmaPbxStatistics).syntax | Out-String -Width 1000 | Should -Match '-Direction \{All \| Incoming \| Outgoing\}'
        }

        It 'shows where a setting comes from when no parameter gives it (the environment variable)' {
            (Get-Help Send-BaleMessage -Parameter ApiKey).defaultValue | Should -BeLike '$env:MESSAGINGTOOLS_BALE_API_KEY*'
            (Get-Help Get-ZadarmaBalance -Parameter Credential).defaultValue | Should -BeLike '*MESSAGINGTOOLS_ZADARMA_API_KEY*'
        }
    }

    Context 'Online help and related links' {
        It '<Name> has its online page as HelpUri and as the first related link, and links to about_MessagingTools' -ForEach $AllCommands {
            $uri = (Get-Command -Name $Name).HelpUri
            $uri | Should -Be "https://github.com/messagingtools/MessagingTools/blob/main/docs/$Name.md"
            $links = @((Get-Help -Name $Name).relatedLinks.navigationLink)
            $links[0].uri | Should -Be $uri
            @($links | ForEach-Object { $_.linkText }) | Should -Contain 'about_MessagingTools'
            foreach ($link in $links | Select-Object -Skip 1) {
                # Every other link names a topic Get-Help finds: a cmdlet of the module, or the about topic.
                Get-Help -Name $link.linkText -ErrorAction Stop | Should -Not -BeNullOrEmpty
            }
            Get-Help -Name $Name -Full | Out-String -Width 200 | Should -Match 'RELATED LINKS[\s\S]*about_MessagingTools'
        }

        It 'the cmdlets that pipe into each other link to each other' {
            $pairs = @(
                @('Publish-BaleFile', 'Send-BaleMessage'), @('Send-BaleMessage', 'Publish-BaleFile'),
                @('Send-FeedbotMessage', 'Get-FeedbotStatus'), @('Get-FeedbotStatus', 'Send-FeedbotMessage'),
                @('Get-ZadarmaSip', 'Get-ZadarmaRedirection'), @('Get-ZadarmaRedirection', 'Set-ZadarmaRedirection'),
                @('Get-ZadarmaRedirection', 'Get-ZadarmaSip'), @('Set-ZadarmaRedirection', 'Get-ZadarmaRedirection')
            )
            foreach ($pair in $pairs) {
                @((Get-Help -Name $pair[0]).relatedLinks.navigationLink | ForEach-Object { $_.linkText }) |
                    Should -Contain $pair[1] -Because "$($pair[0]) pipes to or from $($pair[1])"
            }
        }
    }

    Context 'about_MessagingTools' {
        BeforeAll {
            $Topic = Get-Help -Name about_MessagingTools -ErrorAction Stop | Out-String -Width 200
            $Source = Join-Path (Split-Path -Parent $PSScriptRoot) 'src'
        }

        It 'Get-Help about_MessagingTools finds the topic in the imported module' {
            $Topic | Should -Match 'about_MessagingTools'
            $Topic | Should -Match 'SHORT DESCRIPTION'
            @(Get-Help -Name 'about_Messaging*' | ForEach-Object { $_.Name }) | Should -Contain 'about_MessagingTools'
            # Shipped in the module folder, where Get-Help looks for it.
            $module = Get-Module -Name MessagingTools
            Test-Path -LiteralPath (Join-Path $module.ModuleBase 'en-US/about_MessagingTools.help.txt') | Should -BeTrue
        }

        It 'mentions every MESSAGINGTOOLS_ environment variable the source reads' {
            $files = @(Get-ChildItem -LiteralPath $Source -Recurse -Filter '*.cs' -File |
                    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' })
            $variables = @($files | Select-String -Pattern 'MESSAGINGTOOLS_[A-Z0-9_]+' -AllMatches -CaseSensitive |
                    ForEach-Object { $_.Matches } | ForEach-Object { $_.Value } | Sort-Object -Unique)
            $variables.Count | Should -BeGreaterOrEqual 12
            foreach ($variable in $variables) {
                $Topic | Should -Match ('\b' + $variable + '\b') -Because "the source reads $variable"
            }
        }

        It 'covers the rules a user needs: columns, defaults, retries, error ids, the sandbox, runbooks, credentials' {
            foreach ($heading in 'HOW ROWS BIND', 'CSV COLUMNS', 'DEFAULTS AND ENVIRONMENT VARIABLES', 'IDEMPOTENCY AND RETRIES',
                'CREDENTIALS', 'ERROR IDS', 'THE SANDBOX', 'RUNBOOKS') {
                $Topic | Should -Match ('(?m)^' + $heading + '\s*$')
            }
            foreach ($phrase in 'A wrong key stops the run', 'Keys must be printable ASCII', 'Redirects are not followed',
                'Windows PowerShell 5.1', 'Azure Automation', 'RowHasConflictingColumns', 'BaleRecipientIsNotABaleUser',
                'RequestTimedOutMayHaveTakenEffect') {
                $Topic | Should -Match ([regex]::Escape($phrase))
            }
        }
    }
}
