#Requires -Version 7.5
# Install-PortReporter, Uninstall-PortReporter, Get-PortReporterStatus and Start-PortReporter:
# the generated systemd unit (checked by systemd-analyze), the Windows task definition, install
# logic against a temporary root, and a real foreground run.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Hostile = 'logs dir "quoted" 100%'
}

AfterAll {
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Install-PortReporter on Linux (temporary root)' {
    BeforeEach {
        $script:Root = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $Root | Out-Null
        $script:LogPath = Join-Path $TestDrive $Hostile
    }

    It 'changes nothing with -WhatIf' {
        Install-PortReporter -Root $Root -LogPath $LogPath -WhatIf
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force).Count | Should -Be 0
    }

    It 'writes a hardened unit that systemd-analyze verify accepts, enabled at boot' {
        $i = Install-PortReporter -Root $Root -LogPath $LogPath -Interval 0:0:2 -MaxFileSize 16MB -RetainCount 7 -NoHash
        $i.PSObject.TypeNames[0] | Should -Be 'PortReport.ReporterInstallation'
        $i.Enabled | Should -BeTrue
        $i.Started | Should -BeFalse
        $unit = Get-Content -LiteralPath $i.Path -Raw
        foreach ($line in 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'PrivateTmp=yes', 'UMask=0077', 'Restart=on-failure', 'WantedBy=multi-user.target', 'RestrictAddressFamilies=AF_NETLINK AF_UNIX') {
            $unit | Should -Match ([regex]::Escape($line))
        }
        $unit | Should -Match ([regex]::Escape('ReadWritePaths="' + ($LogPath -replace '"', '\"' -replace '%', '%%') + '"'))
        $unit | Should -Match '"--interval" "2" "--max-file-size" "16777216" "--retain-count" "7" "--no-hash"'
        $unit | Should -Match ('ExecStart="' + [regex]::Escape((Get-Command node -CommandType Application | Select-Object -First 1).Source))
        $verify = & systemd-analyze verify $i.Path 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($verify -join "`n")
        $link = Get-Item -LiteralPath (Join-Path $Root 'etc/systemd/system/multi-user.target.wants/portreport.service') -Force
        $link.LinkTarget | Should -Be '/etc/systemd/system/portreport.service'
    }

    It 'refuses to replace an installation without -Force, and replaces it with -Force' {
        Install-PortReporter -Root $Root -LogPath $LogPath | Out-Null
        { Install-PortReporter -Root $Root -LogPath $LogPath } | Should -Throw -ErrorId 'PortReport.AlreadyInstalled*'
        $i = Install-PortReporter -Root $Root -LogPath '/var/log/other' -Force
        Get-Content -LiteralPath $i.Path -Raw | Should -Match '"--log-path" "/var/log/other"'
    }

    It 'reports its status, with the log path read back from the unit' {
        Install-PortReporter -Root $Root -LogPath $LogPath | Out-Null
        New-Item -ItemType Directory -Path $LogPath -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $LogPath 'portreport-connections-v1-20260101T000000000Z-1-0.csv') -Value 'Time,Event'
        $s = Get-PortReporterStatus -Root $Root
        $s.PSObject.TypeNames[0] | Should -Be 'PortReport.ReporterStatus'
        $s.Installed | Should -BeTrue
        $s.Enabled | Should -BeTrue
        $s.LogPath | Should -BeExactly $LogPath
        ($s.Logs | Where-Object Log -eq 'connections').Files | Should -Be 1
        $s.LastWrite | Should -Not -BeNullOrEmpty
    }

    It 'resolves a relative -LogPath and -Root against $PWD, not the process directory' {
        Push-Location $Root
        try {
            [System.IO.Directory]::SetCurrentDirectory('/')
            $i = Install-PortReporter -Root . -LogPath 'logs/here'
        } finally { Pop-Location }
        $i.Path | Should -Be (Join-Path $Root 'etc/systemd/system/portreport.service')
        $i.LogPath | Should -Be (Join-Path $Root 'logs/here')
        Get-Content -LiteralPath $i.Path -Raw | Should -Match ([regex]::Escape('"--log-path" "' + (Join-Path $Root 'logs/here') + '"'))
    }

    It 'installs all or nothing: when the unit cannot be written, no link is left and the error says so' {
        $unitDir = Join-Path $Root 'etc/systemd/system'
        New-Item -ItemType Directory -Path $unitDir -Force | Out-Null
        # A folder where the unit file would go: the rename into place fails.
        New-Item -ItemType Directory -Path (Join-Path $unitDir 'portreport.service') | Out-Null
        $err = { Install-PortReporter -Root $Root -LogPath $LogPath -Force } | Should -Throw -ErrorId 'PortReport.InstallFailed,Install-PortReporter' -PassThru
        $err.Exception.Message | Should -Match 'was not installed'
        Test-Path -LiteralPath (Join-Path $unitDir 'multi-user.target.wants/portreport.service') | Should -BeFalse
        @(Get-ChildItem -LiteralPath $unitDir -Force -Recurse -File).Count | Should -Be 0
        (Get-PortReporterStatus -Root $Root).Enabled | Should -BeFalse
    }

    It 'uninstalls (not with -WhatIf), keeping the logs' {
        Install-PortReporter -Root $Root -LogPath $LogPath | Out-Null
        Uninstall-PortReporter -Root $Root -WhatIf
        (Get-PortReporterStatus -Root $Root).Installed | Should -BeTrue
        Uninstall-PortReporter -Root $Root
        $s = Get-PortReporterStatus -Root $Root -LogPath $LogPath
        $s.Installed | Should -BeFalse
        $s.Enabled | Should -BeFalse
    }
}

