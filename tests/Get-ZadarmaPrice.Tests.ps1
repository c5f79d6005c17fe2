# Pester 5 acceptance tests of Get-ZadarmaPrice against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaPrice' {
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

    It 'prices each piped number, in input order' {
        $prices = @('+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice @Zadarma)
        $prices | Should -HaveCount 2
        $prices[0].Number | Should -Be '442037691880'
        $prices[0].PricePerMinute | Should -Be 0.009
        $prices[1].Number | Should -Be '79001234567'
        $prices[1].PricePerMinute | Should -BeOfType [decimal]
    }

    It 'reports a bad number as that input''s error' {
        $failed = $null
        'abc' | Get-ZadarmaPrice @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        @($failed) | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaNumberIsInvalid*'
        @(Get-SandboxRequest $Sandbox) | Should -HaveCount 0
    }
}
