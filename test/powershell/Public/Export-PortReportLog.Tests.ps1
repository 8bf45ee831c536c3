#Requires -Version 7.5
# Export-PortReportLog with the real sidecar: live objects and logs to ECS and OCSF files.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
    $Listener.Start()
    $script:Port = $Listener.LocalEndpoint.Port
    $script:Logs = Join-Path $TestDrive 'logs'
    Start-PortReporter -LogPath $Logs -Interval 0:0:0.5 -Duration 0:0:2 -NoHash -WarningAction SilentlyContinue
}

AfterAll {
    $Listener.Stop()
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Export-PortReportLog' {
    It 'writes the objects of the pipeline as ECS documents, one a line' {
        $objs = @(Get-PortReport -LocalPort $Port)
        $objs.Count | Should -BeGreaterThan 0
        $out = Join-Path $TestDrive 'live.ecs.ndjson'
        $objs | Export-PortReportLog -Format Ecs -OutFile $out
        $docs = @(Get-Content -LiteralPath $out | ConvertFrom-Json)
        $docs.Count | Should -Be $objs.Count
        $docs[0].ecs.version | Should -Be '9.0.0'
        $docs[0].event.category | Should -Be 'network'
        $docs[0].source.port | Should -Be $Port
        $docs[0].event.action | Should -Be 'network-listen'
    }

    It 'writes logs as OCSF Network Activity; asks before it writes, and replaces a file only with -Force' {
        $out = Join-Path $TestDrive 'logs.ocsf.ndjson'
        Export-PortReportLog -Path $Logs -Format Ocsf -OutFile $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
        Export-PortReportLog -Path $Logs -Format Ocsf -OutFile $out
        $evs = @(Get-Content -LiteralPath $out | ConvertFrom-Json)
        $evs.Count | Should -BeGreaterThan 0
        @($evs | Where-Object class_uid -ne 4001) | Should -BeNullOrEmpty
        @($evs | Where-Object { $_.dst_endpoint.port -eq $Port -and $_.activity_id -eq 7 }).Count | Should -BeGreaterThan 0
        { Export-PortReportLog -Path $Logs -Format Ocsf -OutFile $out -ErrorAction Stop } | Should -Throw '*already exists*'
        Export-PortReportLog -Path $Logs -Format Ocsf -OutFile $out -Force
        (Get-Content -LiteralPath $out).Count | Should -Be $evs.Count
    }

    It 'writes an HTML report of the logs or of this host now (Export-PortReportHtml): no script, the listener in it' {
        $out = Join-Path $TestDrive 'report.html'
        Export-PortReportHtml -Path $Logs -OutFile $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
        Export-PortReportHtml -Path $Logs -OutFile $out -Title 'A <week> & more'
        $html = Get-Content -LiteralPath $out -Raw
        $html | Should -Match '<section id="hours">'
        $html | Should -Not -Match '<script'
        $html | Should -Match '<title>A &lt;week&gt; &amp; more</title>'
        { Export-PortReportHtml -Path $Logs -OutFile $out -ErrorAction Stop } | Should -Throw '*already exists*'
        Get-PortReport | Export-PortReportHtml -OutFile $out -Force
        (Get-Content -LiteralPath $out -Raw) | Should -Match "<td>$((Get-Process -Id $PID).ProcessName)</td>"
    }
}
