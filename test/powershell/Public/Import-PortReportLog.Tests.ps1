#Requires -Version 7.5
# Import-PortReportLog with the real sidecar: typed objects, paths from the pipeline and wildcards,
# the same property names and filters as Get-PortReport, warnings for bad rows, -Strict.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Legacy = Join-Path $PSScriptRoot '..' '..' 'fixtures' 'legacy'
    $script:Logs = Join-Path $TestDrive 'logs'
    # A real log of our own: one short foreground run with a listener of this pwsh open.
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port
    Start-PortReporter -LogPath $Logs -Interval 0:0:0.5 -Duration 0:0:2 -NoHash -WarningAction SilentlyContinue
}

AfterAll {
    $Listener.Stop()
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Import-PortReportLog' {
    It 'emits PortReport.LogRecord and PortReport.ProcessRecord objects' {
        $all = Import-PortReportLog -Path $Legacy -WarningAction SilentlyContinue
        ($all | Where-Object RecordType -eq 'LogRecord')[0].PSObject.TypeNames[0] | Should -Be 'PortReport.LogRecord'
        ($all | Where-Object RecordType -eq 'ProcessRecord')[0].PSObject.TypeNames[0] | Should -Be 'PortReport.ProcessRecord'
    }

    It 'gives the same objects from the packed form (contract 2) as from the readable NDJSON' {
        $packed = @(Import-PortReportLog -Path $Logs, $Legacy -WarningAction SilentlyContinue)
        $env:PORTREPORT_SCRIPT_CONVERTER = '1'
        try { $plain = @(Import-PortReportLog -Path $Logs, $Legacy -WarningAction SilentlyContinue) } finally { Remove-Item Env:PORTREPORT_SCRIPT_CONVERTER }
        $packed.Count | Should -BeGreaterThan 10
        $packed.Count | Should -Be $plain.Count
        # Every property of every object, as text, in one comparison (a Should per value is slow).
        # The script converter's objects carry the record's own properties (the compiled ones add
        # computed ones such as OwningProcess): those are compared.
        $text = { param($o, $names) ($o.PSObject.TypeNames[0] + '|' + (($names | ForEach-Object { "$_=$($o.$_)" }) -join '|')) }
        $a = for ($i = 0; $i -lt $packed.Count; $i++) { & $text $packed[$i] $plain[$i].PSObject.Properties.Name }
        $b = foreach ($o in $plain) { & $text $o $o.PSObject.Properties.Name }
        $diff = @(for ($i = 0; $i -lt $a.Count; $i++) { if ($a[$i] -cne $b[$i]) { "record $i`n packed: $($a[$i])`n plain:  $($b[$i])" } })
        $diff | Should -BeNullOrEmpty
    }

    It 'takes files from Get-ChildItem by FullName, and wildcards' {
        $a = @(Get-ChildItem -LiteralPath $Legacy -Filter 'PR-PORTS-W2K*' | Import-PortReportLog)
        $a.Count | Should -Be 3
        $b = @(Import-PortReportLog -Path (Join-Path $Legacy 'PR-PORTS-W2K-*.log'))
        $b.Count | Should -Be 3
        $b[0].Time | Should -BeOfType [datetime]
        $b[0].Time.Kind | Should -Be 'Unspecified'   # Port Reporter 1.x: local time, kept as written
    }

    It 'uses the property names of Get-PortReport, so one filter works on live and logged data' {
        $filter = { $_.OwningProcess -eq $PID -and $_.LocalPort -eq $Port -and $_.State -eq 'Listen' }
        @(Get-PortReport | Where-Object $filter).Count | Should -Be 1
        $logged = @(Import-PortReportLog $Logs | Where-Object $filter)
        $logged.Count | Should -Be 1
        $logged[0].Event | Should -Be 'Socket'
        $logged[0].Time.Kind | Should -Be 'Local'
        $logged[0].ExecutablePath | Should -Be (Get-Process -Id $PID).Path
    }

    It 'filters in the sidecar' {
        @(Import-PortReportLog $Legacy -RemotePort 445 -WarningAction SilentlyContinue).LocalPort | Should -Be 1031
        @(Import-PortReportLog $Legacy -UserName '*jsmith' -WarningAction SilentlyContinue).Count | Should -Be 3
        @(Import-PortReportLog $Legacy -After ([datetime]::new(2005, 7, 7, 0, 0, 0, [DateTimeKind]::Utc)) -Protocol TCP -WarningAction SilentlyContinue).LocalPort | Should -Be 1032
    }

    It 'gives the same objects with -Engine DuckDB (the filter pushed into its scan) as with -Engine Stream' {
        $d = @(Import-PortReportLog $Logs -LocalPort $Port -Engine DuckDB -Verbose 4>&1)
        $verbose = @($d | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $d = @($d | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $s = @(Import-PortReportLog $Logs -LocalPort $Port -Engine Stream)
        $s.Count | Should -BeGreaterThan 0
        ($d | ConvertTo-Json -Depth 3 -Compress) | Should -BeExactly ($s | ConvertTo-Json -Depth 3 -Compress)
        ($verbose.Message -match 'read by the DuckDB scan') | Should -Not -BeNullOrEmpty
    }

    It 'warns for each bad row with file and line, and keeps the rest; -Strict stops' {
        $r = Import-PortReportLog (Join-Path $Legacy 'PR-PORTS-SERVER1-0705-0607-134404.log') -WarningVariable w -WarningAction SilentlyContinue
        @($r).Count | Should -Be 6
        $w.Count | Should -Be 2
        "$($w[0])" | Should -Match 'PR-PORTS-SERVER1-0705-0607-134404\.log:10: local port'
        { Import-PortReportLog (Join-Path $Legacy 'PR-PORTS-SERVER1-0705-0607-134404.log') -Strict } | Should -Throw '*:10: local port*'
    }

    It 'reports a missing path as an error and imports the others' {
        $r = @(Import-PortReportLog -Path (Join-Path $TestDrive 'nope.log'), (Join-Path $Legacy 'PR-PORTS-W2K-0705-0607-134404.log') -ErrorVariable e -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 3
        $e[0].FullyQualifiedErrorId | Should -BeLike 'PortReport.LogNotFound*'
    }

    It 'gives a per-file problem (a truncated gzip, a stray file) as a non-terminating error, and the other files'' records' {
        $dir = Join-Path $TestDrive 'mixed'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Copy-Item (Join-Path $Legacy 'PR-PORTS-W2K-0705-0607-134404.log') $dir
        [System.IO.File]::WriteAllBytes((Join-Path $dir 'portreport-connections-v1-20260101T000000000Z-1-0.csv.gz'), [byte[]](0x1f, 0x8b, 0x08, 0, 0, 0))
        Set-Content -LiteralPath (Join-Path $dir 'PR-PORTS-notes-0705-0607-134404.log') -Value 'just some notes'
        $r = Import-PortReportLog $dir -ErrorVariable e -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 3
        $e.Count | Should -BeGreaterOrEqual 1
        $e | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'PortReport.PR_IMPORT_*,Import-PortReportLog' }
        $e | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'ReadError' }
        # -ErrorAction Stop turns it into a stop, as for any non-terminating error.
        { Import-PortReportLog $dir -ErrorAction Stop } | Should -Throw
    }

    It 'names the PowerShell parameter in usage errors, as InvalidArgument from the cmdlet' {
        $err = $null
        try { Import-PortReportLog $Legacy -RemoteAddress 10.0.0.0/33 } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Be 'PortReport.InvalidArgument,Import-PortReportLog'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '-RemoteAddress: *10.0.0.0/33*'
    }

    It 'carries each row''s container (ContainerId, ContainerName), and the summary keys each container apart' {
        $dir = Join-Path $TestDrive 'containers'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message,LinuxNetNamespace,ContainerId,ContainerName'
        $id = 'c' * 64
        $rows = @(
            "2026-11-29T10:00:00.000Z,Open,TCP,IPv4,0.0.0.0,8080,0.0.0.0,0,Listen,,40,2026-11-29T09:00:00.000Z,app,/usr/local/bin/app,root,0,,Known,,,,,,poll,1,1,web01,,net:[1],$id,shop-web"
            '2026-11-29T10:00:00.000Z,Open,TCP,IPv4,0.0.0.0,8080,0.0.0.0,0,Listen,,41,2026-11-29T09:00:00.000Z,app,/usr/local/bin/app,root,0,,Known,,,,,,poll,2,2,web01,,net:[2],,'
        )
        Set-Content -LiteralPath (Join-Path $dir 'portreport-connections-v1-c.csv') -Value (@($header) + $rows)
        $recs = @(Import-PortReportLog -Path $dir)
        $recs.Count | Should -Be 2
        $recs[0].ContainerId | Should -Be $id
        $recs[0].ContainerName | Should -Be 'shop-web'
        $recs[1].ContainerId | Should -BeNullOrEmpty
        $ports = @(Get-PortReportSummary -Path $dir -Report Port | Where-Object LocalPort -eq 8080)
        $ports.Count | Should -Be 2
        @($ports.Container | Where-Object { $_ }) | Should -Be @('shop-web')
    }
}
