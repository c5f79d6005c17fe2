# Pester 5: the documentation's examples are tests. Every PowerShell block of README.md and every example of Get-Help
# for every cmdlet runs against the sandbox in a new PowerShell process, as a user would type it (Invoke-ExampleScript
# in tests/Sandbox.psm1): MessagingTools found on PSModulePath, the working folder a copy of samples/.
# - README blocks run in document order in one session, exactly as written except for the sandbox's port (the
#   README's 5080 becomes the port of this run's sandbox); they set endpoints and credentials the way the README tells
#   users to.
# - Help examples run with the variables they take for granted ($key, $token, $cred, $sent...) holding sandbox
#   credentials and results, the providers' endpoints in the environment as a runbook would set them, and
#   Get-Credential answered with the sandbox credential (a prompt cannot be typed into here).
# - The PowerShell blocks of the cmdlet pages docs/<Cmdlet>.md (and of the index docs/README.md) run the same way as
#   the help examples, in page order in one session: those of a page's hand-written part. The other blocks of a
#   cmdlet's page are generated from its Get-Help examples (tests/MessagingTools.Docs), which run above; they are not
#   run twice, and a test checks that each is one of that cmdlet's Get-Help examples, word for word.
# - The guides of docs/ (the pages without a hand-written part: behaviour.md, bale.md, zadarma.md, journal.md...) are
#   written as the README is: each page's blocks run in document order in a session of their own, from a folder that
#   holds samples/, as written except for the sandbox's port, with no prelude (they set endpoints and credentials
#   themselves, or in an earlier block of the same page).
# - Zadarma's incoming calls: examples listen on port 8080 (-Port 8080, http://127.0.0.1:8080/...), which becomes a free
#   port of this run. A help example that calls Receive-ZadarmaCall gets the sandbox playing Zadarma towards it from a
#   runspace of the example's session (the address check, then 3 signed notifications to /zadarma/), and passes only
#   when all three were answered; the listener example of docs/zadarma.md starts its own job that does the same.
# - A README or guide block right after `<!-- Not run here: it is <path>, ... -->` shows a file (an Azure Functions run.ps1 runs
#   only in that host; its own test runs it): it is not run here, and must be that file, word for word.
# An example passes when it throws nothing and writes no error other than those it collects with its own
# -ErrorVariable; one that calls a MessagingTools cmdlet must reach the sandbox, unless it is a -WhatIf run, which
# must not, or the cmdlet sends no request (it serves Zadarma's calls, or converts what a web host received).

BeforeDiscovery {
    Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
    $ReadmeBlocks = @(Get-ReadmeExample)
    $HelpExamples = @(Get-HelpExample)
    $DocsBlocks = @(Get-DocsExample | Where-Object { -not $_.Generated -and -not $_.Guide })
    $GeneratedDocsBlocks = @(Get-DocsExample | Where-Object { $_.Generated })
    $GuideBlocks = @(Get-DocsExample | Where-Object { $_.Guide })
    $FileBlocks = @(@(Get-ReadmeExample -NotRun) + @(Get-DocsExample -NotRun))
}

Describe 'Documentation examples' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $module = Import-BuiltModule -PassThru
        $ModuleCommands = @($module.ExportedCmdlets.Keys)
        $Sandbox = Start-TestSandbox
        # Zadarma allows 3 statistics requests a minute, which the sandbox enforces; the examples read a few periods
        # (tests of their own show the waiting), so that limit would only make this file wait for minutes.
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 100; windowSeconds = 60 }
        $Samples = Join-Path (Split-Path -Parent $PSScriptRoot) 'samples'
        # Discovery's variables do not reach the run: read the examples again.
        $ReadmeBlocks = @(Get-ReadmeExample)
        $HelpExamples = @(Get-HelpExample)
        $DocsBlocks = @(Get-DocsExample | Where-Object { -not $_.Generated -and -not $_.Guide })
        $GuideBlocks = @(Get-DocsExample | Where-Object { $_.Guide })

        # What a runbook sets once, for the help examples and the docs pages: every provider's endpoint, and the
        # tokens the examples without -Token use.
        $ExamplePrelude = @"
