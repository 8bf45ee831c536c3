// Reads a child process's NDJSON output and converts it to typed records on a background thread,
// so conversion runs beside the sidecar and the PowerShell loop only hands finished objects on.
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace PortReport
{
    public sealed class RecordReader : IDisposable
    {
        private sealed class LineError
        {
            public LineError(string message) { Message = message; }
            public string Message { get; }
        }

        private readonly BlockingCollection<object> _items;
        private readonly Thread _thread;
        private readonly CancellationTokenSource _stop = new();
        private volatile Exception? _error;

        /// <param name="typeName">PortReport.Connection or PortReport.LogRecord: the default record class.</param>
        /// <param name="bound">Records held at most; the reader waits when the consumer is behind.</param>
        public RecordReader(TextReader reader, string typeName, int bound = 65536)
        {
            _items = new BlockingCollection<object>(bound);
            _thread = new Thread(() =>
            {
                long n = 0;
                try
                {
                    string? line;
                    while ((line = reader.ReadLine()) != null)
                    {
                        n++;
                        var o = Ndjson.TryConvertLine(line, typeName, n, out var error);
                        _items.Add(o ?? new LineError(error!), _stop.Token);
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
            }) { IsBackground = true, Name = "PortReport record reader" };
            _thread.Start();
        }

        /// <summary>True once every record has been read and taken.</summary>
        public bool IsCompleted => _items.IsCompleted;

        /// <summary>A read error, if reading stopped because of one.</summary>
        public Exception? Error => _error;

        /// <summary>Up to max records: what is ready now, or waits up to timeoutMs for the first. Bad lines go to errors.</summary>
        public object[] Take(int max, int timeoutMs, List<string> errors)
        {
            var batch = new List<object>(Math.Min(max, 1024));
            try
            {
                if (!_items.TryTake(out var first, timeoutMs)) return batch.ToArray();
                Add(first, batch, errors);
                while (batch.Count < max && _items.TryTake(out var next)) Add(next, batch, errors);
            }
            catch (InvalidOperationException)
            {
                // completed while waiting
            }
            return batch.ToArray();
        }

        private static void Add(object item, List<object> batch, List<string> errors)
        {
            if (item is LineError e) errors.Add(e.Message);
            else batch.Add(item);
        }

        /// <summary>Stop reading (a reader blocked on a full buffer lets go); records not taken are dropped.</summary>
        public void Dispose() => _stop.Cancel();
    }
}
