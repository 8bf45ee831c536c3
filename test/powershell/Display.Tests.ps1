#Requires -Version 7.5
# What reaches a terminal: attacker text (ESC, BEL, C1 CSI, bidi overrides, newlines) in process
# names and log rows is escaped in every view (table and list of LogRecord, ProcessRecord and
# Finding, Group-Object's table) and in warning messages, while the objects keep the exact values.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Evil = "ev$([char]0x1b)]0;PWNED$([char]7)il$([char]0x9b)2J$([char]0x202e)txt.exe"
    $script:Logs = Join-Path $TestDrive 'logs'
    New-Item -ItemType Directory -Path $Logs | Out-Null
    $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message'
    $conn = "2026-11-02T01:00:00.000Z,Open,TCP,IPv4,10.0.0.5,51000,192.0.2.9,8443,Established,,4242,2026-11-02T00:00:00.000Z,$Evil,/tmp/$Evil,nobody,65534,,Known,,,,,,poll,,,web01,"
    $bad = "2026-11-02T02:00:00.000Z,Open,TCP,IPv4,10.0.0.5,notaport-$Evil,192.0.2.9,8443,Established,,1,,x,/x,u,,,Known,,,,,,poll,,,web01,"
    Set-Content -LiteralPath (Join-Path $Logs 'portreport-connections-v1-1.csv') -Value @($header, $conn, $bad) -Encoding utf8NoBOM
    $pheader = 'Time,Event,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,CommandLine,ParentProcessId,UserName,UserId,ServiceName,IsService,ExecutableSha256,Modules,HostName,Message'
    Set-Content -LiteralPath (Join-Path $Logs 'portreport-processes-v1-1.csv') -Encoding utf8NoBOM -Value @($pheader,
        "2026-11-02T01:00:00.000Z,Seen,4242,2026-11-02T00:00:00.000Z,$Evil,/tmp/$Evil,$Evil --x,1,nobody,65534,,False,,,web01,")
    # No control or bidi character is shown; the name starts escaped (a table column may cut the
    # rest); with -Whole, the whole name is there, escaped.
    function script:Assert-Inert([string] $Shown, [switch] $Whole) {
        $Shown | Should -Not -Match '[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u202e]'
        $Shown | Should -Match ([regex]::Escape('ev\x1b]0;'))
        if ($Whole) { $Shown | Should -Match ([regex]::Escape('ev\x1b]0;PWNED\x07il\x9b2J\u{202e}txt.exe')) }
    }
}

AfterAll {
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'views escape attacker text' {
    It 'LogRecord and ProcessRecord, as table and as list' {
        $r = @(Import-PortReportLog $Logs -WarningAction SilentlyContinue)
        $log = $r | Where-Object { $_ -is [PortReport.LogRecord] }
        $proc = $r | Where-Object { $_ -is [PortReport.ProcessRecord] }
        $log.ProcessName | Should -BeExactly $Evil
        $proc.CommandLine | Should -BeExactly "$Evil --x"
        foreach ($o in $log, $proc) {
            Assert-Inert ($o | Format-Table | Out-String -Width 400)
            Assert-Inert ($o | Format-List | Out-String -Width 400) -Whole
        }
    }

    It 'Finding, as table and as list' {
        $f = @(Find-PortReportAnomaly $Logs -WatchProcess 'ev*' -WarningAction SilentlyContinue)
        $f.Count | Should -BeGreaterThan 0
        $f[0].ProcessName | Should -BeExactly $Evil
        Assert-Inert ($f | Format-Table | Out-String -Width 400)
        Assert-Inert ($f | Format-List | Out-String -Width 400) -Whole
    }

    It 'Group-Object of records' {
        $g = Import-PortReportLog $Logs -WarningAction SilentlyContinue | Group-Object ProcessName
        ($g | Where-Object Name -eq $Evil) | Should -Not -BeNullOrEmpty
        Assert-Inert ($g | Out-String -Width 400) -Whole
    }

    It 'warning messages quoting a bad row' {
        $null = Import-PortReportLog $Logs -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 1
        Assert-Inert ([string]$w[0]) -Whole
    }
}

Describe 'PortReport.Display' {
    It 'escapes C0, DEL, C1, raw bytes, bidirectional and invisible characters, and nothing else' {
        [PortReport.Display]::Escape("a$([char]0)b$([char]0x7f)c$([char]0x85)d$([char]0xdcff)e$([char]0x2066)f$([char]0x200b)g$([char]0xfeff)h") |
            Should -BeExactly 'a\x00b\x7fc\x85d\xffe\u{2066}f\u{200b}g\u{feff}h'
        [PortReport.Display]::Escape('naïve 日本 ok') | Should -BeExactly 'naïve 日本 ok'
        [PortReport.Display]::Text(@("a`nb", 'c')) | Should -BeExactly "a\x0ab$([Environment]::NewLine)c"
    }
}
