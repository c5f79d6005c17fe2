# Pester 5 acceptance tests of Get-FeedbotStatus against the sandbox over real HTTP, including
# Import-Csv | Send-FeedbotMessage | Get-FeedbotStatus -Wait. Behaviours from
# src/MessagingTools/Commands/Feedbot/GetFeedbotStatusCommand.cs, FeedbotClient.WaitForStatusAsync and
# tests/MessagingTools.Sandbox/Providers/FeedbotSandbox.cs (pending for status-delay ms, then sent; numbers ending in 0 fail).

Describe 'Get-FeedbotStatus' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule
        $Sandbox = Start-TestSandbox
        $Send = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotEndpoint }
        $Status = @{ Token = $Sandbox.FeedbotToken; Endpoint = $Sandbox.FeedbotStatusEndpoint }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        # Forget queued messages, requests and faults; the status delay back to 1 s (FeedbotSandbox.Reset), latency to 0.
        Reset-TestSandbox $Sandbox
    }

    It 'follows Import-Csv | Send-FeedbotMessage | Get-FeedbotStatus -Wait to the end' {
        $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/300'
        $csv = Write-TestCsv 'wait.csv' @('Phone,Message', '972586666641,a', '972586666640,b', '972586666643,c')
        $statuses = @(Import-Csv -LiteralPath $csv | Send-FeedbotMessage @Send | Get-FeedbotStatus @Status -Wait -PollInterval 0.1 -Timeout 30)

        $statuses.Count | Should -Be 3
        $statuses.Phone | Should -Be @('972586666641', '972586666640', '972586666643')
        ($statuses | ForEach-Object { [string]$_.Status }) | Should -Be @('Sent', 'Failed', 'Sent')
        $statuses[1].Reason | Should -Be 'The number is not registered on WhatsApp'
        $queued = @(Invoke-SandboxControl $Sandbox 'feedbot/queued' -Method GET)
        $statuses.Id | Should -Be @($queued.id)
    }

    It 'outputs still-pending messages as Pending with a warning when -Timeout passes' {
        $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/600000'
        $sent = @(Send-FeedbotMessage 972586666641 'slow' @Send)
        $warnings = $null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $statuses = @($sent | Get-FeedbotStatus @Status -Wait -Timeout 1 -PollInterval 0.1 -WarningVariable warnings -WarningAction SilentlyContinue)
        $watch.Stop()

        $statuses.Count | Should -Be 1
        [string]$statuses[0].Status | Should -Be 'Pending'
        @($warnings).Count | Should -Be 1
        [string]$warnings[0] | Should -Match 'still pending'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'reads ids from an Id column and reports unknown ids as errors' {
        $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/0'
        $sent = Send-FeedbotMessage 972586666641 'x' @Send
        $csv = Write-TestCsv 'ids.csv' @('Id', $sent.Id, 'no-such-id')
        $errs = $null
        $statuses = @(Import-Csv -LiteralPath $csv | Get-FeedbotStatus @Status -ErrorAction SilentlyContinue -ErrorVariable errs)

        $statuses.Count | Should -Be 1
        [string]$statuses[0].Status | Should -Be 'Sent'
        @($errs).Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject.Id | Should -Be 'no-such-id'
    }
}