`$env:MESSAGINGTOOLS_BALE_ENDPOINT = $(ConvertTo-SingleQuoted $Sandbox.BaleEndpoint)
`$env:MESSAGINGTOOLS_FLASHCALL_ENDPOINT = $(ConvertTo-SingleQuoted $Sandbox.FlashCallEndpoint)
`$env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $(ConvertTo-SingleQuoted $Sandbox.FlashCallToken)
`$env:MESSAGINGTOOLS_FEEDBOT_ENDPOINT = $(ConvertTo-SingleQuoted $Sandbox.FeedbotEndpoint)
`$env:MESSAGINGTOOLS_FEEDBOT_STATUS_ENDPOINT = $(ConvertTo-SingleQuoted $Sandbox.FeedbotStatusEndpoint)
`$env:MESSAGINGTOOLS_FEEDBOT_TOKEN = $(ConvertTo-SingleQuoted $Sandbox.FeedbotToken)
`$env:MESSAGINGTOOLS_ZADARMA_ENDPOINT = $(ConvertTo-SingleQuoted $Sandbox.ZadarmaEndpoint)
function Get-Credential { New-Object System.Management.Automation.PSCredential ($(ConvertTo-SingleQuoted $Sandbox.ZadarmaApiKey), (ConvertTo-SecureString $(ConvertTo-SingleQuoted $Sandbox.ZadarmaApiSecret) -AsPlainText -Force)) }
"@
        # The variables each provider's examples take for granted.
        $ExampleSetups = @{
            Journal   = @"
`$key = ConvertTo-SecureString $(ConvertTo-SingleQuoted $Sandbox.BaleApiKey) -AsPlainText -Force
Import-Csv contacts.csv | Send-BaleMessage -BotId 123 -ApiKey `$key -Journal ./send.journal -ErrorAction SilentlyContinue | Out-Null
"@
            Bale      = "`$key = ConvertTo-SecureString $(ConvertTo-SingleQuoted $Sandbox.BaleApiKey) -AsPlainText -Force"
            FlashCall = "`$token = ConvertTo-SecureString $(ConvertTo-SingleQuoted $Sandbox.FlashCallToken) -AsPlainText -Force"
            Feedbot   = @"
