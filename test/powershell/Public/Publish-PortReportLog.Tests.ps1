#Requires -Version 7.5
# Publish-PortReportLog and New-PortReportClickHouseSchema with the real sidecar and a real
# two-server ClickHouse cluster on 127.0.0.1 (scripts/clickhouse-cluster.mjs): the password travels
# in a PSCredential, the rows land once, -WhatIf changes nothing.

BeforeAll {
    Import-Module ($env:PORTREPORT_TEST_MODULE ?? (Join-Path $PSScriptRoot '..' '..' '..' 'powershell' 'PortReport' 'PortReport.psd1')) -Force
    $script:Cluster = Join-Path $TestDrive 'cluster'
    $script:Script = Join-Path $PSScriptRoot '..' '..' '..' 'scripts' 'clickhouse-cluster.mjs'
    $c = & node $Script start $Cluster | ConvertFrom-Json
    if ($LASTEXITCODE) { throw "the ClickHouse cluster did not start" }
    $script:Servers = @($c.shards | ForEach-Object { "http://127.0.0.1:$($_.http)" })
    $script:Cred = [pscredential]::new($c.user, (ConvertTo-SecureString $c.password -AsPlainText -Force))
    function script:Count([string] $Sql) {
        [int](Invoke-RestMethod -Uri "$($Servers[0])/" -Method Post -Body $Sql -Credential $Cred -Authentication Basic -AllowUnencryptedAuthentication)
    }
    $script:Logs = Join-Path $TestDrive 'logs'
    Start-PortReporter -LogPath $Logs -Interval 0:0:0.5 -Duration 0:0:2 -NoHash -WarningAction SilentlyContinue
}

AfterAll {
    & node $Script stop $Cluster
    Remove-Module PortReport -ErrorAction Ignore
}

Describe 'Publish-PortReportLog' {
    It 'makes the tables with -WhatIf changing nothing, then for real' {
        New-PortReportClickHouseSchema -Server $Servers -Credential $Cred -WhatIf
        Count "SELECT count() FROM system.databases WHERE name = 'portreport'" | Should -Be 0
        New-PortReportClickHouseSchema -Server $Servers -Credential $Cred
        Count "SELECT count() FROM system.tables WHERE database = 'portreport'" | Should -Be 6
    }

    It 'ships every row once, as PortReport.ShippedLog objects; again, nothing more' {
        Publish-PortReportLog -Path $Logs -Server $Servers[0] -Credential $Cred -HostName 'ps01' -WhatIf
        Count "SELECT count() FROM portreport.connections WHERE ShipHost = 'ps01'" | Should -Be 0
        $r = @(Get-ChildItem -LiteralPath $Logs -Filter 'portreport-*' | Publish-PortReportLog -Server $Servers[0] -Credential $Cred -HostName 'ps01')
        $r.Count | Should -Be 3
        $r[0].PSObject.TypeNames[0] | Should -Be 'PortReport.ShippedLog'
        $rows = ($r | Measure-Object Rows -Sum).Sum
        $rows | Should -BeGreaterThan 2
        $held = (Count "SELECT count() FROM portreport.connections WHERE ShipHost = 'ps01'") + (Count "SELECT count() FROM portreport.processes WHERE ShipHost = 'ps01'") + (Count "SELECT count() FROM portreport.snapshots WHERE ShipHost = 'ps01'")
        $held | Should -Be $rows
        $again = @(Publish-PortReportLog -Path $Logs -Server $Servers[0] -Credential $Cred -HostName 'ps01' -StatePath (Join-Path $TestDrive 'state.json'))
        ($again | Measure-Object Rows -Sum).Sum | Should -Be 0
    }

    It 'gives a wrong password as an error naming the server, and refuses a password in the URL' {
        $bad = [pscredential]::new($Cred.UserName, (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        { Publish-PortReportLog -Path $Logs -Server $Servers[0] -Credential $bad -HostName 'ps02' -ErrorAction Stop } | Should -Throw "*127.0.0.1*"
        { Publish-PortReportLog -Path $Logs -Server "http://u:secret@127.0.0.1:1/" -ErrorAction Stop } | Should -Throw '*PORTREPORT_CLICKHOUSE_PASSWORD*'
    }

    It 'analyses the shipped rows on the cluster as the same logs on disk: summaries, findings, a baseline' {
        $fleet = @(Get-PortReportSummary -ClickHouse $Servers[1] -ClickHouseHost 'ps*' -Credential $Cred -Report Port, Process)
        $disk = @(Get-PortReportSummary -Path $Logs -Report Port, Process)
        $fleet.Count | Should -BeGreaterThan 0
        ($fleet | ForEach-Object { "$($_.PSObject.TypeNames[0])|$($_.LocalPort)|$($_.ProcessName)|$($_.Connections)|$($_.FirstSeen.ToString('o'))" }) -join "`n" |
            Should -BeExactly (($disk | ForEach-Object { "$($_.PSObject.TypeNames[0])|$($_.LocalPort)|$($_.ProcessName)|$($_.Connections)|$($_.FirstSeen.ToString('o'))" }) -join "`n")
        $baseline = Join-Path $TestDrive 'fleet.baseline.json'
        New-PortReportBaseline -ClickHouse $Servers[0] -ClickHouseHost 'ps01' -Credential $Cred -OutFile $baseline
        @(Compare-PortReportBaseline -Baseline $baseline -ClickHouse $Servers[0] -Credential $Cred) | Should -BeNullOrEmpty
        @(Find-PortReportAnomaly -ClickHouse $Servers[0] -ClickHouseHost 'nobody*' -Credential $Cred) | Should -BeNullOrEmpty
    }
}
