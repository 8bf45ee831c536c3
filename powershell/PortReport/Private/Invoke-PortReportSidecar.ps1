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

        [switch] $GracefulStop
    )

    $sidecar = Resolve-PortReportSidecar -Cmdlet $Cmdlet
    $psi = [System.Diagnostics.ProcessStartInfo]::new($sidecar.Node)
    $psi.ArgumentList.Add($sidecar.Script)
    # The subcommand, then the contract options, then the caller's (which may end with "-- paths").
    $psi.ArgumentList.Add($ArgumentList[0])
    foreach ($a in '--contract', [string]$script:ContractVersion, '--diagnostics', 'json') { $psi.ArgumentList.Add($a) }
    foreach ($a in ($ArgumentList | Select-Object -Skip 1)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.RedirectStandardInput = $true
    $utf8 = [System.Text.UTF8Encoding]::new($false)
    $psi.StandardOutputEncoding = $utf8
    $psi.StandardErrorEncoding = $utf8

    $state = [pscustomobject]@{ Errors = [System.Collections.Generic.List[string]]::new(); Text = [System.Text.StringBuilder]::new(); Line = 0; Progress = $false }
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
        $proc.StandardInput.Close()
        $batch = [System.Collections.Generic.List[string]]::new()
        $convert = { ConvertFrom-PortReportNdjson -Line $batch -TypeName $TypeName -TypeProperty $TypeProperty -DateProperty $DateProperty -State $state -Cmdlet $Cmdlet; $batch.Clear() }
        if ($script:CompiledRecords) {
            # stdout and stderr are read on background threads and taken here in batches (no per-line
            # script work). Records of the compiled types are converted there too, beside the sidecar;
            # other objects (analysis results, few) go through ConvertFrom-PortReportNdjson.
            $typed = -not $env:PORTREPORT_SCRIPT_CONVERTER -and $TypeName -in 'PortReport.Connection', 'PortReport.LogRecord'
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
        } else {
            $out = $proc.StandardOutput.ReadLineAsync()
            $err = $proc.StandardError.ReadLineAsync()
            while ($out -or $err) {
                # Drain what stdout has ready in a tight loop: this is the hot path of large outputs.
                while ($out -and $out.IsCompleted) {
                    $line = $out.Result
                    if ($null -eq $line) { $out = $null; break }
                    $batch.Add($line)
                    if ($batch.Count -ge 512) { & $convert }
                    $out = $proc.StandardOutput.ReadLineAsync()
                }
                if ($err -and $err.IsCompleted) {
                    $line = $err.Result
                    if ($null -eq $line) { $err = $null } else {
                        Write-PortReportDiagnostic -Line $line -State $state -Cmdlet $Cmdlet
                        $err = $proc.StandardError.ReadLineAsync()
                    }
                    continue
                }
                if (-not $out -and -not $err) { break }
                # Nothing at hand: hand over what we have, then wait (short waits keep Ctrl+C responsive).
                if ($batch.Count) { & $convert }
                $waiting = if ($out -and $err) { [System.Threading.Tasks.Task[]]@($out, $err) } elseif ($out) { [System.Threading.Tasks.Task[]]@($out) } else { [System.Threading.Tasks.Task[]]@($err) }
                [void][System.Threading.Tasks.Task]::WaitAny($waiting, 200)
            }
        }
        if ($batch.Count) { & $convert }
        if ($state.Progress) {
            $done = [System.Management.Automation.ProgressRecord]::new(1, 'PortReport', 'Done')
            $done.RecordType = 'Completed'
            $Cmdlet.WriteProgress($done)
        }
        $proc.WaitForExit()
        if ($proc.ExitCode -ne 0) {
            $why = if ($state.Errors.Count) { $state.Errors -join '; ' } elseif ($state.Text.Length) { [PortReport.Display]::Escape($state.Text.ToString().Trim()) } else { 'no message' }
            $how = if ($proc.ExitCode -gt 128) { "was killed by signal $($proc.ExitCode - 128)" } elseif ($proc.ExitCode -lt 0) { "crashed (exit code $($proc.ExitCode))" } else { "failed with exit code $($proc.ExitCode)" }
            $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.InvalidOperationException]::new("The PortReport sidecar $($how): $why"),
                'PortReport.SidecarFailed', [System.Management.Automation.ErrorCategory]::InvalidResult, $sidecar.Script))
        }
        # Exit 0: errors it reported concerned single items; they are non-terminating.
        foreach ($e in $state.Errors) {
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.Exception]::new($e), 'PortReport.SidecarError', [System.Management.Automation.ErrorCategory]::NotSpecified, $null))
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
