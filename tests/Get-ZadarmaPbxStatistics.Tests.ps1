# Pester 5 acceptance tests of Get-ZadarmaPbxStatistics against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaPbxStatistics' {
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
        $null = Invoke-SandboxControl $Sandbox 'zadarma/ratelimit' -Body @{ limit = 100; statisticsLimit = 3; windowSeconds = 1 }
        $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 1200; start = '2026-11-01 00:00:00'; end = '2026-11-20 00:00:00' }
    }

    It 'returns every PBX call of the period' {
        $calls = @(Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-20' @Zadarma)
        $calls | Should -HaveCount 1200
        $calls[0].CallStart | Should -BeOfType [DateTimeOffset]
    }

    It 'reads the account time zone from Zadarma when -UtcOffset is not given' {
        $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'UTC+3' }
        $calls = @(Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-02' @Zadarma)
        $calls | Should -Not -BeNullOrEmpty
        @($calls | ForEach-Object { $_.CallStart.Offset.TotalHours } | Select-Object -Unique) | Should -Be @(3)
        @(Get-SandboxRequest $Sandbox | Where-Object { $_.path -like '*/v1/info/timezone/' }) | Should -HaveCount 1
    }

    It 'returns only incoming calls with -Direction Incoming' {
        $calls = @(Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-20' -Direction Incoming @Zadarma)
        $calls | Should -HaveCount 400
    }
}
