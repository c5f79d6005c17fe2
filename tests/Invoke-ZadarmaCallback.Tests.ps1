# Pester 5 acceptance tests of Invoke-ZadarmaCallback against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Invoke-ZadarmaCallback' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget callbacks, SMS, settings, calls, requests and faults; limits back to Zadarma's defaults.
        Reset-TestSandbox $Sandbox
    }

    It 'places one callback per CSV row, binding the <FromColumn> and <ToColumn> columns' -ForEach @(
        @{ FromColumn = 'Caller'; ToColumn = 'Number' }
        @{ FromColumn = 'Source'; ToColumn = 'Destination' }
        @{ FromColumn = 'Extension'; ToColumn = 'Phone' }
        @{ FromColumn = 'From'; ToColumn = 'Callee' }
    ) {
        $csv = Write-TestCsv 'calls.csv' @(
            "$FromColumn,$ToColumn,Predicted,Sip"
            '100,+44 20 3769 1881,yes,101'
            '101,442037691882,,'
            '100,not a number,,'
        )
        $failed = $null
        $results = @(Import-Csv -LiteralPath $csv -Encoding UTF8 |
            Invoke-ZadarmaCallback @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)

        $results | Should -HaveCount 2
        $results[0].To | Should -Be '442037691881'
        $results[0].Predicted | Should -BeTrue
        $results[1].Predicted | Should -BeFalse
        $results[0].RequestedAt | Should -BeOfType [DateTimeOffset]
        @($failed) | Should -HaveCount 1
        $failed[0].TargetObject.$ToColumn | Should -Be 'not a number'
        $failed[0].ErrorDetails.Message | Should -BeLike 'Row 3, To: *'
        # Rows are sent concurrently: the sandbox records them in arrival order, so find each by its number.
        $placed = @(Invoke-SandboxControl $Sandbox 'zadarma/callbacks' -Method GET)
        $placed | Should -HaveCount 2
        $first = @($placed | Where-Object { $_.to -eq '442037691881' })
        $second = @($placed | Where-Object { $_.to -eq '442037691882' })
        $first | Should -HaveCount 1
        $second | Should -HaveCount 1
        $first[0].from | Should -Be '100'
        $first[0].sip | Should -Be '101'
        $first[0].predicted | Should -BeTrue
        $second[0].from | Should -Be '101'
        $second[0].sip | Should -BeNullOrEmpty
        $second[0].predicted | Should -BeFalse
    }

    It 'calls a piped number' {
        $result = '442037691881' | Invoke-ZadarmaCallback -From 100 @Zadarma
        $result.To | Should -Be '442037691881'
        @(Invoke-SandboxControl $Sandbox 'zadarma/callbacks' -Method GET) | Should -HaveCount 1
    }

    It 'places nothing with -WhatIf' {
        Invoke-ZadarmaCallback -From 100 -To 442037691881 @Zadarma -WhatIf
        @(Invoke-SandboxControl $Sandbox 'zadarma/callbacks' -Method GET) | Should -HaveCount 0
        @(Get-SandboxRequest $Sandbox) | Should -HaveCount 0
    }

    It 'does not repeat a callback that timed out, and says the call may have been placed' {
        Add-SandboxFault $Sandbox -Kind Hang -PathContains '/v1/request/callback/' -Count 3 -AfterProcessing -DelayMs 10000
        $failed = $null
        Invoke-ZadarmaCallback -From 100 -To 442037691881 -TimeoutSec 3 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        @($failed) | Should -HaveCount 1
        $failed[0].ErrorDetails.Message | Should -Match 'may have been placed'
        $failed[0].Exception.MayHaveTakenEffect | Should -BeTrue
        @(Invoke-SandboxControl $Sandbox 'zadarma/callbacks' -Method GET) | Should -HaveCount 1
    }

    It 'never shows the secret, even with -Verbose and -Debug' {
        $everything = Invoke-ZadarmaCallback -From 100 -To 442037691881 @Zadarma -Verbose -Debug 4>&1 5>&1
        ConvertTo-SearchableText $everything | Should -Not -Match 'sandbox-zadarma-secret'
    }
}
