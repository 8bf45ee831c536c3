// Reads a child process's output lines on a background thread, so the PowerShell loop takes them
// in batches instead of paying a script-level call per line. BackgroundReader does the reading;
// LineReader hands lines on as they are, RecordReader (RecordReader.cs) converts them first.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace PortReport
{
    public abstract class BackgroundReader<T> : IDisposable where T : class
    {
        private readonly BlockingCollection<T> _items;
        private readonly CancellationTokenSource _stop = new();
        private volatile Exception? _error;

        /// <param name="make">Turns a line (and its 1-based number) into the item handed on, or null for a line that hands nothing on.</param>
        /// <param name="bound">Items held at most; the reader waits when the consumer is behind.</param>
        protected BackgroundReader(TextReader reader, int bound, string name, Func<string, long, T?> make)
        {
            _items = new BlockingCollection<T>(bound);
            var thread = new Thread(() =>
            {
                long n = 0;
                try
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        var item = make(line, ++n);
                        if (item is not null) _items.Add(item, _stop.Token);
                    }
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
                    _items.CompleteAdding();
                }
            }) { IsBackground = true, Name = name };
            thread.Start();
        }

        /// <summary>True once every item has been read and taken.</summary>
        public bool IsCompleted => _items.IsCompleted;

        /// <summary>A read error, if reading stopped because of one.</summary>
        public Exception? Error => _error;

        /// <summary>Up to max items: what is ready now, or waits up to timeoutMs for the first.</summary>
        protected List<T> TakeBatch(int max, int timeoutMs)
        {
            var batch = new List<T>(Math.Min(max, 1024));
            try
            {
                if (!_items.TryTake(out var first, timeoutMs)) return batch;
                batch.Add(first);
                while (batch.Count < max && _items.TryTake(out var next)) batch.Add(next);
            }
            catch (InvalidOperationException)
            {
                // completed while waiting
            }
            return batch;
        }

        /// <summary>Stop reading (a reader blocked on a full buffer lets go); items not taken are dropped.</summary>
        public void Dispose() => _stop.Cancel();
    }

    public sealed class LineReader : BackgroundReader<string>
    {
        public LineReader(TextReader reader, int bound = 65536) : base(reader, bound, "PortReport line reader", (line, _) => line) { }

        /// <summary>Up to max lines: what is ready now, or waits up to timeoutMs for the first.</summary>
        public List<string> Take(int max, int timeoutMs) => TakeBatch(max, timeoutMs);
    }
}
