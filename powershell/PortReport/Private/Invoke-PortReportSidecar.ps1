function Invoke-PortReportSidecar {
    <#
    .SYNOPSIS
    Starts the sidecar by absolute path with an argument array (no shell), streams its NDJSON stdout
    into objects tagged with TypeName, and turns its JSON stderr into warnings, verbose messages and
    real ErrorRecords as they arrive. A failed or crashed sidecar is a terminating error with its
    message. When the pipeline stops (Ctrl+C, Select-Object -First), the sidecar is ended: with
    -GracefulStop it first gets SIGTERM and ten seconds to finish its files.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList,

        [Parameter(Mandatory)]
        [string] $TypeName,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        # Properties holding ISO-8601 timestamps, turned into [datetime] values.
        [string[]] $DateProperty = @(),

        # A record property naming its type: the object is tagged PortReport.<value> instead.
        [string] $TypeProperty,

        [switch] $GracefulStop,

        # Options for node itself, before the sidecar script (the logger's memory settings).
        [string[]] $NodeArgument = @(),

        # Keep the sidecar's stdin open for its life and pass --lifeline: if this PowerShell dies,
        # the pipe closes and the sidecar stops on its own (a scheduled-task restart never gives two).
        [switch] $Lifeline,

        # Variables set for the sidecar alone (a ClickHouse password: never on its command line).
        [hashtable] $Environment = @{}
    )

    $sidecar = Resolve-PortReportSidecar -Cmdlet $Cmdlet
    $psi = [System.Diagnostics.ProcessStartInfo]::new($sidecar.Node)
    foreach ($a in $NodeArgument) { $psi.ArgumentList.Add($a) }
    $psi.ArgumentList.Add($sidecar.Script)
    # The subcommand, then the contract options, then the caller's (which may end with "-- paths").
    $psi.ArgumentList.Add($ArgumentList[0])
    foreach ($a in '--contract', [string]$script:ContractVersion, '--diagnostics', 'json') { $psi.ArgumentList.Add($a) }
    if ($Lifeline) { $psi.ArgumentList.Add('--lifeline') }
    foreach ($a in ($ArgumentList | Select-Object -Skip 1)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    $psi.StandardOutputEncoding = $utf8
    $psi.StandardErrorEncoding = $utf8

    $state = [pscustomobject]@{ Errors = [System.Collections.Generic.List[object]]::new(); Text = [System.Text.StringBuilder]::new(); Line = 0; Progress = $false }
    $proc = $null
    $outReader = $null
    $errReader = $null
    try {
        try {
            $proc = [System.Diagnostics.Process]::Start($psi)
        } catch {
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new("Could not start the PortReport sidecar '$($sidecar.Node)' '$($sidecar.Script)': $($_.Exception.Message)", $_.Exception),
                'PortReport.SidecarStartFailed', [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $sidecar.Script))
        }
        # With -Lifeline stdin stays open: the sidecar ends (cleanly) when this host goes away.
        if (-not $Lifeline) { $proc.StandardInput.Close() }
        # stdout and stderr are read on background threads and taken here in batches (no per-line
        # script work). Records of the compiled types are converted there too, beside the sidecar;
        # other objects (analysis results, few) go through ConvertFrom-PortReportNdjson.
        $typed = -not $env:PORTREPORT_SCRIPT_CONVERTER -and $TypeName -in 'PortReport.Connection', 'PortReport.LogRecord', 'PortReport.LoggerStatus'
        $outReader = if ($typed) { [PortReport.RecordReader]::new($proc.StandardOutput, $TypeName) } else { [PortReport.LineReader]::new($proc.StandardOutput) }
        $errReader = [PortReport.LineReader]::new($proc.StandardError, 1024)
        $bad = [System.Collections.Generic.List[string]]::new()
        while (-not ($outReader.IsCompleted -and $errReader.IsCompleted)) {
            foreach ($l in $errReader.Take(256, 0)) { Write-PortReportDiagnostic -Line $l -State $state -Cmdlet $Cmdlet }
            if ($outReader.IsCompleted) {
                foreach ($l in $errReader.Take(256, 200)) { Write-PortReportDiagnostic -Line $l -State $state -Cmdlet $Cmdlet }
                continue
            }
            if (-not $typed) {
                $lines = $outReader.Take(4096, 200)
                if ($lines.Count) { ConvertFrom-PortReportNdjson -Line $lines -TypeName $TypeName -TypeProperty $TypeProperty -DateProperty $DateProperty -State $state -Cmdlet $Cmdlet }
                continue
            }
            $records = $outReader.Take(4096, 200, $bad)
            foreach ($e in $bad) {
                $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.FormatException]::new($e), 'PortReport.BadSidecarOutput', [System.Management.Automation.ErrorCategory]::ParserError, $null))
            }
            $bad.Clear()
            $records
        }
        if ($state.Progress) {
            $done = [System.Management.Automation.ProgressRecord]::new(1, 'PortReport', 'Done')
            $done.RecordType = 'Completed'
            $Cmdlet.WriteProgress($done)
        }
        $proc.WaitForExit()
        $code = $proc.ExitCode
        # Exit 1 with only per-file problems (an unreadable, truncated or foreign log): the other
        # files' objects came through; each problem is a non-terminating error for its file.
        $itemsOnly = $code -eq 1 -and $state.Errors.Count -gt 0 -and -not @($state.Errors | Where-Object { -not $_.Item }).Count
        if ($code -eq 2) {
            $why = ($state.Errors | ForEach-Object { ConvertTo-PortReportParameterText $_.Text }) -join '; '
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.ArgumentException]::new($(if ($why) { $why } else { 'invalid arguments' })),
                'PortReport.InvalidArgument', [System.Management.Automation.ErrorCategory]::InvalidArgument, $null))
        }
        # A file given by a parameter that is not what it should be (a baseline, a watch list): the
        # user's input, so InvalidData naming that parameter, not a sidecar failure.
        $inputs = @{ PR_BASELINE_INVALID = 'Baseline'; PR_WATCHLIST_BAD_ENTRY = 'WatchList'; PR_WATCHLIST_INVALID = 'WatchList' }
        $fatal = @($state.Errors | Where-Object { -not $_.Item })
        if ($code -eq 1 -and $fatal.Count -and -not @($fatal | Where-Object { -not $inputs.ContainsKey($_.Code) }).Count) {
            $param = $inputs[$fatal[0].Code]
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.IO.InvalidDataException]::new("-$($param): " + (($fatal | ForEach-Object Text) -join '; ')), "PortReport.Invalid$param",
                [System.Management.Automation.ErrorCategory]::InvalidData, $fatal[0].Target))
        }
        if ($code -ne 0 -and -not $itemsOnly) {
            $why = if ($state.Errors.Count) { ($state.Errors | ForEach-Object Text) -join '; ' } elseif ($state.Text.Length) { [PortReport.Display]::Escape($state.Text.ToString().Trim()) } else { 'no message' }
            $how = if ($code -gt 128) { "was killed by signal $($code - 128)" } elseif ($code -lt 0) { "crashed (exit code $code)" } else { "failed with exit code $code" }
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new("The PortReport sidecar $($how): $why"),
                'PortReport.SidecarFailed', [System.Management.Automation.ErrorCategory]::InvalidResult, $sidecar.Script))
        }
        # Errors it reported concerned single items (files, rows): non-terminating, each for its target.
        foreach ($e in $state.Errors) {
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.IO.InvalidDataException]::new($e.Text), "PortReport.$($e.Code)",
                $(if ($e.Item) { [System.Management.Automation.ErrorCategory]::ReadError } else { [System.Management.Automation.ErrorCategory]::NotSpecified }), $e.Target))
        }
    } finally {
        # Reached early when the pipeline stops (Ctrl+C, Select-Object -First): end the sidecar.
        if ($proc -and -not $proc.HasExited) {
            if ($GracefulStop -and -not $IsWindows -and (Test-Path -LiteralPath '/bin/kill')) {
                & /bin/kill -s TERM $proc.Id 2>$null
                [void]$proc.WaitForExit(10000)
            }
            if (-not $proc.HasExited) { try { $proc.Kill($true) } catch { } }
        }
        if ($outReader) { $outReader.Dispose() }
        if ($errReader) { $errReader.Dispose() }
        if ($proc) { $proc.Dispose() }
    }
}
