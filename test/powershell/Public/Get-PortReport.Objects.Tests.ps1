#Requires -Version 7.5
# PortReport's objects behave like PowerShell's own: names as Get-Process shows them, OwningProcess
# as MSFT_NetTCPConnection's, scripts written for Get-NetTCPConnection unchanged, local times, ISO
# input only, arrays that survive Export-Csv, objects that come back from Import-Clixml, views
# that fit 120 columns.

BeforeAll {
    $script:Module = $env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')
    Import-Module $Module -Force
    $script:Fixtures = Join-Path $PSScriptRoot '..' '..' 'fixtures'
    $script:Node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port

    # A listener started through a link: the kernel names the process after the link (its comm),
    # as Get-Process does, while the executable is the file the link leads to.
    function script:Start-Listener([string] $Exe, [string] $Argv0) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Exe)
        $psi.ArgumentList.Add((Join-Path $Fixtures 'listener.cjs'))
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $pidPort = $p.StandardOutput.ReadLine() -split ' '
        [pscustomobject]@{ Process = $p; Port = [int]$pidPort[1] }
    }
    function script:Invoke-Pwsh([string] $Command, [hashtable] $Environment = @{}) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
        foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out; Err = $err.Result }
    }
}

AfterAll {
    $Listener.Stop()
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'names as Get-Process shows them' {
    It 'gives ProcessName as Get-Process does, the file name in ExecutableName, and -ProcessName takes either' -Skip:(-not $IsLinux) {
        $dir = Join-Path $TestDrive 'names'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Copy-Item $Node (Join-Path $dir 'pr-real-binary')
        New-Item -ItemType SymbolicLink -Path (Join-Path $dir 'pr-link') -Target (Join-Path $dir 'pr-real-binary') | Out-Null
        $l = Start-Listener (Join-Path $dir 'pr-link')
        try {
            $r = Get-PortReport -Id $l.Process.Id -State Listen
            $r.ProcessName | Should -BeExactly (Get-Process -Id $l.Process.Id).ProcessName
            $r.ProcessName | Should -BeExactly 'pr-link'
            $r.ExecutableName | Should -BeExactly 'pr-real-binary'
            @(Get-PortReport -ProcessName 'pr-link' -State Listen).Count | Should -Be 1
            @(Get-PortReport -ProcessName 'pr-real-*' -State Listen).Count | Should -Be 1
        } finally { $l.Process.Kill() }
    }

    It 'gives a name longer than the kernel keeps in full, as Get-Process does' -Skip:(-not $IsLinux) {
        $exe = Join-Path $TestDrive 'a-very-long-listener-name'
        Copy-Item $Node $exe
        $l = Start-Listener $exe
        try {
            $r = Get-PortReport -Id $l.Process.Id -State Listen
            $r.ProcessName | Should -BeExactly 'a-very-long-listener-name'
            $r.ProcessName | Should -BeExactly (Get-Process -Id $l.Process.Id).ProcessName
        } finally { $l.Process.Kill() }
    }

    It 'completes -ProcessName with processes that can own sockets, not kernel threads' -Skip:(-not $IsLinux) {
        $kthread = (Get-Content /proc/2/comm).Trim()
        $c = TabExpansion2 -inputScript "Get-PortReport -ProcessName $($kthread.Substring(0, 3))" -cursorColumn ("Get-PortReport -ProcessName $($kthread.Substring(0, 3))").Length
        $c.CompletionMatches.CompletionText | Should -Not -Contain $kthread
        $me = (Get-Process -Id $PID).ProcessName
        $c = TabExpansion2 -inputScript "Get-PortReport -ProcessName $me" -cursorColumn ("Get-PortReport -ProcessName $me").Length
        $c.CompletionMatches.CompletionText | Should -Contain $me
    }
}

Describe 'OwningProcess and scripts written for Get-NetTCPConnection' {
    It 'is a uint32, 0 when no process is known (TIME_WAIT), so Get-Process -Id binds' {
        $c = [System.Net.Sockets.TcpClient]::new()
        $c.Connect([ipaddress]::Loopback, $Port)
        $a = $Listener.AcceptTcpClient()
        $local = $c.Client.LocalEndPoint.Port
        $c.Client.Shutdown('Send'); $a.Client.Shutdown('Send'); Start-Sleep -Milliseconds 100; $c.Close(); $a.Close()
        $tw = Get-PortReport -LocalPort $local -State TimeWait
        @($tw).Count | Should -Be 1
        $tw.OwningProcess | Should -BeOfType [uint32]
        $tw.OwningProcess | Should -Be 0
        $mine = Get-PortReport -LocalPort $Port -State Listen
        $mine.OwningProcess | Should -Be $PID
        # The idioms of public admin scripts, unchanged: no "Cannot bind argument to parameter 'Id'".
        { Get-PortReport | ForEach-Object { Get-Process -Id $_.OwningProcess -ErrorAction SilentlyContinue } | Out-Null } | Should -Not -Throw
        $procs = Get-PortReport | Sort-Object OwningProcess -Unique | ForEach-Object { Get-Process -Id $_.OwningProcess -ErrorAction SilentlyContinue }
        $procs.Id | Should -Contain $PID
    }

    It 'runs Select-Object *, @{Name=''ProcessName''...} unchanged on Get-NetTCPConnection (the stand-in where Windows'' is absent)' {
        if ($IsLinux) { (Get-Command Get-NetTCPConnection).ResolvedCommand.Name | Should -Be 'Get-PortReportTcpConnection' }
        $rows = Get-NetTCPConnection -LocalPort $Port -State Listen | Select-Object -Property *, @{ Name = 'ProcessName'; Expression = { (Get-Process -Id $_.OwningProcess).Name } }
        @($rows).Count | Should -Be 1
        $rows.ProcessName | Should -Be (Get-Process -Id $PID).Name
        $rows.LocalAddress | Should -Be '127.0.0.1'
        $rows.OwningProcess | Should -BeOfType [uint32]
        $t = Get-NetTCPConnection -LocalPort $Port
        ($t | Get-Member -MemberType NoteProperty).Name | Sort-Object | Should -Be ('AppliedSetting', 'CreationTime', 'LocalAddress', 'LocalPort', 'OffloadState', 'OwningProcess', 'RemoteAddress', 'RemotePort', 'State' | Sort-Object)
        @(Get-NetTCPConnection -OwningProcess $PID -LocalPort $Port -State Listen).Count | Should -Be 1
        $u = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
        try { @(Get-NetUDPEndpoint -LocalPort $u.Client.LocalEndPoint.Port).OwningProcess | Should -Be $PID } finally { $u.Dispose() }
    }
}

Describe 'times as Get-Process gives them, and dates read one way' {
    It 'gives local [datetime]s, and -After reads ISO-8601 without a zone as local time, as the CLI does' -Skip:(-not $IsLinux) {
        $logs = Join-Path $TestDrive 'tz'
        New-Item -ItemType Directory -Path $logs | Out-Null
        $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message'
        $rows = foreach ($h in 0..5) { "2026-11-02T0$($h):30:00.000Z,Open,TCP,IPv4,10.0.0.5,443,192.0.2.$h,40000,Established,,900,,nginx,/usr/sbin/nginx,www-data,33,,Known,,,,,,poll,,,web01," }
        Set-Content -LiteralPath (Join-Path $logs 'portreport-connections-v1-1.csv') -Value (@($header) + $rows) -Encoding utf8NoBOM
        # Kolkata is UTC+05:30: 2026-11-02 08:00 there is 02:30 UTC, so three rows (02:30, 03:30 ... 05:30) are at or after it.
        $r = Invoke-Pwsh @"
Import-Module '$Module'
`$all = @(Import-PortReportLog '$logs')
'{0}|{1}' -f `$all[0].Time.Kind, `$all[0].Time.ToString('yyyy-MM-dd HH:mm')
@(Import-PortReportLog '$logs' -After '2026-11-02 08:00').Count
@(`$all | Where-Object Time -ge ([datetime]'2026-11-02 08:00')).Count
"@ -Environment @{ TZ = 'Asia/Kolkata' }
        $r.Err | Should -BeNullOrEmpty
        $lines = $r.Out.Trim() -split "`r?`n"
        $lines[0] | Should -Be 'Local|2026-11-02 06:00'
        $lines[1] | Should -Be '4'
        $lines[2] | Should -Be '4' -Because 'Where-Object on the objects agrees with -After'
        $sidecar = Join-Path $PSScriptRoot '..' '..' '..' 'dist' 'src' 'cli' 'main.js'
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Node)
        foreach ($a in $sidecar, 'import', $logs, '--after', '2026-11-02T08:00') { $psi.ArgumentList.Add($a) }
        $psi.Environment['TZ'] = 'Asia/Kolkata'
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        $cli = @($p.StandardOutput.ReadToEnd() -split "`n" | Where-Object { $_ })
        $p.WaitForExit()
        $cli.Count | Should -Be 4 -Because 'the CLI reads the same text the same way'
    }

    It 'refuses dates that are not ISO-8601 (03.12.2026: March or December?), naming the parameter' {
        $err = $null
        try { Import-PortReportLog $Fixtures -After '03.12.2026' -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.Exception.Message | Should -Match "After"
        $err.Exception.Message | Should -Match 'ISO-8601'
    }
}

