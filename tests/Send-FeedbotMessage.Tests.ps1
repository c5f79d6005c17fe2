# Pester 5 acceptance tests of Send-FeedbotMessage against the sandbox over real HTTP, rows read by the real Import-Csv.
# Behaviours from src/MessagingTools/Commands/Feedbot/SendFeedbotMessageCommand.cs,
# src/MessagingTools.Core/Providers/Feedbot/FeedbotClient.cs and tests/MessagingTools.Sandbox/Providers/FeedbotSandbox.cs.

Describe 'Send-FeedbotMessage' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        $Feedbot = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }

        function Get-SendRequestCount {
            @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*addnewmessages*' }).Count
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget queued messages, requests and faults; latency back to 0.
        Reset-TestSandbox $Sandbox
    }

    It 'sends the rows in batches and matches every id to its row' {
        $lines = @('Phone,Message') + (1..5 | ForEach-Object { "+972 58-666-664$_,Hello $_" })
        $csv = Write-TestCsv 'batch.csv' $lines
        $results = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Feedbot -BatchSize 2)

        $results.Count | Should -Be 5
        Get-SendRequestCount | Should -Be 3
        $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' -Method GET)
        for ($i = 0; $i -lt 5; $i++) {
            $results[$i].Phone | Should -Be ('97258666664{0}' -f ($i + 1))
            $results[$i].Text | Should -Be ('Hello {0}' -f ($i + 1))
            $match = @($queued | Where-Object { $_.id -eq $results[$i].Id })
            $match.Count | Should -Be 1
            $match[0].phone | Should -Be $results[$i].Phone
        }
    }

    It 'binds Image, Expiry and local numbers with -DefaultCountryCode' {
        $csv = Write-TestCsv 'columns.csv' @(
            'Mobile,Text,Image,Expiry'
            '058-666-6644,with expiry,https://cdn.example.com/a.jpg,2030-11-22 10:00'
            '058-666-6645,no expiry,,'
        )
        $results = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Feedbot -DefaultCountryCode 972)

        $results.Count | Should -Be 2
        $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' -Method GET)
        $queued[0].phone | Should -Be '972586666644'
        $queued[0].imagePath | Should -Be 'https://cdn.example.com/a.jpg'
        $expected = ([DateTimeOffset][DateTime]'2030-11-22 10:00').ToUnixTimeMilliseconds()
        $queued[0].invalidationTime | Should -Be $expected
        $queued[1].invalidationTime | Should -BeNullOrEmpty
        $queued[1].imagePath | Should -BeNullOrEmpty
    }

    It 'refuses a local number without a country code, naming the row, and sends the rest' {
        $csv = Write-TestCsv 'local.csv' @('Phone,Message', '972586666641,a', '058-666-6644,b', '972586666643,c')
        $errs = $null
        $results = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Feedbot -ErrorAction SilentlyContinue -ErrorVariable errs)

        $results.Count | Should -Be 2
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PhoneNumberIsNotInternational,*'
        $errs[0].ErrorDetails.Message | Should -BeLike "Row 2, PhoneNumber: '058-666-6644'*"
        $errs[0].TargetObject.Message | Should -Be 'b'
    }

    It 'ends a refused batch as one error per row (USER_NOT_AUTHORIZED)' {
        $csv = Write-TestCsv 'auth.csv' @('Phone,Message', '972586666641,a', '972586666642,b', '972586666643,c')
        # The token is held in a variable: PowerShell 7's error view prints the script line of the failing call, so
        # a token typed literally on that line would show up in Out-String without any leak by the module.
        $wrongToken = 'not-the-token-42'
        $errs = $null
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'     # not -Debug: on a compiled cmdlet it means Inquire and would prompt
        $everything = @(Import-Csv -LiteralPath $csv |
            Send-FeedbotMessage -Token $wrongToken -Endpoint $Sandbox.FeedbotEndpoint -ErrorAction Continue -ErrorVariable errs *>&1)
        $VerbosePreference = 'SilentlyContinue'
        $DebugPreference = 'SilentlyContinue'

        @($everything | Where-Object { $_ -is [MessagingTools.Core.Providers.Feedbot.FeedbotMessageResult] }).Count | Should -Be 0
        @($errs).Count | Should -Be 3
        @($errs | Where-Object { $_.FullyQualifiedErrorId -notlike 'FeedbotUserIsNotAuthorized,*' }).Count | Should -Be 0
        ($errs | ForEach-Object { $_.TargetObject.Message }) | Should -Be @('a', 'b', 'c')
        @($everything | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        # Everything the module emitted (output, errors with details and exceptions, verbose, debug, warning,
        # information), and the errors as the console shows them.
        ConvertTo-SearchableText $everything | Should -Not -Match $wrongToken
        ($errs | Out-String) | Should -Not -Match $wrongToken
    }

    It 'does not repeat a batch that timed out after reaching FeedBot and says the messages may have been queued' {
        Add-SandboxFault $Sandbox -Kind Hang -PathContains 'addnewmessages' -AfterProcessing -DelayMs 10000
        $csv = Write-TestCsv 'timeout.csv' @('Phone,Message', '972586666641,a', '972586666642,b')
        $errs = $null
        $results = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Feedbot -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable errs)

        $results.Count | Should -Be 0
        @($errs).Count | Should -Be 2
        foreach ($e in $errs) { $e.ErrorDetails.Message | Should -Match 'may already have been queued' }
        Get-SendRequestCount | Should -Be 1
    }

    It 'queues nothing with -WhatIf' {
        $null = Send-FeedbotMessage 972586666644 'hello' @Feedbot -WhatIf
        Get-SendRequestCount | Should -Be 0
    }
}
