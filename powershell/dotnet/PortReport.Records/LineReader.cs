// Reads a child process's output lines on a background thread, so the PowerShell loop takes them
// in batches instead of paying a script-level call per line.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace PortReport
{
    public sealed class LineReader : IDisposable
    {
        private readonly BlockingCollection<string> _lines;
        private readonly Thread _thread;
        private readonly CancellationTokenSource _stop = new();
        private volatile Exception? _error;

        /// <param name="bound">Lines held at most; the reader waits when the consumer is behind.</param>
        public LineReader(TextReader reader, int bound = 65536)
        {
            _lines = new BlockingCollection<string>(bound);
            _thread = new Thread(() =>
            {
                try
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null) _lines.Add(line, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // the consumer stopped (Dispose)
                }
                catch (Exception e) when (e is IOException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    _error = e;
                }
                finally
                {
                    _lines.CompleteAdding();
                }
            }) { IsBackground = true, Name = "PortReport line reader" };
            _thread.Start();
        }

        /// <summary>True once every line has been read and taken.</summary>
        public bool IsCompleted => _lines.IsCompleted;

        /// <summary>A read error, if reading stopped because of one.</summary>
        public Exception? Error => _error;

        /// <summary>Up to max lines: what is ready now, or waits up to timeoutMs for the first.</summary>
        public List<string> Take(int max, int timeoutMs)
        {
            var batch = new List<string>(Math.Min(max, 1024));
            try
            {
                if (!_lines.TryTake(out var first, timeoutMs)) return batch;
                batch.Add(first);
                while (batch.Count < max && _lines.TryTake(out var next)) batch.Add(next);
            }
            catch (InvalidOperationException)
            {
                // completed while waiting
            }
            return batch;
        }

        /// <summary>Stop reading (a reader blocked on a full buffer lets go); lines not taken are dropped.</summary>
        public void Dispose() => _stop.Cancel();
    }
}
