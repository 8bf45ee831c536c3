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

[assembly: System.Runtime.Versioning.SupportedOSPlatform("windows")]

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
        private readonly System.Collections.Generic.Queue<string> recent = new();

        private void Log(string text, EventLogEntryType type)
        {
            try { EventLog.WriteEntry(ServiceName, text.Length > 30000 ? text[..30000] : text, type); } catch (Exception) { /* no event log: the logger's own rows remain */ }
        }

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
            // Diagnostics are read (a full pipe would stall the logger); its errors also go to the
            // Application event log (source: the service's name), as start and stop do (AutoLog).
            child.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (recent) { recent.Enqueue(e.Data); while (recent.Count > 20) recent.Dequeue(); }
                if (e.Data.Contains(": error ", StringComparison.Ordinal)) Log(e.Data, EventLogEntryType.Error);
            };
            child.OutputDataReceived += (_, _) => { };
            child.BeginErrorReadLine();
            child.BeginOutputReadLine();
            child.EnableRaisingEvents = true;
            child.Exited += (_, _) =>
            {
                if (stopping) return;
                string tail;
                lock (recent) tail = string.Join(Environment.NewLine, recent);
                Log($"The Port Reporter logger ended on its own (exit code {child.ExitCode}); the service stops and its recovery actions restart it.{Environment.NewLine}{tail}", EventLogEntryType.Error);
                ExitCode = 1;
                Stop();
            };
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
