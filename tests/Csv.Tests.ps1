# Pester 5 acceptance tests of CSV files as spreadsheet programs write them, read by the real Import-Csv and sent with
# Send-BaleMessage to the sandbox (tests/MessagingTools.Sandbox) over real HTTP; and of results written with the real
# Export-Csv and read back.
# The files are written byte by byte ([System.IO.File]::WriteAllText with an explicit encoding) into $TestDrive, the
# way Excel ("CSV UTF-8", with a BOM; ";" where the decimal separator is a comma; "Unicode Text", UTF-16 with tabs) and
# LibreOffice Calc (UTF-8 without a BOM) save them, with CRLF line ends.
# This file holds Persian text: it is saved as UTF-8 WITH a BOM, which Windows PowerShell 5.1 needs to read it.

Describe 'CSV files from spreadsheets' {
    BeforeAll {
        Import-Module -Name (Join-Path $PSScriptRoot 'Sandbox.psm1') -Force
        Import-BuiltModule

        $Sandbox = Start-TestSandbox
        $ApiKey = $Sandbox.BaleApiKey
        $Bale = @{ BotId = 123; ApiKey = $ApiKey; Endpoint = $Sandbox.BaleEndpoint }

        # The Persian literals below must have been read as UTF-8: otherwise the CSV files and the expected values would
        # carry the same garbled text and the comparisons would prove nothing.
        if ('سلام'.Length -ne 4 -or [int][char]'س' -ne 0x0633) { throw 'Csv.Tests.ps1 was not read as UTF-8 (is its BOM missing?).' }

        # The rows every spreadsheet file below holds, in this order. Texts carry what spreadsheets produce and plain
        # CSV splitting gets wrong: the Persian comma, a zero-width non-joiner (U+200C) inside a word, Persian digits,
        # an ASCII comma and a semicolon inside a quoted cell, doubled quotes; a phone in Persian digits with a
        # right-to-left mark (U+200F) that right-to-left editors insert. Row 4 has a phone that is not a mobile number.
        $SpreadsheetRows = @(
            [pscustomobject]@{ Phone = '0912 345 6701'; Text = 'سلام، دوست عزیز'; Digits = '989123456701' }
            [pscustomobject]@{ Phone = ([string][char]0x200F) + '۰۹۱۲۳۴۵۶۷۰۲'; Text = 'کد شما: ۴۸۲۱۳'; Digits = '989123456702' }
            [pscustomobject]@{ Phone = '+98 912 345 6703'; Text = ('می' + [char]0x200C + 'خواهم "نقل قول" کنم, با کاما; و نقطه‌ویرگول'); Digits = '989123456703' }
            [pscustomobject]@{ Phone = '12345'; Text = 'ردیف بد'; Digits = $null }
            [pscustomobject]@{ Phone = '00989123456705'; Text = 'پایان ✓ 🎉'; Digits = '989123456705' }
        )

        function ConvertTo-CsvCell {
            # Quotes a cell the way Excel does: only when it holds the delimiter, a quote or a line break.
            param([string]$Value, [string]$Delimiter)
            if ($Value.Contains($Delimiter) -or $Value.Contains('"') -or $Value.Contains("`n")) {
                return '"' + $Value.Replace('"', '""') + '"'
            }
            return $Value
        }

        function Write-SpreadsheetCsv {
            # Writes $SpreadsheetRows as a spreadsheet program would and returns the path. -Encoding is the .NET
            # encoding object, so that the BOM is exactly what it says (UTF8Encoding($true) writes one, ($false) not).
            param([string]$Name, [string]$Delimiter, [System.Text.Encoding]$Encoding, [string]$NewLine = "`r`n")
            $lines = @('Phone' + $Delimiter + 'Message')
            foreach ($row in $SpreadsheetRows) {
                $lines += (ConvertTo-CsvCell $row.Phone $Delimiter) + $Delimiter + (ConvertTo-CsvCell $row.Text $Delimiter)
            }
            $path = Join-Path $TestDrive $Name
            # Excel ends the last row with a line break too.
            [System.IO.File]::WriteAllText($path, (($lines -join $NewLine) + $NewLine), $Encoding)
            return $path
        }
    }

    AfterAll {
        if ($Sandbox) { Stop-TestSandbox -Sandbox $Sandbox }
    }

    BeforeEach {
        Reset-TestSandbox $Sandbox
    }

    Context 'Import-Csv | Send-BaleMessage' {
        It 'sends the text of <Name> intact and ends every row as one result or one error, in row order' -ForEach @(
            @{ Name = 'Excel "CSV UTF-8" (BOM, comma, CRLF)'; File = 'excel-utf8.csv'; Delimiter = ','; EncodingName = 'utf8bom'; Bom = 'EF-BB-BF' }
            @{ Name = 'Excel with a ";" list separator (BOM, CRLF)'; File = 'excel-semicolon.csv'; Delimiter = ';'; EncodingName = 'utf8bom'; Bom = 'EF-BB-BF' }
            @{ Name = 'LibreOffice Calc (UTF-8 without BOM, comma, CRLF)'; File = 'libreoffice.csv'; Delimiter = ','; EncodingName = 'utf8'; Bom = '' }
            @{ Name = 'LibreOffice Calc with ";" (UTF-8 without BOM, CRLF)'; File = 'libreoffice-semicolon.csv'; Delimiter = ';'; EncodingName = 'utf8'; Bom = '' }
            @{ Name = 'Excel "Unicode Text" (UTF-16 LE with BOM, tab, CRLF)'; File = 'excel-unicode.txt'; Delimiter = "`t"; EncodingName = 'utf16'; Bom = 'FF-FE' }
        ) {
            switch ($EncodingName) {
                'utf8bom' { $encoding = New-Object System.Text.UTF8Encoding($true); $importEncoding = 'UTF8' }
                'utf8' { $encoding = New-Object System.Text.UTF8Encoding($false); $importEncoding = 'UTF8' }
                'utf16' { $encoding = New-Object System.Text.UnicodeEncoding($false, $true); $importEncoding = 'Unicode' }
            }
            $csv = Write-SpreadsheetCsv -Name $File -Delimiter $Delimiter -Encoding $encoding
            # The file is what the spreadsheet would have written: the BOM (or none), CRLF line ends.
            $bytes = [System.IO.File]::ReadAllBytes($csv)
            $head = [System.BitConverter]::ToString($bytes, 0, 3)
            if ($Bom) { $head | Should -BeLike "$Bom*" } else { $head | Should -Not -BeLike 'EF-BB-BF*' }
            $encoding.GetString($bytes) | Should -Match "Message`r`n"

            # Errors merged into the output stream (2>&1) keep their place among the results.
            $outcomes = @(Import-Csv -LiteralPath $csv -Delimiter $Delimiter -Encoding $importEncoding |
                Send-BaleMessage @Bale -ErrorAction Continue 2>&1)

            # One outcome per row, in row order: a result carries the row's text, an error the row itself.
            $outcomes.Count | Should -Be $SpreadsheetRows.Count
            for ($i = 0; $i -lt $SpreadsheetRows.Count; $i++) {
                $expected = $SpreadsheetRows[$i]
                $outcome = $outcomes[$i]
                if ($null -eq $expected.Digits) {
                    $outcome | Should -BeOfType [System.Management.Automation.ErrorRecord]
                    $outcome.FullyQualifiedErrorId | Should -BeLike 'PhoneNumberIsNotAnIranianMobileNumber,*'
                    $outcome.ErrorDetails.Message | Should -BeLike ('Row {0}, PhoneNumber: *' -f ($i + 1))
                    $outcome.TargetObject.Phone | Should -BeExactly $expected.Phone
                    $outcome.TargetObject.Message | Should -BeExactly $expected.Text
                }
                else {
                    $outcome | Should -Not -BeOfType [System.Management.Automation.ErrorRecord]
                    $outcome.PhoneNumber | Should -BeExactly $expected.Digits
                    $outcome.Text | Should -BeExactly $expected.Text
                }
            }

            # The sandbox received every good row once, its text exactly as in the cell.
            $good = @($SpreadsheetRows | Where-Object { $null -ne $_.Digits })
            $deliveries = @(Get-SandboxBaleDelivery $Sandbox)
            $deliveries.Count | Should -Be $good.Count
            foreach ($row in $good) {
                $match = @($deliveries | Where-Object { $_.phoneNumber -eq $row.Digits })
                $match.Count | Should -Be 1
                $match[0].text | Should -BeExactly $row.Text
            }
        }
    }

    Context 'Export-Csv of the results' {
        It 'keeps PhoneNumber, RequestId and the other columns, and sending the exported rows again delivers nothing twice' {
            $csv = Write-TestCsv 'to-send.csv' @(
                'Phone,Message,Secure'
                '0912 345 6781,پیام اول,no'
                '+98 912 345 6782,"second, with a comma",no'
                '۰۹۱۲۳۴۵۶۷۸۳,پیام امن,yes'
                '09123456784,fourth,'
            )
            $sent = @(Import-Csv -LiteralPath $csv -Encoding UTF8 | Send-BaleMessage @Bale)
            $sent.Count | Should -Be 4
            $exported = Join-Path $TestDrive 'sent.csv'
            # -NoTypeInformation: Windows PowerShell 5.1 writes a #TYPE line without it.
            $sent | Export-Csv -LiteralPath $exported -NoTypeInformation -Encoding UTF8

            $header = @(Get-Content -LiteralPath $exported -Encoding UTF8 -TotalCount 1)[0]
            $columns = @($header.Split(',') | ForEach-Object { $_.Trim('"') })
            foreach ($column in @('PhoneNumber', 'RequestId', 'BotId', 'Kind', 'Text', 'IsSecure', 'SentAt', 'Attempts')) {
                $columns | Should -Contain $column
            }
            $rows = @(Import-Csv -LiteralPath $exported -Encoding UTF8)
            $rows.Count | Should -Be 4
            for ($i = 0; $i -lt 4; $i++) {
                $rows[$i].PhoneNumber | Should -BeExactly $sent[$i].PhoneNumber
                $rows[$i].RequestId | Should -BeExactly $sent[$i].RequestId
                $rows[$i].Text | Should -BeExactly $sent[$i].Text
                $rows[$i].BotId | Should -Be ([string]$sent[$i].BotId)
                $rows[$i].IsSecure | Should -Be ([string]$sent[$i].IsSecure)
                $rows[$i].Kind | Should -Be ([string]$sent[$i].Kind)
                # SentAt is written as text: it reads back as the same moment (to the second the text keeps).
                [Math]::Abs(([DateTimeOffset]::Parse($rows[$i].SentAt) - $sent[$i].SentAt).TotalSeconds) | Should -BeLessThan 1
            }
            $before = @(Get-SandboxBaleDelivery $Sandbox)
            $before.Count | Should -Be 4
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 4

            # The exported rows bind by name (PhoneNumber, Text, RequestId, BotId, IsSecure): a repeated run.
            $errs = $null
            $again = @(Import-Csv -LiteralPath $exported -Encoding UTF8 |
                Send-BaleMessage -ApiKey $ApiKey -Endpoint $Sandbox.BaleEndpoint -ErrorAction SilentlyContinue -ErrorVariable errs)

            @($errs).Count | Should -Be 0
            $again.Count | Should -Be 4
            ($again.RequestId -join ',') | Should -BeExactly ($sent.RequestId -join ',')
            ($again.IsSecure -join ',') | Should -Be 'False,False,True,False'
            # The requests really went out again, and Safir (the sandbox) dropped them as repeats.
            @(Get-SandboxRequest $Sandbox).Count | Should -Be 8
            $after = @(Get-SandboxBaleDelivery $Sandbox)
            $after.Count | Should -Be 4
            ($after.requestId | Sort-Object) -join ',' | Should -BeExactly (($sent.RequestId | Sort-Object) -join ',')
        }
    }
}
