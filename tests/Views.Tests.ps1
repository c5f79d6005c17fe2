# Pester 5 acceptance tests of the table views (src/MessagingTools/*.Format.ps1xml) as the real PowerShell formatter
# renders them: every result type the module outputs, produced against the sandbox (tests/MessagingTools.Sandbox)
# over real HTTP, printed by default (no Format-* call) through Out-String -Width 80, the width of a classic console
# and of many CI logs. The view's columns are read with Get-FormatData, not repeated here.

BeforeDiscovery {
    # Name: the sample New-ViewSample makes; TypeName: the type its objects are. Readable: the view shows every
    # column and value whole at 80 columns. FreeText: columns of free text that may be cut at the right edge (a
    # message, a provider's message, a failure reason); every other value must show whole to be readable.
    $ViewCases = @(
        @{ Name = 'BaleMessageResult'; TypeName = 'MessagingTools.Core.Providers.Bale.BaleMessageResult'; Readable = $true; FreeText = @('Text') }
        @{ Name = 'BaleFile'; TypeName = 'MessagingTools.Core.Providers.Bale.BaleFile'; Readable = $true; FreeText = @() }
        @{ Name = 'FlashCallResult'; TypeName = 'MessagingTools.Core.Providers.FlashCall.FlashCallResult'; Readable = $true; FreeText = @('Message') }
        @{ Name = 'FeedbotMessageResult'; TypeName = 'MessagingTools.Core.Providers.Feedbot.FeedbotMessageResult'; Readable = $true; FreeText = @('Text') }
        @{ Name = 'FeedbotStatusResult'; TypeName = 'MessagingTools.Core.Providers.Feedbot.FeedbotStatusResult'; Readable = $true; FreeText = @('Reason') }
        @{ Name = 'ZadarmaBalance'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaBalance'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaPrice'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaPrice'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaSip'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaSip'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaRedirection'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaRedirection'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaCallback'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaCallback'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaSms'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaSms'; Readable = $true; FreeText = @('Message') }
        @{ Name = 'ZadarmaRedirectionChange'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaRedirectionChange'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaCallerIdChange'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaCallerIdChange'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaCallRecord'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaCallRecord'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaPbxCallRecord'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaPbxCallRecord'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaCall'; TypeName = 'MessagingTools.Core.Providers.Zadarma.Calls.ZadarmaCall'; Readable = $true; FreeText = @('Route') }
        @{ Name = 'ZadarmaCostSummary'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaCostSummary'; Readable = $true; FreeText = @() }
        @{ Name = 'ZadarmaTimeZone'; TypeName = 'MessagingTools.Core.Providers.Zadarma.ZadarmaTimeZone'; Readable = $true; FreeText = @() }
    )
    $ReadableCases = @($ViewCases | Where-Object { $_.Readable })
}

Describe 'Table views' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $Bale = @{ ApiKey = $Sandbox.BaleApiKey; Endpoint = $Sandbox.BaleEndpoint }
        $Zadarma = Get-SandboxZadarmaConnection -Sandbox $Sandbox

        function New-ViewSample {
            # Results of one type, produced against the sandbox the way a user would.
            param([string]$Name)
            switch ($Name) {
                'BaleMessageResult' { Send-BaleMessage -PhoneNumber '0912 345 6789' -Text 'Hello' -BotId 123 @Bale }
                'BaleFile' {
                    $path = Join-Path $TestDrive 'invoice-2026-11.pdf'
                    [System.IO.File]::WriteAllBytes($path, [byte[]](1..200))
                    Publish-BaleFile -LiteralPath $path @Bale
                }
                'FlashCallResult' { Send-FlashCall -Destination '0912 345 6789' -Token $Sandbox.FlashCallToken -Endpoint $Sandbox.FlashCallEndpoint }
                'FeedbotMessageResult' {
                    Send-FeedbotMessage -Phone '+972 58-666-6641' -Message 'Your order has shipped' -ExpiresAt '2030-11-22 10:00' `
                        -Token $Sandbox.FeedbotToken -Endpoint $Sandbox.FeedbotEndpoint
                }
                'FeedbotStatusResult' {
                    # No pending time: the number ending in 0 fails (with a reason), the other one is sent.
                    $null = Invoke-SandboxControl $Sandbox 'feedbot/status-delay/0'
                    @([pscustomobject]@{ Phone = '972586666641'; Message = 'Status please' }, [pscustomobject]@{ Phone = '972586666640'; Message = 'Status please' }) |
                        Send-FeedbotMessage -Token $Sandbox.FeedbotToken -Endpoint $Sandbox.FeedbotEndpoint |
                        Get-FeedbotStatus -Token $Sandbox.FeedbotToken -Endpoint $Sandbox.FeedbotStatusEndpoint
                }
                'ZadarmaBalance' { Get-ZadarmaBalance @Zadarma }
                'ZadarmaPrice' { '+44 20 3769 1880', '79001234567' | Get-ZadarmaPrice @Zadarma }
                'ZadarmaSip' { Get-ZadarmaSip @Zadarma }
                'ZadarmaRedirection' { Get-ZadarmaSip @Zadarma | Get-ZadarmaRedirection @Zadarma }
                'ZadarmaCallback' { Invoke-ZadarmaCallback -From 100 -To '+44 20 3769 1881' -Sip 101 -Predicted @Zadarma }
                'ZadarmaSms' { Send-ZadarmaSms -Number 79001234567 -Message 'Your code: 1234' @Zadarma }
                'ZadarmaRedirectionChange' { Set-ZadarmaRedirection -Sip 100 -Number '+7 900 111 22 33' -Status On @Zadarma }
                'ZadarmaCallerIdChange' { Set-ZadarmaCallerId -Sip 100 -Number 442037691899 @Zadarma }
                'ZadarmaCallRecord' {
                    $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 3; start = '2026-11-01 00:00:00'; end = '2026-11-02 23:59:59' }
                    Get-ZadarmaStatistics -Start '2026-11-01' -End '2026-11-02' @Zadarma
                }
                'ZadarmaCall' {
                    # Calls as Receive-ZadarmaCall writes them (with their Route), the sandbox playing Zadarma from a
                    # runspace of its own while the listener holds this thread.
                    $port = Get-FreeTcpPort
                    $zadarma = [powershell]::Create().AddScript({
                            param($Uri, $Url)
                            Invoke-RestMethod -Method Post -Uri $Uri -ContentType 'application/json' -TimeoutSec 60 `
                                -Body (ConvertTo-Json -Compress @{ url = $Url; count = 3; waitMs = 20000 })
                        }).AddArgument($Sandbox.BaseUri + '_sandbox/zadarma/notify').AddArgument("http://127.0.0.1:$port/")
                    $pending = $zadarma.BeginInvoke()
                    try {
                        Receive-ZadarmaCall -Prefix "http://127.0.0.1:$port/" -Credential $Zadarma.Credential -Count 3 -Timeout 30 -Route {
                            switch ([int]$_.CallerId.Substring(5) % 3) { 0 { } 1 { '100' } 2 { @{ Redirect = 'blacklist' } } } }
                    }
                    finally {
                        $null = $zadarma.EndInvoke($pending)
                        $zadarma.Dispose()
                    }
                }
                'ZadarmaPbxCallRecord' {
                    $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 3; start = '2026-11-01 00:00:00'; end = '2026-11-02 23:59:59' }
                    Get-ZadarmaPbxStatistics -Start '2026-11-01' -End '2026-11-02' @Zadarma
                }
                'ZadarmaCostSummary' {
                    $null = Invoke-SandboxControl $Sandbox 'zadarma/calls' -Body @{ count = 3; start = '2026-11-01 00:00:00'; end = '2026-11-02 23:59:59' }
                    Get-ZadarmaStatistics -Start '2026-11-01' -End '2026-11-02' -Sip 100 -CostOnly @Zadarma
                }
                'ZadarmaTimeZone' {
                    $null = Invoke-SandboxControl $Sandbox 'zadarma/timezone' -Body @{ name = 'Europe/Berlin' }
                    Get-ZadarmaTimeZone @Zadarma
                }
                default { throw "No sample for '$Name'." }
            }
        }

        function Get-TableView {
            # The table view PowerShell holds for a type: its column labels and properties, in order.
            param([string]$TypeName)
            $data = @(Get-FormatData -TypeName $TypeName)
            if ($data.Count -ne 1) { throw "Expected one format definition for $TypeName, found $($data.Count)." }
            $table = @($data[0].FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })
            if ($table.Count -ne 1) { throw "Expected one table view for $TypeName, found $($table.Count)." }
            $control = $table[0].Control
            $columns = @($control.Rows[0].Columns)
            $labels = New-Object System.Collections.Generic.List[string]
            for ($i = 0; $i -lt $columns.Count; $i++) {
                $label = $control.Headers[$i].Label
                if (-not $label) { $label = $columns[$i].DisplayEntry.Value }
                $labels.Add($label)
            }
            [pscustomobject]@{
                Labels     = $labels.ToArray()
                # A column shows a property, or what a script block makes of the object (a shorter date).
                Properties = @($columns | ForEach-Object { $_.DisplayEntry.Value })
                Kinds      = @($columns | ForEach-Object { [string]$_.DisplayEntry.ValueType })
            }
        }

        function Split-RenderedTable {
            # The parts of a rendered table: the header lines (above the first line of dashes), the dashes line and
            # the data lines (non-blank lines below it). Dashes is $null when the text holds no table.
            param([string]$Text)
            $lines = @($Text -split '\r?\n')
            $dashes = -1
            for ($i = 0; $i -lt $lines.Count; $i++) {
                if ($lines[$i] -match '^[ -]*-[ -]*$') { $dashes = $i; break }
            }
            if ($dashes -lt 0) { return [pscustomobject]@{ Lines = $lines; Header = @(); Dashes = $null; Data = @() } }
            $header = @($lines[0..($dashes - 1)] | Where-Object { $_.Trim() })
            $data = @()
            if ($dashes + 1 -lt $lines.Count) { $data = @($lines[($dashes + 1)..($lines.Count - 1)] | Where-Object { $_.Trim() }) }
            [pscustomobject]@{ Lines = $lines; Header = $header; Dashes = $lines[$dashes]; Data = $data }
        }

        function Assert-ReadableAt80 {
            # At 80 columns: one header line (none wrapped) holding every column of the view in order, and each
            # object's line showing every value whole, except the -FreeText columns (a provider's message, a failure
            # reason), which may be cut at the right edge.
            param([string]$Name, [string]$TypeName, [string[]]$FreeText = @())
            $objects = @(Get-ViewSample -Name $Name)
            $view = Get-TableView -TypeName $TypeName

            $narrow = Split-RenderedTable ($objects | Out-String -Width 80)

            $narrow.Header.Count | Should -Be 1 -Because 'no header may wrap'
            (@($narrow.Header[0].Trim() -split '\s+') -join ',') | Should -BeExactly ($view.Labels -join ',')
            $narrow.Data.Count | Should -Be $objects.Count
            # Headers are property names (a script block column is headed by the property it shows).
            foreach ($label in $view.Labels) { @($objects[0].PSObject.Properties.Name) | Should -Contain $label }
            for ($i = 0; $i -lt $objects.Count; $i++) {
                for ($c = 0; $c -lt $view.Properties.Count; $c++) {
                    $property = $view.Properties[$c]
                    if ($FreeText -contains $property -or $FreeText -contains $view.Labels[$c]) { continue }
                    if ($view.Kinds[$c] -eq 'ScriptBlock') { $value = $objects[$i] | ForEach-Object ([scriptblock]::Create($property)) }
                    else { $value = $objects[$i].$property }
                    if ($null -eq $value -or '' -eq [string]$value) { continue }
                    # The table shows a value as its ToString() in the current culture.
                    $pattern = '*' + [System.Management.Automation.WildcardPattern]::Escape($value.ToString()) + '*'
                    $narrow.Data[$i] | Should -BeLike $pattern -Because "$($view.Labels[$c]) must show whole"
                }
            }
        }

        $Samples = @{}
        function Get-ViewSample {
            # Each sample is made once: the cases below share it.
            param([string]$Name)
            if (-not $Samples.ContainsKey($Name)) { $Samples[$Name] = @(New-ViewSample -Name $Name) }
            return $Samples[$Name]
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    It '<Name> prints as a table of its view''s columns, no line longer than 80 characters' -ForEach $ViewCases {
        $objects = @(Get-ViewSample -Name $Name)
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames[0] | Should -Be $TypeName
        $view = Get-TableView -TypeName $TypeName

        $narrow = Split-RenderedTable ($objects | Out-String -Width 80)

        # A table: header lines, a line of dashes, one line per object.
        $narrow.Dashes | Should -Not -BeNullOrEmpty
        $narrow.Header.Count | Should -BeGreaterThan 0
        $narrow.Data.Count | Should -Be $objects.Count
        @($narrow.Header[0].Trim() -split '\s+')[0] | Should -BeExactly $view.Labels[0]
        foreach ($line in $narrow.Lines) { $line.Length | Should -BeLessOrEqual 80 -Because "'$line' must fit 80 columns" }

        # Given room, the header is exactly the view's columns in order (not PowerShell's default columns).
        $wide = Split-RenderedTable ($objects | Out-String -Width 250)
        $wide.Header.Count | Should -Be 1
        (@($wide.Header[0].Trim() -split '\s+') -join ',') | Should -BeExactly ($view.Labels -join ',')
        $wide.Data.Count | Should -Be $objects.Count
    }

    Context 'Readable at 80 columns' {
        It '<Name> shows every column and every value whole at 80 columns' -ForEach $ReadableCases {
            Assert-ReadableAt80 -Name $Name -TypeName $TypeName -FreeText $FreeText
        }
    }
}
