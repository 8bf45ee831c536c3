// Kernel-Network events streamed to the Node sidecar through edge-js: each event goes to the
// sidecar's callback as { Id, Payload } (the event id and its UserData bytes, which the sidecar
// decodes: src/collect/windows/etw.ts), lost events as { Lost }. Stop() ends the stream cleanly:
// Run's task then completes with the number of events sent.
//
// Sources: "etw", the real-time session (EtwSession.cs); under Wine, which has no kernel ETW
// providers, two stand-ins that write Microsoft-Windows-Kernel-Network payloads exactly as the
// manifest lays them out: "stand-in" (fixed addresses, endlessly) and "loopback:PORT" (one real TCP
// connection to 127.0.0.1:PORT, opened and closed by this process, described by its connect and
// disconnect events, as the kernel would: it lives between two polls of the logger).
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
            if (source == "etw") return await Etw(onEvent);
            if (source.StartsWith("loopback:")) return await Loopback(onEvent, int.Parse(source.Substring(9)));
            if (source != "stand-in") throw new NotSupportedException($"event source '{source}' (etw, stand-in, loopback:PORT)");
            var cts = Register();
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

        /// <summary>The kernel's events through a bounded queue: a burst beyond it is counted as lost, never blocks ETW.</summary>
        private static async Task<object> Etw(Func<object, Task<object>> onEvent)
        {
            var cts = Register();
            var queue = System.Threading.Channels.Channel.CreateBounded<(ushort, byte[])>(new System.Threading.Channels.BoundedChannelOptions(65536) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });
            long dropped = 0;
            int sent = 0;
            using var session = new EtwSession((id, data) => { if (!queue.Writer.TryWrite((id, data))) Interlocked.Increment(ref dropped); });
            try
            {
                // Off edge-js's calling thread (Node's): a session that does not start must not stop the logger.
                var start = Task.Run(session.Start);
                if (await Task.WhenAny(start, Task.Delay(15000)) != start) throw new TimeoutException("the ETW session did not start within 15 s");
                await start;
                var lastCheck = DateTime.UtcNow;
                while (!cts.IsCancellationRequested)
                {
                    try { await queue.Reader.WaitToReadAsync(cts.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(1), cts.Token); }
                    catch (TimeoutException) { }
                    catch (OperationCanceledException) { break; }
                    while (queue.Reader.TryRead(out var e)) { await onEvent(new { Id = (int)e.Item1, Payload = e.Item2 }); sent++; }
                    if (DateTime.UtcNow - lastCheck >= TimeSpan.FromSeconds(1))
                    {
                        lastCheck = DateTime.UtcNow;
                        var (ev, buf) = session.Lost();
                        long lost = ev + buf + Interlocked.Exchange(ref dropped, 0);
                        if (lost > 0) await onEvent(new { Lost = (int)Math.Min(lost, int.MaxValue) });
                    }
                }
            }
            finally { Interlocked.Exchange(ref running, null); }
            return sent;
        }

        /// <summary>One real loopback connection of this process, as its connect and disconnect events.</summary>
        private static async Task<object> Loopback(Func<object, Task<object>> onEvent, int port)
        {
            using var c = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetwork);
            await c.ConnectAsync(System.Net.IPAddress.Loopback, port);
            var local = (System.Net.IPEndPoint)c.Client.LocalEndPoint!;
            var pid = (uint)Environment.ProcessId;
            var payload = Tcp(pid, new byte[] { 127, 0, 0, 1 }, local.Address.GetAddressBytes(), (ushort)port, (ushort)local.Port);
            await onEvent(new { Id = 12, Payload = payload });
            c.Close();
            await onEvent(new { Id = 13, Payload = payload });
            return 2;
        }

        /// <summary>The one stream Stop() ends.</summary>
        private static CancellationTokenSource Register()
        {
            var cts = new CancellationTokenSource();
            if (Interlocked.CompareExchange(ref running, cts, null) != null) throw new InvalidOperationException("a stream is running already");
            return cts;
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