`$token = ConvertTo-SecureString $(ConvertTo-SingleQuoted $Sandbox.FeedbotToken) -AsPlainText -Force
`$sent = @(Import-Csv customers.csv | Send-FeedbotMessage)
`$sent | Export-Csv queued.csv -NoTypeInformation
"@
            Zadarma   = @"
`$key = $(ConvertTo-SingleQuoted $Sandbox.ZadarmaApiKey)
`$secret = $(ConvertTo-SingleQuoted $Sandbox.ZadarmaApiSecret)
`$cred = Get-Credential
"@
        }

        function New-ExampleWorkFolder {
            <# A new working folder holding the samples as the help examples expect them (photos' .jpg files at the top too). #>
            param([string]$Name)
            $work = Join-Path $TestDrive $Name
            $null = New-Item -ItemType Directory -Path $work -Force
            Copy-Item -Path (Join-Path $Samples '*') -Destination $work -Recurse
            Copy-Item -Path (Join-Path $Samples 'photos/*.jpg') -Destination $work    # for `Get-ChildItem *.jpg`
            return $work
        }

        function Get-ExampleSetup {
            <# The setup of the provider whose cmdlet is named (Send-BaleMessage: Bale), or none. #>
            param([string]$Command)
            $provider = @('Bale', 'FlashCall', 'Feedbot', 'Zadarma', 'Journal') | Where-Object { $Command -like "*-*$_*" } | Select-Object -First 1
            if ($provider) { return $ExampleSetups[$provider] }
            return ''
        }

        # The cmdlets that send no request of a provider: Receive-ZadarmaCall serves, the Convert* cmdlets convert,
        # Get-MessagingJournal reads a local file. An example of them alone need not reach the sandbox.
        $LocalCommands = @('Receive-ZadarmaCall', 'ConvertFrom-ZadarmaNotification', 'ConvertTo-ZadarmaRouteAnswer', 'Get-MessagingJournal')

        function Set-ListenerPort {
            <# The example with its listener port (8080) changed to a free port of this run. #>
            param([string]$Code, [int]$Port)
            $Code.Replace(':8080/', ":$Port/").Replace('-Port 8080', "-Port $Port")
        }

        function Add-ZadarmaCaller {
            <#
            A help example that runs Receive-ZadarmaCall: its port made free, a setup that has the sandbox play Zadarma
            towards it from a runspace (3 signed notifications, once it listens), and a check that all were answered.
            #>
            param([hashtable]$Example)
            if ($Example.Code -notmatch 'Receive-ZadarmaCall') { return $Example }
            $port = Get-FreeTcpPort
            $Example.Code = Set-ListenerPort $Example.Code $port
            $Example.Setup = $Example.Setup + @"

`$__zadarma = [powershell]::Create().AddScript({
        param(`$Uri, `$Url)
        Invoke-RestMethod -Method Post -Uri `$Uri -ContentType 'application/json' -TimeoutSec 120 -Body (ConvertTo-Json -Compress @{ url = `$Url; count = 3; waitMs = 30000 })
    }).AddArgument($(ConvertTo-SingleQuoted ($Sandbox.BaseUri + '_sandbox/zadarma/notify'))).AddArgument('http://127.0.0.1:$port/zadarma/')
`$__zadarmaPending = `$__zadarma.BeginInvoke()
"@
            $Example.Check = @'
$__report = @($__zadarma.EndInvoke($__zadarmaPending))[0]
$__zadarma.Dispose()
'echo {0}, answered {1}' -f $__report.echo.ok, @($__report.notifications | Where-Object { $_.status -eq 200 }).Count
'@
            return $Example
        }

        function Test-Example {
            <# The checks every example gets; $Code is the example as written, $Result what Invoke-ExampleScript said. #>
            param($Code, $Result)
            $Result | Should -Not -BeNullOrEmpty
            $Result.Terminating | Should -BeNullOrEmpty -Because "the example must run to its end:`n$Code"
            ($Result.Unexpected -join "`n") | Should -BeNullOrEmpty -Because "the example must write no error it does not collect itself:`n$Code`n$($Result.Output)"
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$null, [ref]$null)
            # The module's commands that make requests (a command that only reads a local file, such as
            # Get-MessagingJournal, sends nothing).
            $calls = @($ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true) |
                Where-Object { $ModuleCommands -contains $_.GetCommandName() -and $LocalCommands -notcontains $_.GetCommandName() })
            if ($Result.Check) {
                $Result.Check | Should -Be 'echo True, answered 3' -Because "the sandbox, playing Zadarma, must get its answers:`n$Code"
            }
            $whatIf = @($calls | Where-Object { @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -eq 'WhatIf' }).Count -gt 0 })
            if ($calls.Count -gt 0 -and $whatIf.Count -eq $calls.Count) {
                $Result.Requests | Should -Be 0 -Because 'a -WhatIf run sends nothing'
            }
            elseif ($calls.Count -gt 0) {
                $Result.Requests | Should -BeGreaterThan 0 -Because "the example's requests must reach the sandbox:`n$Code"
            }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    Context 'README.md' {
        BeforeAll {
            $work = Join-Path $TestDrive 'readme'
            $null = New-Item -ItemType Directory -Path $work -Force
            Copy-Item -LiteralPath $Samples -Destination $work -Recurse
            $readmeListenerPort = Get-FreeTcpPort
            $blocks = @(foreach ($block in $ReadmeBlocks) {
                    @{ Name = $block.Name; Code = (Set-ListenerPort $block.Code.Replace('http://127.0.0.1:5080/', $Sandbox.BaseUri) $readmeListenerPort) }
                })
            $ReadmeResults = @{}
            foreach ($result in @(Invoke-ExampleScript -Sandbox $Sandbox -Example $blocks -WorkingDirectory $work)) {
                $ReadmeResults[$result.Name] = $result
            }
        }

        It 'has PowerShell blocks to run' {
            $ReadmeBlocks.Count | Should -BeGreaterThan 4
        }

        It '<Name> runs against the sandbox' -ForEach $ReadmeBlocks {
            Test-Example -Code $Code -Result $ReadmeResults[$Name]
        }
    }

    Context 'docs/ guides' {
        BeforeAll {
            # Each guide in a session of its own, from a folder of its own that holds samples/ as the README's does.
            $GuideResults = @{}
            $GuideWork = @{}
            foreach ($page in @($GuideBlocks | ForEach-Object { $_.Page } | Select-Object -Unique)) {
                $work = Join-Path $TestDrive "guide-$page"
                $null = New-Item -ItemType Directory -Path $work -Force
                Copy-Item -LiteralPath $Samples -Destination $work -Recurse
                $listenerPort = Get-FreeTcpPort
                $blocks = @(foreach ($block in @($GuideBlocks | Where-Object { $_.Page -eq $page })) {
                        @{ Name = $block.Name; Code = (Set-ListenerPort $block.Code.Replace('http://127.0.0.1:5080/', $Sandbox.BaseUri) $listenerPort) }
                    })
                foreach ($result in @(Invoke-ExampleScript -Sandbox $Sandbox -Example $blocks -WorkingDirectory $work)) {
                    $GuideResults[$result.Name] = $result
                }
                $GuideWork[$page] = $work
            }
        }

        It 'has PowerShell blocks to run' {
            $GuideBlocks.Count | Should -BeGreaterThan 4
        }

        It '<Name> runs against the sandbox' -ForEach $GuideBlocks {
            Test-Example -Code $Code -Result $GuideResults[$Name]
        }

        It 'leaves the files its examples promise' {
            # bale.md: every row of samples/contacts.csv but the wrong number was sent and exported.
            @(Import-Csv -LiteralPath (Join-Path $GuideWork['bale'] 'sent.csv')).Count | Should -Be 5
            # flash-call-and-feedbot.md: the message to the number ending in 0 failed and nothing else is listed.
            $notSent = @(Import-Csv -LiteralPath (Join-Path $GuideWork['flash-call-and-feedbot'] 'not-sent.csv'))
            $notSent.Count | Should -Be 1
            $notSent[0].Phone | Should -Be '972586666640'
            $notSent[0].Status | Should -Be 'Failed'
            # zadarma.md, receiving calls: the three signed calls, each with its route; the forged one was refused.
            $calls = @(Import-Csv -LiteralPath (Join-Path $GuideWork['zadarma'] 'calls.csv'))
            $calls.Count | Should -Be 3
            @($calls | ForEach-Object { $_.Signature }) | Should -Be @('Verified', 'Verified', 'Verified')
            @($calls | Where-Object { $_.CallerId -eq '+79261000003' } | ForEach-Object { $_.Route }) | Should -Be 'blacklist'
            # zadarma.md, call events: the call log holds the two calls that ended, with their durations and recordings.
            $log = @(Import-Csv -LiteralPath (Join-Path $GuideWork['zadarma'] 'call-log.csv'))
            @($log | ForEach-Object { $_.Event + ' ' + $_.Duration + ' ' + $_.IsRecorded }) | Should -Be @('NOTIFY_END 125 True', 'NOTIFY_OUT_END 42 False')
        }

        It '<Name> is the file it shows, <SameAs>' -ForEach $FileBlocks {
            $path = Join-Path (Split-Path -Parent $PSScriptRoot) $SameAs
            Test-Path -LiteralPath $path | Should -BeTrue
            $file = (Get-Content -LiteralPath $path -Raw -Encoding UTF8).Replace("`r`n", "`n").TrimEnd()
            $file | Should -BeExactly $Code.Replace("`r`n", "`n").TrimEnd()
        }
    }

    Context 'Get-Help examples' {
        BeforeAll {
            $work = New-ExampleWorkFolder 'help'
            $examples = @(foreach ($example in $HelpExamples) {
                    Add-ZadarmaCaller @{ Name = $example.Name; Code = $example.Code; Setup = (Get-ExampleSetup $example.Command) }
                })
            $HelpResults = @{}
            foreach ($result in @(Invoke-ExampleScript -Sandbox $Sandbox -Example $examples -WorkingDirectory $work -Prelude $ExamplePrelude)) {
                $HelpResults[$result.Name] = $result
            }
        }

        It 'every cmdlet has examples' {
            $HelpExamples.Count | Should -BeGreaterThan 20
        }

        It '<Name> runs against the sandbox' -ForEach $HelpExamples {
            Test-Example -Code $Code -Result $HelpResults[$Name]
        }
    }

    Context 'docs/*.md' {
        BeforeAll {
            $work = New-ExampleWorkFolder 'docs'
            $blocks = @(foreach ($block in $DocsBlocks) {
                    @{ Name = $block.Name; Code = $block.Code.Replace('http://127.0.0.1:5080/', $Sandbox.BaseUri); Setup = (Get-ExampleSetup $block.Page) }
                })
            $DocsResults = @{}
            if ($blocks.Count -gt 0) {
                foreach ($result in @(Invoke-ExampleScript -Sandbox $Sandbox -Example $blocks -WorkingDirectory $work -Prelude $ExamplePrelude)) {
                    $DocsResults[$result.Name] = $result
                }
            }
        }

        It 'has written blocks to run' {
            $DocsBlocks.Count | Should -BeGreaterThan 0
        }

        It '<Name> runs against the sandbox' -ForEach $DocsBlocks {
            Test-Example -Code $Code -Result $DocsResults[$Name]
        }

        It '<Name> is an example of Get-Help <Page>, which runs above' -ForEach $GeneratedDocsBlocks {
            $examples = @($HelpExamples | Where-Object { $_.Command -eq $Page } | ForEach-Object { $_.Code.Replace("`r`n", "`n") })
            $examples | Should -Contain $Code.Replace("`r`n", "`n") -Because 'a block outside the hand-written part is not run here'
        }
    }
}
