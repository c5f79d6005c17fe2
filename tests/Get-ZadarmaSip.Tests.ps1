# Pester 5 acceptance tests of Get-ZadarmaSip against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaSip' {
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

    It 'lists the SIP numbers of the account' {
        $sips = @(Get-ZadarmaSip @Zadarma)
        $sips | Should -HaveCount 2
        $sips[0].Id | Should -Be '100'
        $sips[0].DisplayName | Should -Be 'Reception'
        $sips[0].Lines | Should -Be 3
    }

    It 'pipes into Get-ZadarmaRedirection by Id' {
        $redirections = @(Get-ZadarmaSip @Zadarma | Get-ZadarmaRedirection @Zadarma)
        $redirections.SipId | Should -Be @('100', '101')
    }
}
