# Pester 5 acceptance tests of Set-ZadarmaRedirection against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Set-ZadarmaRedirection' {
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

    It 'changes the target and switches forwarding on' {
        $change = Set-ZadarmaRedirection -Sip 100 -Number '+7 900 111 22 33' -Status On @Zadarma
        $change.Enabled | Should -BeTrue
        $change.Destination | Should -Be '79001112233'
        $now = Get-ZadarmaRedirection -Sip 100 @Zadarma
        $now.Enabled | Should -BeTrue
        $now.DestinationValue | Should -Be '79001112233'
    }

    It 'switches every active forwarding off from a pipeline' {
        Get-ZadarmaRedirection @Zadarma | Where-Object Enabled | Set-ZadarmaRedirection -Status Off @Zadarma | Out-Null
        @(Get-ZadarmaRedirection @Zadarma | Where-Object Enabled) | Should -HaveCount 0
    }

    It 'refuses a change with nothing to change' {
        $failed = $null
        Set-ZadarmaRedirection -Sip 100 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ZadarmaRedirectionChangeIsEmpty*'
    }

    It 'changes nothing with -WhatIf' {
        Set-ZadarmaRedirection -Sip 100 -Status On @Zadarma -WhatIf
        (Get-ZadarmaRedirection -Sip 100 @Zadarma).Enabled | Should -BeFalse
    }
}