Describe 'objects that survive Export-Csv and Export-Clixml' {
    It 'writes array items to Export-Csv, not System.String[]' {
        $csv = Join-Path $TestDrive 'modules.csv'
        $r = Get-PortReport -LocalPort $Port -State Listen -IncludeModules
        $r | Export-Csv -LiteralPath $csv
        $back = Import-Csv -LiteralPath $csv
        $back.Modules | Should -Not -Match 'System\.(String|Object)\[\]'
        ($back.Modules -split "`n") | Should -Be @($r.Modules)
        $summary = Get-PortReportSummary -InputObject $r -Report Port
        $summary | Export-Csv -LiteralPath $csv
        (Import-Csv -LiteralPath $csv).Processes | Should -Be ($summary.Processes -join "`n")
    }

    It 'shows and analyses objects that came back from Import-Clixml (as over remoting)' {
        $xml = Join-Path $TestDrive 'objects.xml'
        $live = @(Get-PortReport -Id $PID)
        $live | Export-Clixml -LiteralPath $xml
        $back = Import-Clixml -LiteralPath $xml
        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PortReport.Connection'
        $text = $back | Where-Object LocalPort -eq $Port | Out-String -Width 120
        $text | Should -Match ([regex]::Escape($live[0].ProcessName))
        $text | Should -Match 'ProcessName'
        $a = Get-PortReportSummary -InputObject $live -Report Process | ForEach-Object { "$($_.ProcessName)|$($_.Events)" }
        $b = Get-PortReportSummary -InputObject $back -Report Process | ForEach-Object { "$($_.ProcessName)|$($_.Events)" }
        $b | Should -Not -BeNullOrEmpty
        $b | Should -Be $a
    }
}

