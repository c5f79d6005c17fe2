# Pester 5 acceptance tests of Set-ZadarmaCallerId against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Set-ZadarmaCallerId' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-SandboxSip([string]$Id) {
            @(Invoke-SandboxControl $Sandbox 'zadarma/sips' -Method GET) | Where-Object { $_.id -eq $Id }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget callbacks, SMS, settings, calls, requests and faults; limits back to Zadarma's defaults.
        Reset-TestSandbox $Sandbox
    }

    It 'changes the CallerID of a SIP number' {
        $change = Set-ZadarmaCallerId -Sip 100 -Number '+44 20 3769 1899' @Zadarma
        $change.NewCallerId | Should -Be '442037691899'
        (Get-SandboxSip '100').callerId | Should -Be '442037691899'
    }

    It 'takes the SIP from Get-ZadarmaSip' {
        Get-ZadarmaSip @Zadarma | Where-Object Id -eq '101' | Set-ZadarmaCallerId -Number 442037691898 @Zadarma | Out-Null
        (Get-SandboxSip '101').callerId | Should -Be '442037691898'
    }

    It 'changes nothing with -WhatIf' {
        Set-ZadarmaCallerId -Sip 100 -Number 442037691899 @Zadarma -WhatIf
        (Get-SandboxSip '100').callerId | Should -Be '442037691880'
    }

    It 'reports an unknown SIP with Zadarma''s message' {
        $failed = $null
        Set-ZadarmaCallerId -Sip 999 -Number 442037691899 @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].Exception.ProviderMessage | Should -Be 'Wrong SIP id'
    }
}