Describe 'the Windows service definition' {
    It 'runs the service host, then node, the sidecar and the watch arguments, each quoted for Windows' {
        $line = & (Get-Module PortReport) { ConvertTo-PortReporterServiceCommand -ServiceHost 'C:\Program Files\PortReport\PortReportService.exe' -Command 'C:\Program Files\nodejs\node.exe', 'C:\PortReport\main.js', 'watch', '--log-path', 'C:\Logs\port "report"\', '--interval', '1' }
        $line | Should -BeExactly '"C:\Program Files\PortReport\PortReportService.exe" "C:\Program Files\nodejs\node.exe" C:\PortReport\main.js --log-path "C:\Logs\port \"report\"\\" --interval 1'
    }
}

Describe 'Get-PortReporterStatus from what the log folder says' {
    It 'names the logger holding this folder, not another logger elsewhere; then its stop and why' {
        $node = (Get-Command node -CommandType Application | Select-Object -First 1).Source
        $sidecar = Join-Path $PSScriptRoot '..' '..' '..' 'dist' 'src' 'cli' 'main.js'
        $start = { param($dir)
            $psi = [System.Diagnostics.ProcessStartInfo]::new($node)
            foreach ($a in $sidecar, 'watch', "--log-path=$dir", '--interval=0.5', '--no-hash', '--duration=60') { $psi.ArgumentList.Add($a) }
            $psi.RedirectStandardError = $true
            [System.Diagnostics.Process]::Start($psi)
        }
        $a = Join-Path $TestDrive 'status-a'; $b = Join-Path $TestDrive 'status-b'
        $pa = & $start $a; $pb = & $start $b
        try {
            $deadline = (Get-Date).AddSeconds(30)
            while (-not ((Get-PortReporterStatus -LogPath $a).Running -and (Get-PortReporterStatus -LogPath $b).Running) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $sa = Get-PortReporterStatus -LogPath $a
            $sa.Running | Should -BeTrue
            $sa.ProcessId | Should -Be $pa.Id
            $sa.LastStart | Should -BeOfType [datetime]
            $sa.LockedSince | Should -BeOfType [datetime]
            (Get-PortReporterStatus -LogPath $b).ProcessId | Should -Be $pb.Id
            # A stopped logger: not running, its last stop and the reason it gave.
            $pa.Kill($false) # SIGKILL is no stop at all; SIGTERM below is a clean one
        } finally {
            if (-not $pb.HasExited) { $pb.Kill() }
        }
        $pa.WaitForExit(10000) | Out-Null
        $sa = Get-PortReporterStatus -LogPath $a
        $sa.Running | Should -BeFalse
        $sa.ProcessId | Should -BeNullOrEmpty
        $sa.LastStop | Should -BeNullOrEmpty -Because 'a logger killed with SIGKILL wrote no Stop row'
        $pc = & $start $a
        try {
            $deadline = (Get-Date).AddSeconds(30)
            while (-not (Get-PortReporterStatus -LogPath $a).Running -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            (Get-PortReporterStatus -LogPath $a).ProcessId | Should -Be $pc.Id
            & kill -TERM $pc.Id
            $pc.WaitForExit(10000) | Should -BeTrue
        } finally { if (-not $pc.HasExited) { $pc.Kill() } }
        $sa = Get-PortReporterStatus -LogPath $a
        $sa.Running | Should -BeFalse
        $sa.LastStop | Should -BeOfType [datetime]
        $sa.StopReason | Should -Match 'SIGTERM|signal'
    }
}

Describe 'Start-PortReporter' {
    It 'ends its logger, files closed, when the PowerShell that started it is killed' {
        $logs = Join-Path $TestDrive 'lifeline'
        $module = $env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$module'; Start-PortReporter -LogPath '$logs' -Interval 0.5 -NoHash -WarningAction SilentlyContinue") { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $host1 = [System.Diagnostics.Process]::Start($psi)
        try {
            $lock = Join-Path $logs 'portreport.lock'
            $deadline = (Get-Date).AddSeconds(30)
            while (-not ((Test-Path -LiteralPath $lock) -and (Get-Content -LiteralPath $lock -ErrorAction Ignore)) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $logger = [int](Get-Content -LiteralPath $lock)[0]
            Test-Path "/proc/$logger" | Should -BeTrue
            Start-Sleep -Milliseconds 1500
            $host1.Kill()   # SIGKILL: no clean-up of its own
            $deadline = (Get-Date).AddSeconds(20)
            while ((Test-Path "/proc/$logger") -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Test-Path "/proc/$logger" | Should -BeFalse -Because 'the logger must not outlive its host'
            $conn = Get-ChildItem -LiteralPath $logs -Filter 'portreport-connections-*' | Select-Object -Last 1
            $last = & zcat $conn.FullName | ConvertFrom-Csv | Select-Object -Last 1
            $last.Event | Should -Be 'Stop'
            $last.Message | Should -Match 'host went away'
        } finally {
            if (-not $host1.HasExited) { $host1.Kill($true) }
            if ($logger -and (Test-Path "/proc/$logger")) { Stop-Process -Id $logger -Force -ErrorAction Ignore }
        }
    }

    It 'refuses a log path through a symlink, trailing slash or not, and leaves the target alone' {
        $shared = Join-Path $TestDrive 'shared'
        $victim = Join-Path $TestDrive 'victim'
        New-Item -ItemType Directory -Path $shared, $victim | Out-Null
        [System.IO.File]::SetUnixFileMode($shared, [System.IO.UnixFileMode]0x3FF)   # 1777, like /tmp
        [System.IO.File]::SetUnixFileMode($victim, [System.IO.UnixFileMode]0x1ED)   # 0755
        New-Item -ItemType SymbolicLink -Path (Join-Path $shared 'logs') -Target $victim | Out-Null
        foreach ($spelling in 'logs', 'logs/') {
            { Start-PortReporter -LogPath "$shared/$spelling" -Duration 0:0:1 -NoHash -ErrorAction Stop } | Should -Throw '*symbolic link*'
        }
        [System.IO.File]::GetUnixFileMode($victim) | Should -Be ([System.IO.UnixFileMode]0x1ED)
        @(Get-ChildItem -LiteralPath $victim -Force).Count | Should -Be 0
    }

    It 'logs in the foreground and stops after -Duration' {
        $logs = Join-Path $TestDrive 'fg logs'
        $out = Start-PortReporter -LogPath $logs -Interval 0:0:0.5 -Duration 0:0:3 -NoHash -WarningAction SilentlyContinue -InformationVariable said -InformationAction SilentlyContinue
        $out | Should -BeNullOrEmpty -Because 'messages for people go to the information stream, not the output'
        # Said at start and at stop, as Write-Host says things (shown by default, -InformationAction Ignore silences).
        $said.Tags | Should -Contain 'PSHOST'
        $said.MessageData.Message | Should -HaveCount 2
        $said[0].MessageData.Message | Should -Match ('^logging every connection and process to ' + [regex]::Escape($logs) + ' \(pid \d+, every 0\.5 s\) for 3 s$')
        $said[1].MessageData.Message | Should -BeExactly "stopped logging to $logs (duration reached)"
        (Get-Item -LiteralPath $logs).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
        $files = Get-ChildItem -LiteralPath $logs -Exclude 'portreport.lock'
        # A processes log too when processes owned sockets at the start (whatever else runs on the host).
        $files.Name | Should -Match '^portreport-(initial|connections|processes)-v1-.*\.csv\.gz$'
        $conn = $files | Where-Object Name -like 'portreport-connections-*' | Select-Object -First 1
        $rows = & zcat $conn.FullName | ConvertFrom-Csv
        $rows[0].Event | Should -Be 'Start'
        $rows[-1].Event | Should -Be 'Stop'
    }

    It 'does nothing with -WhatIf' {
        $logs = Join-Path $TestDrive 'whatif logs'
        Start-PortReporter -LogPath $logs -Duration 0:0:1 -WhatIf
        Test-Path -LiteralPath $logs | Should -BeFalse
    }

    It 'fails clearly when the log path is a symlink' {
        $target = Join-Path $TestDrive 'target'
        New-Item -ItemType Directory -Path $target | Out-Null
        $link = Join-Path $TestDrive 'link'
        New-Item -ItemType SymbolicLink -Path $link -Target $target | Out-Null
        { Start-PortReporter -LogPath $link -Duration 0:0:1 } | Should -Throw '*symbolic link*'
        @(Get-ChildItem -LiteralPath $target).Count | Should -Be 0
    }
}

Describe 'durations as admins write them' {
    BeforeEach {
        $script:Root = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $Root | Out-Null
    }

    It 'reads <Given> as <Seconds> seconds' -ForEach @(
        @{ Given = 7; Seconds = '7' }
        @{ Given = '1'; Seconds = '1' }
        @{ Given = 0.5; Seconds = '0.5' }
        @{ Given = '30s'; Seconds = '30' }
        @{ Given = '7d'; Seconds = '604800' }
        @{ Given = 1d; Seconds = '86400' }
        @{ Given = '0:0:2'; Seconds = '2' }
        @{ Given = [timespan]::FromMilliseconds(1); Seconds = '0.001' }
    ) {
        $i = Install-PortReporter -Root $Root -MaxFileAge $Given
        $i.Command -join ' ' | Should -Match ("--max-file-age $([regex]::Escape($Seconds))( |$)")
        Get-Content -LiteralPath $i.Path -Raw | Should -Not -Match 'E-0'
    }

    It 'refuses what is not a duration, naming the parameter' {
        { Start-PortReporter -LogPath (Join-Path $TestDrive 'x') -Interval 'soon' -WhatIf } | Should -Throw "*'soon' is not a duration*"
    }

    It 'validates the assembled command with the sidecar before writing anything' {
        $err = $null
        try { Install-PortReporter -Root $Root -Interval 30d } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PortReport.InvalidArgument,Install-PortReporter'
        $err.Exception.Message | Should -BeLike '*-Interval*24 h maximum*'
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force).Count | Should -Be 0
    }
}

Describe 'Install-PortReporter on hostile input' {
    BeforeEach {
        $script:Root = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $Root | Out-Null
    }

    It 'refuses a value with a control character (<Name>) and writes nothing' -ForEach @(
        @{ Name = 'newline'; Text = "/var/log/pr`nExecStartPre=/bin/touch /tmp/pwned" }
        @{ Name = 'CR'; Text = "/var/log/pr`rExecStartPre=/bin/true" }
        @{ Name = 'NEL'; Text = "/var/log/pr$([char]0x85)x" }
        @{ Name = 'line separator'; Text = "/var/log/pr$([char]0x2028)x" }
    ) {
        { Install-PortReporter -Root $Root -LogPath $Text } | Should -Throw -ErrorId 'PortReport.InvalidDefinitionText*'
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force).Count | Should -Be 0
    }

    It 'runs node from a system folder, not from PATH' {
        $fake = Join-Path $TestDrive 'evilbin'
        New-Item -ItemType Directory -Path $fake -Force | Out-Null
        Copy-Item (Get-Command node -CommandType Application | Select-Object -First 1).Source (Join-Path $fake 'node')
        $old = $env:PATH
        try {
            $env:PATH = "$fake$([System.IO.Path]::PathSeparator)$old"
            (Get-Command node -CommandType Application | Select-Object -First 1).Source | Should -Be (Join-Path $fake 'node')
            $i = Install-PortReporter -Root $Root -LogPath '/var/log/portreport'
        } finally { $env:PATH = $old }
        $i.Command[0] | Should -BeIn @('/usr/bin/node', '/usr/local/bin/node', '/bin/node')
        Get-Content -LiteralPath $i.Path -Raw | Should -Not -Match ([regex]::Escape($fake))
    }

    It 'refuses a node that others could replace (PORTREPORT_NODE in a world-writable folder)' {
        $open = Join-Path $TestDrive 'shared'
        New-Item -ItemType Directory -Path $open -Force | Out-Null
        [System.IO.File]::SetUnixFileMode($open, [System.IO.UnixFileMode]0x1FF)
        Copy-Item (Get-Command node -CommandType Application | Select-Object -First 1).Source (Join-Path $open 'node')
        $old = $env:PORTREPORT_NODE
        try {
            $env:PORTREPORT_NODE = Join-Path $open 'node'
            { Install-PortReporter -Root $Root -LogPath '/var/log/portreport' } | Should -Throw -ErrorId 'PortReport.UntrustedExecutable*'
        } finally { $env:PORTREPORT_NODE = $old }
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force).Count | Should -Be 0
    }
}
