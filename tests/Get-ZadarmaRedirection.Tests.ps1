# Pester 5 acceptance tests of Get-ZadarmaRedirection against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaRedirection' {
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

    It 'shows the forwarding of every SIP number' {
        $all = @(Get-ZadarmaRedirection @Zadarma)
        $all | Should -HaveCount 2
        ($all | Where-Object SipId -eq '101').Enabled | Should -BeTrue
        ($all | Where-Object SipId -eq '101').DestinationValue | Should -Be '79001234567'
    }

    It 'shows the forwarding of one SIP number' {
        $one = @(Get-ZadarmaRedirection -Sip 100 @Zadarma)
        $one | Should -HaveCount 1
        $one[0].Enabled | Should -BeFalse
    }
}
