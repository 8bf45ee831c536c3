#Requires -Version 7.5
# Get-PortReport against the real sidecar and real loopback sockets.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Fixtures = Join-Path $PSScriptRoot '..' '..' 'fixtures'
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port
    $script:Client = [System.Net.Sockets.TcpClient]::new()
    $Client.Connect([ipaddress]::Loopback, $Port)
    $script:Accepted = $Listener.AcceptTcpClient()
    $script:ClientPort = $Client.Client.LocalEndPoint.Port
    $script:Udp = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::IPv6Loopback, 0))
    $script:UdpPort = $Udp.Client.LocalEndPoint.Port
}

AfterAll {
    $Client.Dispose(); $Accepted.Dispose(); $Listener.Stop(); $Udp.Dispose()
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Get-PortReport' {
    It 'returns PortReport.Connection objects' {
        $all = @(Get-PortReport)
        $all.Count | Should -BeGreaterOrEqual 4
        $all | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PortReport.Connection' }
    }

    It 'finds the listener this test opened with Where-Object, owned by this pwsh' {
        $l = Get-PortReport | Where-Object { $_.LocalPort -eq $Port -and $_.State -eq 'Listen' }
        @($l).Count | Should -Be 1
        $l.OwningProcess | Should -Be $PID
        $l.ProcessId | Should -Be $PID
        $l.Protocol | Should -Be 'TCP'
        $l.LocalAddress | Should -Be '127.0.0.1'
        $l.ExecutablePath | Should -Be (Get-Process -Id $PID).Path
        $l.UserName | Should -Be ([Environment]::UserName)
        $l.ProcessStartTime | Should -BeOfType [datetime]
        $l.ObservedAt.Kind | Should -Be 'Local'
        $l.OwnerStatus | Should -Be 'Known'
    }

    It 'finds both ends of the established connection and the IPv6 UDP socket' {
        $mine = Get-PortReport -Id $PID
        $mine | Where-Object { $_.LocalPort -eq $ClientPort -and $_.RemotePort -eq $Port -and $_.State -eq 'Established' } | Should -HaveCount 1
        $mine | Where-Object { $_.LocalPort -eq $Port -and $_.RemotePort -eq $ClientPort -and $_.State -eq 'Established' } | Should -HaveCount 1
        $u = $mine | Where-Object { $_.Protocol -eq 'UDP' -and $_.LocalPort -eq $UdpPort }
        $u | Should -HaveCount 1
        $u.AddressFamily | Should -Be 'IPv6'
        $u.LocalAddress | Should -Be '::1'
        $u.State | Should -Be 'Bound'
    }

    It 'filters on process names with a comma or a leading sign (<Name>)' -ForEach @(@{ Name = 'com,ma' }, @{ Name = '-2+3' }) {
        $dir = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $dir | Out-Null
        $exe = Join-Path $dir $Name
        Copy-Item (Get-Command node -CommandType Application | Select-Object -First 1).Source $exe
        # The listener runs while its stdin is open: a redirected one, held by this test.
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        $psi.ArgumentList.Add((Join-Path $Fixtures 'listener.cjs'))
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $p = [System.Diagnostics.Process]::Start($psi)
        try {
            $null = $p.StandardOutput.ReadLine()
            $r = @(Get-PortReport -ProcessName $Name -State Listen)
            $r.Count | Should -Be 1
            $r[0].ProcessName | Should -BeExactly $Name
            $r[0].ProcessId | Should -Be $p.Id
        } finally { Stop-Process -Id $p.Id -Force -ErrorAction Ignore }
    }

    It 'narrows the output with its filters' {
        Get-PortReport -LocalPort $Port -State Listen | Should -HaveCount 1
        Get-PortReport -LocalPort $Port -State Established | Should -HaveCount 1
        Get-PortReport -LocalPort $Port -Protocol UDP | Should -HaveCount 0
        Get-PortReport -RemotePort $Port -RemoteAddress 127.0.0.0/8 | Should -HaveCount 1
        Get-PortReport -RemotePort $Port -RemoteAddress 10.0.0.0/8 | Should -HaveCount 0
        $name = (Get-PortReport -LocalPort $Port -State Listen).ProcessName
        Get-PortReport -LocalPort $Port -ProcessName ($name.Substring(0, 2).ToUpperInvariant() + '*') -State Listen | Should -HaveCount 1
        Get-PortReport -LocalPort $Port -ProcessName 'no-such-process' | Should -HaveCount 0
        $ids = @(Get-PortReport -Id $PID).ProcessId | Sort-Object -Unique
        $ids | Should -Be $PID
        # This pwsh runs on the host, outside any container: its socket has no ContainerId and no
        # container filter takes it.
        $listener = Get-PortReport -LocalPort $Port -State Listen
        $listener.ContainerId | Should -BeNullOrEmpty
        $listener.PSObject.Properties.Name | Should -Contain 'ContainerName'
        $listener.ContainerName | Should -BeNullOrEmpty
        Get-PortReport -LocalPort $Port -ContainerId '*' | Should -HaveCount 0
    }

    It 'takes processes from the pipeline, and nothing piped means nothing reported' {
        @(Get-Process -Id $PID | Get-PortReport -Protocol UDP -LocalPort $UdpPort).Count | Should -Be 1
        @(Get-Process -Name 'no-such-process-xyz' -ErrorAction Ignore | Get-PortReport).Count | Should -Be 0
    }

    It 'adds modules and the executable hash only when asked' {
        $plain = Get-PortReport -Protocol UDP -LocalPort $UdpPort
        $plain.Modules | Should -BeNullOrEmpty
        $full = Get-PortReport -Protocol UDP -LocalPort $UdpPort -IncludeModules -IncludeHash
        $full.Modules | Should -Contain (Get-Process -Id $PID).Path
        $full.ExecutableSha256 | Should -Be (Get-FileHash -LiteralPath (Get-Process -Id $PID).Path -Algorithm SHA256).Hash.ToLowerInvariant()
    }

    It 'stops the sidecar when the pipeline stops early' {
        # A sidecar that would stream forever: only the module's stop can end it.
        $pidFile = Join-Path $TestDrive 'endless.pid'
        $env:PORTREPORT_TEST_PIDFILE = $pidFile
        $env:PORTREPORT_SIDECAR = Join-Path $PSScriptRoot '..' '..' 'fixtures' 'endless-sidecar.cjs'
        try {
            $first = Get-PortReport | Select-Object -First 3
        } finally { Remove-Item Env:PORTREPORT_SIDECAR, Env:PORTREPORT_TEST_PIDFILE -ErrorAction Ignore }
        $first | Should -HaveCount 3
        $sidecarPid = [int](Get-Content -LiteralPath $pidFile)
        $deadline = [datetime]::UtcNow.AddSeconds(10)
        while ((Get-Process -Id $sidecarPid -ErrorAction Ignore) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Get-Process -Id $sidecarPid -ErrorAction Ignore | Should -BeNullOrEmpty -Because "the sidecar (pid $sidecarPid) must end with the pipeline"
    }

    It 'rejects a bad port before starting anything' {
        { Get-PortReport -LocalPort 70000 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'hostile names survive sidecar -> NDJSON -> objects unchanged' {
    BeforeAll {
        # A hard link of node in a folder whose name has a comma, quotes, a newline, spaces,
        # non-ASCII and two bytes that are not UTF-8, started through execve with raw-byte args.
        $enc = [System.Text.Encoding]::UTF8
        $script:base = Join-Path $TestDrive 'h'
        New-Item -ItemType Directory -Path $base | Out-Null
        $dirBytes = $enc.GetBytes("we,ird `"dir`"`n ü ") + [byte[]](0xff, 0xfe)
        $fileBytes = $enc.GetBytes("no`"de, 漢`e[31m") + [byte[]]0x80
        $argBytes = $enc.GetBytes("=HYPERLINK(`"http://x`",`"y`") a,b `"q`"`r`n`t`e]0;t`a ") + [byte[]](0xc3, 0x28)
        $hex = { param([byte[]]$b) [Convert]::ToHexString($b).ToLowerInvariant() }
        $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
        # Node creates the raw-byte folder and link; .NET cannot name them.
        $mk = "const fs=require('fs');const d=Buffer.concat([Buffer.from(process.argv[1]+'/'),Buffer.from(process.argv[2],'hex')]);fs.mkdirSync(d);const f=Buffer.concat([d,Buffer.from('/'),Buffer.from(process.argv[3],'hex')]);try{fs.linkSync(process.execPath,f)}catch{fs.copyFileSync(process.execPath,f)}"
        & $node -e $mk $base (& $hex $dirBytes) (& $hex $fileBytes)
        $exeBytes = $enc.GetBytes("$base/") + $dirBytes + $enc.GetBytes('/') + $fileBytes
        $psi = [System.Diagnostics.ProcessStartInfo]::new($node)
        foreach ($a in (Join-Path $Fixtures 'hostile-exec.cjs'), (& $hex $exeBytes), (& $hex $enc.GetBytes((Join-Path $Fixtures 'listener.cjs'))), (& $hex $argBytes)) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true; $psi.UseShellExecute = $false
        $script:Hostile = [System.Diagnostics.Process]::Start($psi)
        $pidPort = $Hostile.StandardOutput.ReadLine() -split ' '
        $script:HostilePid = [int]$pidPort[0]
        # What the record must hold: UTF-8 decoded, each invalid byte as U+DC00+byte.
        $esc = { param([string]$s, [int[]]$raw) $s + (-join ($raw | ForEach-Object { [char](0xDC00 + $_) })) }
        $dir = & $esc "we,ird `"dir`"`n ü " 0xff, 0xfe
        $script:ExpectedName = & $esc "no`"de, 漢`e[31m" 0x80
        $script:ExpectedPath = "$base/$dir/$ExpectedName"
        # 0xc3 opens a two-byte sequence that '(' does not continue: only 0xc3 is escaped.
        $script:ExpectedArg = (& $esc "=HYPERLINK(`"http://x`",`"y`") a,b `"q`"`r`n`t`e]0;t`a " 0xc3) + '('
    }

    AfterAll {
        if ($Hostile -and -not $Hostile.HasExited) { $Hostile.Kill() }
        # .NET cannot name the raw-byte folder, so Pester could not remove it from TestDrive.
        & rm -rf -- $base
    }

    It 'keeps name, path and command line exactly' {
        $r = Get-PortReport -Id $HostilePid
        $r | Should -HaveCount 1
        $r.ProcessName | Should -BeExactly $ExpectedName
        $r.ExecutablePath | Should -BeExactly $ExpectedPath
        $r.CommandLine | Should -BeExactly "$ExpectedPath $(Join-Path $Fixtures 'listener.cjs') $ExpectedArg"
        $r.CommandLine.Contains([char]0xDCC3) | Should -BeTrue
    }

    It 'shows the name in tables with escapes made visible, never raw' {
        $text = Get-PortReport -Id $HostilePid | Format-Table | Out-String -Width 300
        $text | Should -Match ([regex]::Escape('\x1b[3'))
        $text.IndexOf([char]0x1b) | Should -Be -1
        $list = Get-PortReport -Id $HostilePid | Format-List | Out-String -Width 300
        $list.IndexOf([char]0x1b) | Should -Be -1
        $list.IndexOf([char]0x07) | Should -Be -1
        $list | Should -Match ([regex]::Escape('\x0d\x0a\x09\x1b]0;t\x07 \xc3('))
        $list | Should -Match ([regex]::Escape('no"de, 漢\x1b[31m\x80'))
    }
}
