// Methods the Node sidecar calls through edge-js (edge.func({ assemblyFile, typeName, methodName })):
// each takes edge's input object and returns a Task<object>, as edge-js requires.
using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace PortReport
{
    public sealed class Bridge
    {
        /// <summary>Proves the bridge: what .NET runs and on which system, and the input echoed back.</summary>
        public Task<object> Describe(object input) => Task.FromResult<object>(new
        {
            Runtime = RuntimeInformation.FrameworkDescription,
            OS = RuntimeInformation.OSDescription,
            Windows = OperatingSystem.IsWindows(),
            ProcessId = Environment.ProcessId,
            Echo = input?.ToString(),
        });
    }
}
