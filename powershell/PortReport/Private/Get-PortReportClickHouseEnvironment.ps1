function Get-PortReportClickHouseEnvironment {
    <#
    .SYNOPSIS
    The environment a sidecar talking to ClickHouse gets from a PSCredential: the user and the
    password as PORTREPORT_CLICKHOUSE_USER / PORTREPORT_CLICKHOUSE_PASSWORD, for that child process
    alone (never on its command line). Empty without a credential (the caller's environment holds).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([pscredential] $Credential)
    $envs = @{}
    if ($Credential -and $Credential -ne [pscredential]::Empty) {
        $envs.PORTREPORT_CLICKHOUSE_USER = $Credential.UserName
        $envs.PORTREPORT_CLICKHOUSE_PASSWORD = $Credential.GetNetworkCredential().Password
    }
    $envs
}
