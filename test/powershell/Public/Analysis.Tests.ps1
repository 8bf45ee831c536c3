#Requires -Version 7.5
# Get-PortReportSummary, Find-PortReportAnomaly, New-/Compare-PortReportBaseline with the real
# sidecar: typed objects with views, logs and pipeline objects analysed alike, -FailOn for tasks,
# -WhatIf, owner-only baselines, a live masquerade found through the pipeline.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Logs = Join-Path $TestDrive 'logs'
    New-Item -ItemType Directory -Path $Logs | Out-Null
    $header = 'Time,Event,Protocol,AddressFamily,LocalAddress,LocalPort,RemoteAddress,RemotePort,State,PreviousState,ProcessId,ProcessStartTime,ProcessName,ExecutablePath,UserName,UserId,ServiceName,OwnerStatus,FirstSeen,LastSeen,DurationSeconds,BytesSent,BytesReceived,Source,Cookie,Inode,HostName,Message'
    $row = { param($t, $ev, $lp, $ra, $rp, $state, $procId, $name, $path, $user)
        "2026-11-02T$t.000Z,$ev,TCP,IPv4,10.0.0.5,$lp,$ra,$rp,$state,,$procId,2026-11-02T00:00:00.000Z,$name,$path,$user,0,,Known,,,,,,poll,,,web01," }
    $rows = [System.Collections.Generic.List[string]]::new()
    $rows.Add($header)
    $rows.Add((& $row '00:00:01' 'Open' 443 '0.0.0.0' 0 'Listen' 900 'nginx' '/usr/sbin/nginx' 'www-data'))
    foreach ($h in 0..11) {
        foreach ($i in 1..5) { $rows.Add((& $row ('{0:d2}:{1:d2}:00' -f $h, ($i * 7)) 'Open' 443 "198.51.100.$i" (40000 + $h * 10 + $i) 'Established' 900 'nginx' '/usr/sbin/nginx' 'www-data')) }
    }
    # A process with a hostile name (comma, quotes, formula guard) and a masquerading sshd.
    $rows.Add((& $row '05:00:00' 'Open' 51000 '192.0.2.9' 8443 'Established' 4242 'sshd' '/tmp/.x/sshd' 'nobody'))
    $rows.Add((& $row '06:00:00' 'Open' 51001 '192.0.2.10' 25 'Established' 4343 '"we,ird ""name"""' "'=calc" 'bob'))
    Set-Content -LiteralPath (Join-Path $Logs 'portreport-connections-v1-1.csv') -Value $rows -Encoding utf8NoBOM
}

