# Pester 5 acceptance tests of Send-FlashCall against the sandbox over real HTTP, rows read by the real Import-Csv.
# Saved as UTF-8 with a BOM (Persian digits) for Windows PowerShell 5.1. Behaviours from
# src/MessagingTools/Commands/FlashCall/SendFlashCallCommand.cs, src/MessagingTools.Core/Providers/FlashCall/FlashCallClient.cs
# and tests/MessagingTools.Sandbox/Providers/FlashCallSandbox.cs.

Describe 'Send-FlashCall' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        $Flash = @{ Token = $Sandbox.FlashCallToken; Endpoint = $Sandbox.FlashCallEndpoint }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget the flash calls, requests and faults; latency back to 0.
        Reset-TestSandbox $Sandbox
    }

    It 'calls every CSV row in the local form and returns the code the sandbox used' {
        $csv = Write-TestCsv 'calls.csv' @(
            'Mobile,Name'
            '+98 912 345 6789,a'
            '۰۹۳۵۱۲۳۴۵۶۷,b'
            '0098-901-111-2222,c'
        )
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-FlashCall @Flash)

        $results.Count | Should -Be 3
        $results.Destination | Should -Be @('09123456789', '09351234567', '09011112222')
        $calls = @(Invoke-SandboxControl $Sandbox 'flashcall/calls' -Method GET)
        $calls.Count | Should -Be 3
        foreach ($r in $results) {
            $call = @($calls | Where-Object { $_.destination -eq $r.Destination })[0]
            $r.Code | Should -Be $call.code
            $r.HeadNumber | Should -Be $call.headNumber
            $r.TrackingCode | Should -Be $call.trackingCode
            $r.Message | Should -Be 'درخواست با موفقیت انجام شد'
        }
    }

    It 'gives a bad row its own error and still calls the others' {
        $csv = Write-TestCsv 'bad.csv' @('Phone', '09123456789', '12345', '09123456780')
        $errs = $null
        $results = @(Import-Csv -LiteralPath $csv | Send-FlashCall @Flash -ErrorAction SilentlyContinue -ErrorVariable errs)

        $results.Count | Should -Be 2
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'PhoneNumberIsNotAnIranianMobileNumber,*'
        $errs[0].TargetObject.Phone | Should -Be '12345'
        $errs[0].ErrorDetails.Message | Should -BeLike 'Row 2, Destination:*'
    }

    It 'takes a piped string and the token from the environment' {
        $env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $Sandbox.FlashCallToken
        try {
            $r = '0912-345-6789' | Send-FlashCall -Endpoint $Sandbox.FlashCallEndpoint
            $r.Destination | Should -Be '09123456789'
        }
        finally { $env:MESSAGINGTOOLS_FLASHCALL_TOKEN = $null }
    }

    It 'rings no phone with -WhatIf' {
        $null = Send-FlashCall 09123456789 @Flash -WhatIf
        @(Invoke-SandboxControl $Sandbox 'flashcall/calls' -Method GET).Count | Should -Be 0
    }

    It 'reports a wrong token as an authentication error without showing the token' {
        # The token is held in a variable: PowerShell 7's error view prints the script line of the failing call, so
        # a token typed literally on that line would show up in Out-String without any leak by the module.
        $wrongToken = 'wrong-token-xyz-123'
        $errs = $null
        # $DebugPreference rather than -Debug: on a compiled cmdlet -Debug means Inquire and would prompt.
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $everything = @(Send-FlashCall 09123456789 -Token $wrongToken -Endpoint $Sandbox.FlashCallEndpoint `
            -ErrorAction Continue -ErrorVariable errs *>&1)
        $VerbosePreference = 'SilentlyContinue'
        $DebugPreference = 'SilentlyContinue'

        @($errs).Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $debugText = ($everything | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { $_.Message }) -join "`n"
        $debugText | Should -Match '"token":"\*\*\*\*\*\*\*\*"'
        # Everything the module emitted (output, errors with details and exceptions, verbose, debug, warning,
        # information), and the error as the console shows it.
        ConvertTo-SearchableText $everything | Should -Not -Match $wrongToken
        ($errs | Out-String) | Should -Not -Match $wrongToken
    }

    It 'does not repeat a call that timed out after reaching the service and says the phone may have rung' {
        Add-SandboxFault $Sandbox -Kind Hang -PathContains '/flashcall/' -AfterProcessing -DelayMs 10000
        $errs = $null
        $results = @(Send-FlashCall 09123456789 @Flash -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable errs)

        $results.Count | Should -Be 0
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RequestTimedOutMayHaveTakenEffect,*'
        $errs[0].ErrorDetails.Message | Should -Match 'may already have been called'
        @(Get-SandboxRequest $Sandbox).Count | Should -Be 1
    }
}
