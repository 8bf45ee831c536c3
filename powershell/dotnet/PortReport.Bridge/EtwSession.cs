// A real-time ETW session on Microsoft-Windows-Kernel-Network (connect, accept, disconnect, v4 and
// v6), through advapi32 by P/Invoke: StartTraceW, EnableTraceEx2, OpenTraceW, ProcessTrace on a
// thread of its own, ControlTraceW to read EventsLost and to stop. Each event's id and UserData
// bytes go to `onEvent` unparsed (the sidecar's decoder, src/collect/windows/etw.ts, is the one
// mapping); Lost() gives the session's lost events and buffers since its last call.
// Buffers: 512 KB x 64..512 (Windows' default is 32 KB x 24, where peers lose 40-80% of a burst).
// Needs administrative rights (SYSTEM, the service's account); otherwise Start throws and the
// logger says it polls only. Wine has no kernel providers: docs/windows.md says how this is checked
// on real Windows.
using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace PortReport
{
    internal sealed unsafe class EtwSession : IDisposable
    {
        public const string Name = "PortReport-KernelNetwork";
        private static readonly Guid KernelNetwork = new("7dd42a49-5329-4832-8dfd-43d979153a88");
        private const ulong KeywordIPv4 = 0x10, KeywordIPv6 = 0x20;
        private const int PropsSize = 120, NameBytes = 2 * 256;

        private readonly IntPtr props = Marshal.AllocHGlobal(PropsSize + NameBytes);
        private ulong session;
        private ulong trace = ulong.MaxValue;
        private Thread? pump;
        private readonly Action<ushort, byte[]> onEvent;
        private readonly EventRecordCallback callback;
        private uint lastLost, lastBuffersLost;

        private delegate void EventRecordCallback(IntPtr record);

        public EtwSession(Action<ushort, byte[]> onEvent)
        {
            this.onEvent = onEvent;
            callback = OnRecord; // kept alive as long as the session
        }

        public void Start()
        {
            int rc = StartTraceW(out session, Name, Props(true));
            if (rc == 183) // ERROR_ALREADY_EXISTS: left by a logger that was killed; stop it and start ours
            {
                ControlTraceW(0, Name, Props(false), 1);
                rc = StartTraceW(out session, Name, Props(true));
            }
            if (rc != 0) throw new InvalidOperationException($"StartTraceW failed (error {rc}{(rc == 5 ? ": access denied; the logger must run as SYSTEM or an administrator" : "")})");
            var guid = KernelNetwork;
            rc = EnableTraceEx2(session, ref guid, 1, 4, KeywordIPv4 | KeywordIPv6, 0, 0, IntPtr.Zero);
            if (rc != 0) { Stop(); throw new InvalidOperationException($"EnableTraceEx2(Microsoft-Windows-Kernel-Network) failed (error {rc})"); }
            // EVENT_TRACE_LOGFILEW (x64, 448 bytes): LoggerName at 8, ProcessTraceMode at 28, EventRecordCallback at 424.
            var logfile = Marshal.AllocHGlobal(448);
            new Span<byte>((void*)logfile, 448).Clear();
            var name = Marshal.StringToHGlobalUni(Name);
            Marshal.WriteIntPtr(logfile, 8, name);
            Marshal.WriteInt32(logfile, 28, 0x100 | 0x10000000); // PROCESS_TRACE_MODE_REAL_TIME | _EVENT_RECORD
            Marshal.WriteIntPtr(logfile, 424, Marshal.GetFunctionPointerForDelegate(callback));
            trace = OpenTraceW(logfile);
            Marshal.FreeHGlobal(name);
            Marshal.FreeHGlobal(logfile);
            if (trace == ulong.MaxValue) { int e = Marshal.GetLastWin32Error(); Stop(); throw new InvalidOperationException($"OpenTraceW failed (error {e})"); }
            pump = new Thread(() => { ulong h = trace; ProcessTrace(&h, 1, IntPtr.Zero, IntPtr.Zero); }) { IsBackground = true, Name = "PortReport ETW" };
            pump.Start();
        }

        /// <summary>Events and real-time buffers lost since the last call (ControlTraceW query).</summary>
        public (uint events, uint buffers) Lost()
        {
            if (ControlTraceW(session, null, Props(false), 0) != 0) return (0, 0);
            uint ev = (uint)Marshal.ReadInt32(props, 88), buf = (uint)Marshal.ReadInt32(props, 100);
            var d = (ev - lastLost, buf - lastBuffersLost);
            lastLost = ev; lastBuffersLost = buf;
            return d;
        }

        public void Stop()
        {
            if (session != 0) { ControlTraceW(session, null, Props(false), 1); session = 0; } // EVENT_TRACE_CONTROL_STOP
            if (trace != ulong.MaxValue) { CloseTrace(trace); trace = ulong.MaxValue; }
            pump?.Join(5000);
        }

        public void Dispose() { Stop(); Marshal.FreeHGlobal(props); }

        private void OnRecord(IntPtr r)
        {
            // EVENT_RECORD: EventHeader.ProviderId at 24, EventDescriptor.Id at 40, UserDataLength at 86, UserData at 96.
            var provider = *(Guid*)(r + 24);
            if (provider != KernelNetwork) return;
            ushort id = *(ushort*)(r + 40);
            int len = *(ushort*)(r + 86);
            var data = new byte[len];
            Marshal.Copy(*(IntPtr*)(r + 96), data, 0, len);
            onEvent(id, data);
        }

        /// <summary>EVENT_TRACE_PROPERTIES with the session's name after it (LoggerNameOffset).</summary>
        private IntPtr Props(bool forStart)
        {
            new Span<byte>((void*)props, PropsSize + NameBytes).Clear();
            Marshal.WriteInt32(props, 0, PropsSize + NameBytes);     // Wnode.BufferSize
            Marshal.WriteInt32(props, 44, 0x00020000);               // Wnode.Flags: WNODE_FLAG_TRACED_GUID
            if (forStart)
            {
                Marshal.WriteInt32(props, 40, 1);                    // Wnode.ClientContext: QPC clock
                Marshal.WriteInt32(props, 48, 512);                  // BufferSize (KB)
                Marshal.WriteInt32(props, 52, 64);                   // MinimumBuffers
                Marshal.WriteInt32(props, 56, 512);                  // MaximumBuffers
                Marshal.WriteInt32(props, 64, 0x100);                // LogFileMode: EVENT_TRACE_REAL_TIME_MODE
                Marshal.WriteInt32(props, 68, 1);                    // FlushTimer: 1 s
            }
            Marshal.WriteInt32(props, 116, PropsSize);               // LoggerNameOffset
            return props;
        }

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)] private static extern int StartTraceW(out ulong handle, string name, IntPtr props);
        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)] private static extern int ControlTraceW(ulong handle, string? name, IntPtr props, uint code);
        [DllImport("advapi32.dll")] private static extern int EnableTraceEx2(ulong handle, ref Guid provider, uint control, byte level, ulong any, ulong all, uint timeout, IntPtr parameters);
        [DllImport("advapi32.dll", SetLastError = true)] private static extern ulong OpenTraceW(IntPtr logfile);
        [DllImport("advapi32.dll")] private static extern int ProcessTrace(ulong* handles, uint count, IntPtr start, IntPtr end);
        [DllImport("advapi32.dll")] private static extern int CloseTrace(ulong handle);
    }
}
