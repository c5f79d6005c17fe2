BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Invoke-ZadarmaCallback' {
    BeforeEach { Reset-ZadarmaSandbox }

    It 'places one callback per CSV row, binding the usual column names' {
        $csv = Join-Path $TestDrive 'calls.csv'
        @(
            'Caller,Number,Predicted,Sip'
            '100,+44 20 3769 1881,yes,101'
            '101,442037691882,,'
            '100,not a number,,'
        ) | Set-Content -Path $csv -Encoding utf8

        $results = Import-Csv $csv | Invoke-ZadarmaCallback -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue

        $results | Should -HaveCount 2
        $results[0].To | Should -Be '442037691881'
        $results[0].Predicted | Should -BeTrue
        $results[1].Predicted | Should -BeFalse
        $failed | Should -HaveCount 1
        $failed[0].TargetObject.Number | Should -Be 'not a number'
        $placed = Invoke-SandboxControl 'zadarma/callbacks'
        @($placed) | Should -HaveCount 2
        @($placed)[0].sip | Should -Be '101'
    }

    It 'places nothing with -WhatIf' {
        Invoke-ZadarmaCallback -From 100 -To 442037691881 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -WhatIf
        @(Invoke-SandboxControl 'zadarma/callbacks') | Should -HaveCount 0
    }

    It 'does not repeat a callback that timed out and says the call may have been placed' {
        Invoke-SandboxControl 'faults' @{ kind = 'Hang'; pathContains = '/v1/request/callback/'; count = 3; afterProcessing = $true; delayMs = 5000 } | Out-Null
        Invoke-ZadarmaCallback -From 100 -To 442037691881 -TimeoutSec 1 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].ErrorDetails.Message | Should -Match 'may have been placed'
        @(Invoke-SandboxControl 'zadarma/callbacks') | Should -HaveCount 1
    }

    It 'never shows the secret' {
        $all = Invoke-ZadarmaCallback -From 100 -To 442037691881 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint -Verbose -Debug 4>&1 5>&1 | Out-String
        $all | Should -Not -Match 'sandbox-zadarma-secret'
    }
}