Describe 'views at 120 columns' {
    It 'fits the Connection and LogRecord tables in 120 columns, with UserName and whole IPv4-mapped addresses' {
        $logs = Join-Path $TestDrive 'wide'
        New-Item -ItemType Directory -Path $logs | Out-Null
        $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message'
        $row = '2026-11-02T05:30:00.000Z,Open,TCP,IPv6,::ffff:10.200.200.200,443,::ffff:203.0.113.200,40000,Established,,900,,nginx,/usr/sbin/nginx,www-data,33,,Known,,,,,,poll,,,web01,'
        Set-Content -LiteralPath (Join-Path $logs 'portreport-connections-v1-1.csv') -Value $header, $row -Encoding utf8NoBOM
        $text = Import-PortReportLog $logs | Out-String -Width 120
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match 'UserName'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
        $lines[2] | Should -Match ([regex]::Escape(' 203.0.113.200:40000'))
        $lines[2] | Should -Match ([regex]::Escape(' 10.200.200.200:443'))
        $lines[2] | Should -Match 'www-data'
        $live = Get-PortReport -LocalPort $Port -State Listen | Out-String -Width 120
        $l = @($live -split "`r?`n" | Where-Object { $_.Trim() })
        $l[0] | Should -Match 'UserName'
        $l.Count | Should -Be 3
    }

    It 'shows a finding''s path and its whole evidence' {
        $logs = Join-Path $TestDrive 'finding'
        New-Item -ItemType Directory -Path $logs | Out-Null
        $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message'
        $row = '2026-11-02T05:30:00.000Z,Open,TCP,IPv4,10.0.0.5,51000,192.0.2.9,8443,Established,,4242,,sshd,/tmp/.x/sshd,nobody,65534,,Known,,,,,,poll,,,web01,'
        Set-Content -LiteralPath (Join-Path $logs 'portreport-connections-v1-1.csv') -Value $header, $row -Encoding utf8NoBOM
        $f = Find-PortReportAnomaly $logs | Where-Object Rule -eq 'Masquerade'
        $text = ($f | Out-String -Width 120) -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape('/tmp/.x/sshd'))
        $text | Should -Match ([regex]::Escape(($f.Evidence -replace '\s+', ' ')))
    }
}