AfterAll {
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Get-PortReportSummary' {
    It 'without -Report, prints one short table: a line a report, its rows and its top three' {
        $o = @(Get-PortReportSummary -Path $Logs)
        $o.Count | Should -Be 7
        $o | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PortReport.SummaryOverview' }
        $o.Report | Should -Be 'Port', 'Process', 'Remote', 'User', 'Hour', 'Service', 'Module'
        ($o | Where-Object Report -eq 'Port').Top | Should -Be 'TCP 443'
        ($o | Where-Object Report -eq 'Process').Rows | Should -Be @(Get-PortReportSummary -Path $Logs -Report Process).Count
        ($o | Where-Object Report -eq 'Process').Top | Should -BeLike 'nginx*'
        $lines = @(($o | Out-String -Width 120) -split "`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be 9 -Because 'a header, its underline and seven rows'
    }

    It 'emits one typed object per report row with -Report All, each type with a table view' {
        $s = @(Get-PortReportSummary -Path $Logs -Report All)
        $types = $s | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique
        $types | Should -Contain 'PortReport.PortSummary'
        $types | Should -Contain 'PortReport.ProcessSummary'
        $types | Should -Contain 'PortReport.RemoteHostSummary'
        foreach ($t in $types) { Get-FormatData -TypeName $t | Should -Not -BeNullOrEmpty -Because "$t needs a view" }
        $port = $s | Where-Object { $_.PSObject.TypeNames[0] -eq 'PortReport.PortSummary' }
        $port.LocalPort | Should -Be 443
        $port.Connections | Should -Be 60
        $port.ShareOfTime | Should -Be 1
        $port.FirstSeen | Should -BeOfType [datetime]
    }

    It 'gives the same answer for the logs and for their imported objects piped in, hostile names exact' {
        $fromFiles = Get-PortReportSummary -Path $Logs -Report Process | Sort-Object ProcessName
        $fromObjects = Import-PortReportLog -Path $Logs | Get-PortReportSummary -Report Process | Sort-Object ProcessName
        $fromObjects.Count | Should -Be 3
        ($fromObjects | ForEach-Object { "$($_.ProcessName)|$($_.ExecutablePath)|$($_.Connections)" }) |
            Should -Be ($fromFiles | ForEach-Object { "$($_.ProcessName)|$($_.ExecutablePath)|$($_.Connections)" })
        $fromFiles.ProcessName | Should -Contain 'we,ird "name"'
        $fromFiles.ExecutablePath | Should -Contain '=calc'
    }

    It 'restricts the analysis to -After and -Before' {
        $after = [datetime]::new(2026, 11, 2, 6, 0, 0, [System.DateTimeKind]::Utc)
        $before = [datetime]::new(2026, 11, 2, 9, 0, 0, [System.DateTimeKind]::Utc)
        $port = Get-PortReportSummary -Path $Logs -Report Port -After $after -Before $before
        $port.Connections | Should -Be 15
        $port.FirstSeen | Should -BeGreaterOrEqual $after
    }

    It 'takes folders from Get-ChildItem' {
        @(Get-Item -LiteralPath $Logs | Get-PortReportSummary -Report Port).Count | Should -Be 1
    }
}

Describe 'Find-PortReportAnomaly' {
    It 'finds the masquerading sshd as a PortReport.Finding' {
        $f = @(Find-PortReportAnomaly -Path $Logs -Rule Masquerade)
        $f.Count | Should -Be 1
        $f[0].PSObject.TypeNames[0] | Should -Be 'PortReport.Finding'
        $f[0].Severity | Should -Be 'High'
        $f[0].ExecutablePath | Should -Be '/tmp/.x/sshd'
        $f[0].FirstSeen | Should -BeOfType [datetime]
    }

    It 'takes watch lists as parameters' {
        $f = @(Find-PortReportAnomaly -Path $Logs -Rule WatchList -WatchAddress 192.0.2.0/28 -WatchPort 25)
        $f.Evidence | Should -Match '192\.0\.2\.9|192\.0\.2\.10|port 25'
        $f.Count | Should -Be 3
    }

    It '-FailOn: every finding is written, then a terminating error for the task' {
        $out = [System.Collections.Generic.List[object]]::new()
        { Find-PortReportAnomaly -Path $Logs -Rule Masquerade -FailOn High | ForEach-Object { $out.Add($_) } } |
            Should -Throw -ErrorId 'PortReport.FindingsAtOrAboveSeverity,Find-PortReportAnomaly'
        $out.Count | Should -Be 1
        { Find-PortReportAnomaly -Path $Logs -Rule Masquerade -FailOn Critical } | Should -Not -Throw
    }

    It 'finds a live copy of a program named sshd in a temp folder, through Get-PortReport | Find-PortReportAnomaly' {
        $dir = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $fake = Join-Path $dir 'sshd'
        Copy-Item -LiteralPath (Get-Command node).Source -Destination $fake
        $p = Start-Process -FilePath $fake -ArgumentList '-e', "require('net').createServer().listen(0,'127.0.0.1');setTimeout(()=>{},60000)" -PassThru
        try {
            $deadline = (Get-Date).AddSeconds(20)
            while (-not (Get-PortReport -Id $p.Id) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $f = @(Get-PortReport | Find-PortReportAnomaly -Rule Masquerade | Where-Object ExecutablePath -eq $fake)
            $f.Count | Should -Be 1
            $f[0].ProcessName | Should -Be 'sshd'
        } finally { Stop-Process -Id $p.Id -Force -ErrorAction Ignore }
    }
}

Describe 'New-PortReportBaseline and Compare-PortReportBaseline' {
    It '-WhatIf writes nothing' {
        $out = Join-Path $TestDrive 'whatif.json'
        New-PortReportBaseline -Path $Logs -OutFile $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'writes an owner-only baseline; the same logs compare clean, a new listener does not' {
        $out = Join-Path $TestDrive 'base.json'
        $info = New-PortReportBaseline -Path $Logs -OutFile $out
        $info.PSObject.TypeNames[0] | Should -Be 'PortReport.BaselineInfo'
        $info.ListeningPorts | Should -Be 1
        if (-not $IsWindows) { (Get-Item -LiteralPath $out).UnixMode | Should -Be '-rw-------' }
        @(Compare-PortReportBaseline -Path $Logs -Baseline $out).Count | Should -Be 0

        $more = Join-Path $TestDrive 'more'
        New-Item -ItemType Directory -Path $more | Out-Null
        Copy-Item (Join-Path $Logs '*') $more
        Add-Content -LiteralPath (Join-Path $more 'portreport-connections-v1-1.csv') -Value '2026-11-03T01:00:00.000Z,Open,TCP,IPv4,0.0.0.0,4444,0.0.0.0,0,Listen,,777,,nc,/usr/bin/nc,mallory,0,,Known,,,,,,poll,,,web01,'
        $new = @(Compare-PortReportBaseline -Path $more -Baseline $out)
        $new.Rule | Should -Contain 'NewListeningPort'
        $new.Rule | Should -Contain 'NewUser'
        ($new | Where-Object Rule -eq 'NewListeningPort').ProcessName | Should -Be 'nc'
    }
}

Describe 'Optimize-PortReportLog' {
    It 'asks before it deletes: ConfirmImpact High' {
        $b = (Get-Command Optimize-PortReportLog).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $b.ConfirmImpact | Should -Be 'High'
    }

    It '-WhatIf compacts nothing; then Parquet twins answer the same summary, and import reads them once the CSV is deleted' {
        $dir = Join-Path $TestDrive 'compact'
        New-Item -ItemType Directory -Path $dir | Out-Null
        Copy-Item (Join-Path $Logs '*.csv') $dir
        $before = Get-PortReportSummary -Path $dir -Report Process | ForEach-Object { "$($_.ProcessName)|$($_.Connections)" }
        $imported = Import-PortReportLog -Path $dir | ForEach-Object { "$($_.Time.ToString('o'))|$($_.ProcessName)|$($_.RemoteAddress)|$($_.LogLine)" }
        Optimize-PortReportLog -Path $dir -All -WhatIf
        @(Get-ChildItem -LiteralPath $dir -Filter '*.parquet').Count | Should -Be 0
        $done = @(Optimize-PortReportLog -Path $dir -All -DeleteSource -Confirm:$false)
        $done.Count | Should -Be 1
        $done[0].PSObject.TypeNames[0] | Should -Be 'PortReport.CompactedLog'
        $done[0].Rows | Should -Be 63
        Test-Path -LiteralPath $done[0].Source | Should -BeFalse
        if (-not $IsWindows) { (Get-Item -LiteralPath $done[0].Parquet).UnixMode | Should -Be '-rw-------' }
        Get-PortReportSummary -Path $dir -Report Process | ForEach-Object { "$($_.ProcessName)|$($_.Connections)" } | Should -Be $before
        # The CSV is gone: import reads its twin, the same records line for line.
        $again = Import-PortReportLog -Path $dir -ErrorAction Stop | ForEach-Object { "$($_.Time.ToString('o'))|$($_.ProcessName)|$($_.RemoteAddress)|$($_.LogLine)" }
        $again.Count | Should -Be 63
        $again | Should -Be $imported
    }
}

Describe 'errors about the files a parameter names' {
    It 'a missing -Baseline, -WatchList or -OutFile folder is ObjectNotFound naming the parameter, from the cmdlet the user ran (<Name>)' -ForEach @(
        @{ Name = 'Compare-PortReportBaseline'; Run = { Compare-PortReportBaseline -Path $Logs -Baseline (Join-Path $TestDrive 'nope.json') }; Param = 'Baseline' }
        @{ Name = 'Get-PortReportSummary'; Run = { Get-PortReportSummary -Path $Logs -Baseline (Join-Path $TestDrive 'nope.json') }; Param = 'Baseline' }
        @{ Name = 'Find-PortReportAnomaly'; Run = { Find-PortReportAnomaly -Path $Logs -WatchList (Join-Path $TestDrive 'nope.txt') }; Param = 'WatchList' }
        @{ Name = 'New-PortReportBaseline'; Run = { New-PortReportBaseline -Path $Logs -OutFile (Join-Path $TestDrive 'no' 'folder' 'b.json') }; Param = 'OutFile' }
    ) {
        $err = $null
        try { & $Run -ErrorAction Stop -WarningAction SilentlyContinue } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.FullyQualifiedErrorId | Should -Be "PortReport.$($Param)NotFound,$Name"
        $err.Exception.Message | Should -Match "^-$($Param):"
        $err.InvocationInfo.MyCommand.Name | Should -Be $Name
    }

    It 'a file that is not a baseline is InvalidData naming -Baseline' {
        $bad = Join-Path $TestDrive 'bad.json'
        Set-Content -LiteralPath $bad -Value '{}'
        $err = $null
        try { Compare-PortReportBaseline -Path $Logs -Baseline $bad -ErrorAction Stop -WarningAction SilentlyContinue } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.FullyQualifiedErrorId | Should -Be 'PortReport.InvalidBaseline,Compare-PortReportBaseline'
        $err.Exception.Message | Should -Match '^-Baseline: .*not a PortReport baseline'
    }
}
