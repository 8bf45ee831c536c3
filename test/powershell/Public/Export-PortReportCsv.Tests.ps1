#Requires -Version 7.5
# Export-PortReportCsv: formula-guarded cells, arrays one element a line, -WhatIf, -NoClobber.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
}

AfterAll {
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Export-PortReportCsv' {
    It 'guards every cell a spreadsheet would run as a formula, and nothing else' {
        $evil = '=HYPERLINK("http://x","y")', '+cmd|'' /C calc''!A0', '@SUM(1)', '-2+3', "`tx", "'quoted", 'plain, "text"'
        $objs = $evil | ForEach-Object { [pscustomobject]@{ PSTypeName = 'PortReport.Connection'; ProcessName = $_; LocalPort = 22; Modules = @('/lib/a.so', '=b.so') } }
        $file = Join-Path $TestDrive 'out.csv'
        $objs | Export-PortReportCsv -Path $file
        $back = Import-Csv -LiteralPath $file
        $back.Count | Should -Be $evil.Count
        for ($i = 0; $i -lt $evil.Count; $i++) {
            $cell = $back[$i].ProcessName
            if ($evil[$i] -match "^[=+\-@`t']") { $cell | Should -BeExactly ("'" + $evil[$i]) } else { $cell | Should -BeExactly $evil[$i] }
        }
        $back[0].LocalPort | Should -Be '22'
        $back[0].Modules | Should -BeExactly "/lib/a.so`n=b.so"  # a cell is a formula only by its first character
        (Get-Content -LiteralPath $file -Raw) | Should -Not -Match '(^|,)"?[=+@-]'
    }

    It 'writes the objects Get-PortReport returns, arrays included, and honours -WhatIf and -NoClobber' {
        $file = Join-Path $TestDrive 'live.csv'
        Get-PortReport -State Listen | Export-PortReportCsv -Path $file -WhatIf
        Test-Path -LiteralPath $file | Should -BeFalse
        Get-PortReport -State Listen | Export-PortReportCsv -Path $file
        $rows = Import-Csv -LiteralPath $file
        $rows.Count | Should -BeGreaterThan 0
        (Get-Content -LiteralPath $file -Raw) | Should -Not -Match 'System\.(String|Object)\[\]'
        { Get-PortReport -State Listen | Export-PortReportCsv -Path $file -NoClobber -ErrorAction Stop } | Should -Throw
    }
}
