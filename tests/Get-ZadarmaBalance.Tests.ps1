# Pester 5 acceptance tests of Get-ZadarmaBalance against the Zadarma sandbox (tests/MessagingTools.Sandbox, under /zadarma/)
# over real HTTP. Run with ./build.ps1 -Task Pester (it builds output/MessagingTools/<version>/ and the sandbox first).
# Behaviours and names come from src/MessagingTools/Commands/Zadarma/, src/MessagingTools.Core/Providers/Zadarma/
# and tests/MessagingTools.Sandbox/Providers/ZadarmaSandbox.cs (key sandbox-zadarma-key, secret sandbox-zadarma-secret).

Describe 'Get-ZadarmaBalance' {
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

    It 'returns the balance as a decimal with its currency' {
        $balance = Get-ZadarmaBalance @Zadarma
        $balance.Balance | Should -BeOfType [decimal]
        $balance.Balance | Should -Be 25.47
        $balance.Currency | Should -Be 'USD'
    }

    It 'takes the credential and the endpoint from the environment' {
        $env:MESSAGINGTOOLS_ZADARMA_API_KEY = 'sandbox-zadarma-key'
        $env:MESSAGINGTOOLS_ZADARMA_API_SECRET = 'sandbox-zadarma-secret'
        $env:MESSAGINGTOOLS_ZADARMA_ENDPOINT = $Sandbox.ZadarmaEndpoint
        try {
            (Get-ZadarmaBalance).Currency | Should -Be 'USD'
        }
        finally {
            Remove-Item -Path Env:MESSAGINGTOOLS_ZADARMA_API_KEY, Env:MESSAGINGTOOLS_ZADARMA_API_SECRET, Env:MESSAGINGTOOLS_ZADARMA_ENDPOINT
        }
    }

    It 'stops with a clear error when no credential is given' {
        { Get-ZadarmaBalance -Endpoint $Sandbox.ZadarmaEndpoint -ErrorAction Stop } | Should -Throw '*MESSAGINGTOOLS_ZADARMA_API_KEY*'
    }

    It 'reports a wrong secret as an authentication error' {
        $wrong = ConvertTo-SecureString -String 'wrong-secret' -AsPlainText -Force
        $bad = New-Object System.Management.Automation.PSCredential ('sandbox-zadarma-key', $wrong)
        $failed = $null
        Get-ZadarmaBalance -Credential $bad -Endpoint $Sandbox.ZadarmaEndpoint -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        ConvertTo-SearchableText $failed | Should -Not -Match 'wrong-secret'
    }
}
