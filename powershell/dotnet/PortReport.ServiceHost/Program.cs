// PortReportService NODE SIDECAR WATCH-ARGUMENTS...: a Windows service (ServiceBase, under the
// Service Control Manager) that runs the PortReport logger as a child process:
//   NODE SIDECAR watch WATCH-ARGUMENTS... --lifeline
// with the child's stdin held open: a stop or shutdown closes it, and the logger ends cleanly (its
// last row says why, its files are closed and compressed) before the service reports STOPPED. A
// logger that exits on its own stops the service with exit code 1, so recovery actions restart it.
using System;
using System.Diagnostics;
using System.IO;
using System.ServiceProcess;

if (args.Length < 2) { Console.Error.WriteLine("usage: PortReportService NODE SIDECAR [watch arguments...]"); return 2; }
ServiceBase.Run(new PortReport.LoggerService(args));
return 0;

namespace PortReport
{
    public sealed class LoggerService : ServiceBase
    {
        private readonly string[] args;
        private Process? child;
        private bool stopping;

        public LoggerService(string[] args)
        {
            this.args = args;
            ServiceName = "PortReporter";
            CanStop = true;
            CanShutdown = true;
        }

        protected override void OnStart(string[] startArgs)
        {
            var psi = new ProcessStartInfo(args[0]) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(args[1]);
            psi.ArgumentList.Add("watch");
            for (int i = 2; i < args.Length; i++) psi.ArgumentList.Add(args[i]);
            psi.ArgumentList.Add("--lifeline");
            child = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {args[0]}");
            // Diagnostics are read (a full pipe would stall the logger); the logger writes its own rows.
            child.ErrorDataReceived += (_, _) => { };
            child.OutputDataReceived += (_, _) => { };
            child.BeginErrorReadLine();
            child.BeginOutputReadLine();
            child.EnableRaisingEvents = true;
            child.Exited += (_, _) => { if (!stopping) { ExitCode = 1; Stop(); } };
        }

        protected override void OnStop() => End();

        protected override void OnShutdown() => End();

        private void End()
        {
            stopping = true;
            if (child is null || child.HasExited) return;
            RequestAdditionalTime(30_000);
            try { child.StandardInput.Close(); } catch (IOException) { }
            if (!child.WaitForExit(30_000)) child.Kill();
        }
    }
}
