function New-PortReportClickHouseSchema {
    <#
    .SYNOPSIS
    Creates PortReport's tables on the servers of a ClickHouse cluster.

    .DESCRIPTION
    New-PortReportClickHouseSchema creates, on every server given, the database and per log kind
    (connections, processes, snapshots) a MergeTree table partitioned by day (<kind>_local) and a
    Distributed table over the cluster, sharded by the shipping host, that Publish-PortReportLog
    inserts into. Without ZooKeeper ClickHouse has no ON CLUSTER DDL, so give every server of the
    cluster. Tables made by an earlier PortReport get the columns added since. Retention is by
    dropping whole days: ALTER TABLE portreport.connections_local DROP PARTITION 20261102 on each
    server. -WhatIf lists the servers; portreport clickhouse-schema --print gives the SQL itself.

    .PARAMETER Server
    Every server of the cluster, as http://host:8123.

    .PARAMETER Database
    The database to create (default portreport).

    .PARAMETER Cluster
    The cluster's name in the servers' remote_servers configuration (default portreport).

    .PARAMETER Credential
    The ClickHouse user and password (else PORTREPORT_CLICKHOUSE_USER and PORTREPORT_CLICKHOUSE_PASSWORD).

    .EXAMPLE
    New-PortReportClickHouseSchema -Server http://ch1:8123, http://ch2:8123 -Cluster fleet -Credential (Get-Credential)

    Makes the tables on both shards of the cluster "fleet".

    .EXAMPLE
    New-PortReportClickHouseSchema -Server http://ch1:8123 -WhatIf

    Says what it would do, changes nothing.

    .OUTPUTS
    None.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [uri[]] $Server,

        [ValidatePattern('^[A-Za-z_][A-Za-z0-9_]{0,63}$')]
        [string] $Database = 'portreport',

        [ValidatePattern('^[A-Za-z_][A-Za-z0-9_]{0,63}$')]
        [string] $Cluster = 'portreport',

        [pscredential] [System.Management.Automation.Credential()] $Credential = [pscredential]::Empty
    )

    $targets = @(foreach ($s in $Server) { if ($PSCmdlet.ShouldProcess($s.ToString(), "Create the tables of $Database (cluster $Cluster)")) { $s.ToString() } })
    if ($targets.Count -eq 0) { return }
    $envs = Get-PortReportClickHouseEnvironment -Credential $Credential
    $argv = @('clickhouse-schema', '--database', $Database, '--cluster', $Cluster) + @($targets | ForEach-Object { '--server', $_ })
    Invoke-PortReportSidecar -ArgumentList $argv -TypeName 'PortReport.ClickHouseSchema' -Cmdlet $PSCmdlet -Environment $envs
}
