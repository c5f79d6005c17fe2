# Pester 5 acceptance tests of Get-ZadarmaSipStatus against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP; the sandbox checks every signature as Zadarma does. Run with ./build.ps1 -Task Pester.
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.Api.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaSipStatus' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function Get-ZadarmaRequestLog([string]$PathEnd) {
            @(Get-SandboxRequest $Sandbox) | Where-Object { $_.path.EndsWith($PathEnd) }
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It 'reads the status of one SIP number from its own path' {
        $status = Get-ZadarmaSipStatus -Sip 100 @Zadarma
        $status.Sip | Should -Be '100'
        $status.IsOnline | Should -BeTrue
        (Get-ZadarmaRequestLog '/v1/sip/100/status/').method | Should -Be 'GET'
    }

    It 'takes the SIP numbers piped from Get-ZadarmaSip' {
        $statuses = @(Get-ZadarmaSip @Zadarma | Get-ZadarmaSipStatus @Zadarma)
        $statuses.Sip | Should -Be @('100', '101')
        $statuses.IsOnline | Should -Be @($true, $false)
    }

    It 'follows the sandbox when a SIP number comes online' {
        Invoke-SandboxControl $Sandbox 'zadarma/online' -Body @{ sip = '101'; online = $true } | Out-Null
        (Get-ZadarmaSipStatus 101 @Zadarma).IsOnline | Should -BeTrue
    }

    It 'gives a SIP number Zadarma does not know its own error, naming its row, and goes on' {
        $rows = @([pscustomobject]@{ Id = '999' }, [pscustomobject]@{ Id = '100' })
        $failed = $null
        $statuses = @($rows | Get-ZadarmaSipStatus @Zadarma -ErrorAction SilentlyContinue -ErrorVariable failed)
        $statuses.Sip | Should -Be @('100')
        $failed | Should -HaveCount 1
        $failed[0].Exception.ProviderMessage | Should -Be 'Wrong SIP id'
        $failed[0].TargetObject.Id | Should -Be '999'
    }
}
