# Pester 5: starting and stopping the sandbox as docs/sandbox.md tells users to (issue 19, item 7). Seen: stopping the
# README's `dotnet run` sandbox with Stop-Process left the server it had started answering on its port.

Describe 'The sandbox starts and stops as documented' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        $Configuration = 'Release'
        if ($env:MESSAGINGTOOLS_TEST_CONFIGURATION) { $Configuration = $env:MESSAGINGTOOLS_TEST_CONFIGURATION }
        $Project = Join-Path $PSScriptRoot 'MessagingTools.Sandbox'

        function Test-Answers {
            param([int]$Port)
            try {
                $null = Invoke-RestMethod -Uri "http://127.0.0.1:$Port/_sandbox/manners" -TimeoutSec 5 -ErrorAction Stop
                return $true
            }
            catch { return $false }
        }

        function Wait-Answers {
            param([int]$Port, [int]$Seconds = 120)
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (Test-Answers $Port)) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "Nothing answered on port $Port within $Seconds s." }
                Start-Sleep -Milliseconds 250
            }
        }
    }

    It 'Start-TestSandbox -Port starts it on that port, and Stop-TestSandbox stops it' {
        $port = Get-FreeTcpPort
        $sandbox = Start-TestSandbox -Port $port
        try {
            $sandbox.BaleEndpoint | Should -Be "http://127.0.0.1:$port/bale/api/v3/"
            Test-Answers $port | Should -BeTrue
        }
        finally {
            Stop-TestSandbox $sandbox
        }
        Test-Answers $port | Should -BeFalse
    }

    It 'Stop-TestSandbox -Port stops a sandbox started with dotnet run, which Stop-Process leaves running' {
        $port = Get-FreeTcpPort
        $log = Join-Path $TestDrive 'dotnet-run.log'
        $run = Start-Process -FilePath 'dotnet' -PassThru -NoNewWindow -RedirectStandardOutput $log -RedirectStandardError "$log.err" -ArgumentList @(
            'run', '--no-build', '-c', $Configuration, '--project', ('"{0}"' -f $Project), '--', '--port', [string]$port)
        try {
            Wait-Answers $port
            Stop-TestSandbox -Port $port
            Test-Answers $port | Should -BeFalse
            $run.WaitForExit(30000) | Should -BeTrue -Because 'dotnet run ends when the program it runs ends'
        }
        finally {
            if (-not $run.HasExited) { $run.Kill($true) }
            Stop-TestSandbox -Port $port -ErrorAction SilentlyContinue
        }
    }

    It 'Stop-TestSandbox -Port is quiet when nothing answers there' {
        { Stop-TestSandbox -Port (Get-FreeTcpPort) } | Should -Not -Throw
    }
}
