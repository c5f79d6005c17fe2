# Pester 5 acceptance tests of Get-ZadarmaStatistics against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaStatistics' {
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
        # Statistics have their own limit (3 a window); a one-second window keeps the paging fast.
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 }
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 2500; start = '2026-09-01 00:00:00'; end = '2026-11-14 23:59:59' }
    }

    It 'returns every call of a period longer than a month' {
        $calls = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' @Zadarma)
        $calls | Should -HaveCount 2500
        @($calls.Id | Select-Object -Unique) | Should -HaveCount 2500
        $calls[0].CallStart | Should -BeOfType [DateTimeOffset]
        $calls[0].BillCost | Should -BeOfType [decimal]
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/statistics/' }).Count | Should -BeGreaterThan 3
    }

    It 'filters by SIP' {
        $calls = @(Get-ZadarmaStatistics -Start '2026-09-01' -End '2026-11-14 23:59:59' -Sip 100 @Zadarma)
        $calls | Should -HaveCount 1250
        @($calls.Sip | Select-Object -Unique) | Should -Be @('100')
    }
}
