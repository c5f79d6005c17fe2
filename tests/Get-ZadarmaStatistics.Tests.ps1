BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaStatistics' {
    BeforeEach {
        Reset-ZadarmaSandbox
        # Statistics have their own limit (3 a window); a one-second window keeps the paging fast.
        Invoke-SandboxControl 'zadarma/ratelimit' @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 } | Out-Null
        Invoke-SandboxControl 'zadarma/calls' @{ count = 2500; start = '2026-09-01 00:00:00'; end = '2026-11-14 23:59:59' } | Out-Null
    }

    It 'returns every call of a period longer than a month' {
        $calls = Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $calls | Should -HaveCount 2500
        ($calls.Id | Select-Object -Unique) | Should -HaveCount 2500
        $calls[0].CallStart | Should -BeOfType [DateTimeOffset]
        $calls[0].BillCost | Should -BeOfType [decimal]
    }

    It 'filters by SIP' {
        $calls = Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' -Sip 100 -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $calls | Should -HaveCount 1250
        $calls.Sip | Select-Object -Unique | Should -Be '100'
    }
}
