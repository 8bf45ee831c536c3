// Kernel-Network events streamed to the Node sidecar through edge-js: each event goes to the
// sidecar's callback as { Id, Payload } (the event id and its UserData bytes, which the sidecar
// decodes: src/collect/windows/etw.ts), lost events as { Lost }. Stop() ends the stream cleanly:
// Run's task then completes with the number of events sent.
//
// The source here is the stand-in the tests use under Wine, which has no kernel ETW providers:
// it writes Microsoft-Windows-Kernel-Network payloads exactly as the manifest lays them out. The
// real-time ETW session (issue 12) is to feed the same callback.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PortReport
{
    public sealed class NetworkEvents
    {
        private static CancellationTokenSource? running;

        /// <summary>input: { onEvent: function, source: "stand-in", intervalMs: number }.</summary>
        public async Task<object> Run(object input)
        {
            // edge-js hands a JavaScript object over as a dictionary, a function as Func<object, Task<object>>.
            var d = (IDictionary<string, object>)input;
            var onEvent = (Func<object, Task<object>>)d["onEvent"];
            string source = Convert.ToString(d["source"]) ?? "";
            int intervalMs = Convert.ToInt32(d["intervalMs"]);
            if (source != "stand-in") throw new NotSupportedException($"event source '{source}': only the stand-in exists yet (the ETW session is issue 12)");
            var cts = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref running, cts, null) != null) throw new InvalidOperationException("a stream is running already");
            int sent = 0;
            try
            {
                foreach (var e in StandIn())
                {
                    if (cts.IsCancellationRequested) break;
                    await onEvent(e);
                    sent++;
                    try { await Task.Delay(intervalMs, cts.Token); } catch (TaskCanceledException) { break; }
                }
            }
            finally { Interlocked.Exchange(ref running, null); }
            return sent;
        }

        public Task<object> Stop(object input)
        {
            var r = running;
            r?.Cancel();
            return Task.FromResult<object>(r != null);
        }

        /// <summary>Connect, disconnect (IPv4, IPv6), accept, and a lost-events notice, then again with the next pid, endlessly.</summary>
        private static IEnumerable<object> StandIn()
        {
            for (uint pid = 4000; ; pid++)
            {
                yield return new { Id = 12, Payload = Tcp(pid, new byte[] { 192, 0, 2, 9 }, new byte[] { 10, 0, 0, 5 }, 443, 51000) };
                yield return new { Id = 13, Payload = Tcp(pid, new byte[] { 192, 0, 2, 9 }, new byte[] { 10, 0, 0, 5 }, 443, 51000) };
                var loop6 = new byte[16]; loop6[15] = 1;
                yield return new { Id = 28, Payload = Tcp(pid, loop6, loop6, 8443, 50000) };
                yield return new { Id = 15, Payload = Tcp(pid, new byte[] { 198, 51, 100, 7 }, new byte[] { 10, 0, 0, 5 }, 40001, 443) };
                yield return new { Lost = 3 };
            }
        }

        /// <summary>PID, size, daddr, saddr, dport, sport (network byte order), then the template's other fields as zeros.</summary>
        private static byte[] Tcp(uint pid, byte[] daddr, byte[] saddr, ushort dport, ushort sport)
        {
            var b = new byte[8 + daddr.Length + saddr.Length + 4 + 24];
            BitConverter.GetBytes(pid).CopyTo(b, 0);
            daddr.CopyTo(b, 8);
            saddr.CopyTo(b, 8 + daddr.Length);
            int o = 8 + daddr.Length + saddr.Length;
            b[o] = (byte)(dport >> 8); b[o + 1] = (byte)dport; b[o + 2] = (byte)(sport >> 8); b[o + 3] = (byte)sport;
            return b;
        }
    }
}
