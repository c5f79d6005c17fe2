BeforeAll {
    . (Join-Path $PSScriptRoot 'Zadarma.TestHelpers.ps1')
    Start-ZadarmaSandbox
}

AfterAll { Stop-ZadarmaSandbox }

Describe 'Get-ZadarmaPbxStatistics' {
    BeforeEach {
        Reset-ZadarmaSandbox
        Invoke-SandboxControl 'zadarma/ratelimit' @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 } | Out-Null
        Invoke-SandboxControl 'zadarma/calls' @{ count = 1200; start = '2026-11-01 00:00:00'; end = '2026-11-20 00:00:00' } | Out-Null
    }

    It 'returns every PBX call of the period' {
        $calls = Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-20' -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $calls | Should -HaveCount 1200
        $calls[0].CallStart | Should -BeOfType [DateTimeOffset]
    }

    It 'returns only incoming calls with -Direction Incoming' {
        $calls = Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-20' -Direction Incoming -Credential $ZadarmaCredential -Endpoint $ZadarmaEndpoint
        $calls | Should -HaveCount 400
    }
}
