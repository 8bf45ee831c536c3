// Durations as admins write them, for -Interval, -MaxFileAge and -Duration: a bare number is
// seconds (1, 0.5), a unit may follow (500ms, 30s, 5m, 24h, 7d), and a TimeSpan or its text
// (0:0:30, 1.00:00:00) works too. Plain [timespan] reads 1 as one tick and '1' as one day.
// An unquoted 7d reaches us as PowerShell's decimal literal 7 (the d suffix): taken as 7 days.
// Values go to the sidecar as seconds, never in exponent form.
using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PortReport
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class DurationAttribute : ArgumentTransformationAttribute
    {
        private static readonly Regex WithUnit = new(@"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object v = inputData is PSObject p ? p.BaseObject : inputData;
            switch (v)
            {
                case null: return null!;
                case TimeSpan t: return t;
                // PowerShell reads an unquoted 7d as the decimal literal 7: a decimal came with a d, so days.
                case decimal d: return FromSeconds((double)d * 86400, $"{d}d");
                case int or long or short or byte or uint or ulong or double or float:
                    return FromSeconds(Convert.ToDouble(v, CultureInfo.InvariantCulture), v.ToString()!);
                case string s:
                    var m = WithUnit.Match(s);
                    if (m.Success)
                    {
                        double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                        double factor = m.Groups[2].Value.ToLowerInvariant() switch { "ms" => 0.001, "m" => 60, "h" => 3600, "d" => 86400, _ => 1 };
                        return FromSeconds(n * factor, s);
                    }
                    if (s.Contains(':') && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var ts)) return ts;
                    break;
            }
            throw new ArgumentTransformationMetadataException(
                $"'{Display.Escape(inputData?.ToString())}' is not a duration: give seconds (30), a number with a unit (500ms, 30s, 5m, 24h, 7d) or a TimeSpan (0:0:30).");
        }

        private static TimeSpan FromSeconds(double seconds, string text)
        {
            if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.MaxValue.TotalSeconds)
                throw new ArgumentTransformationMetadataException($"'{Display.Escape(text)}' is not a duration of 0 seconds or more.");
            return TimeSpan.FromSeconds(seconds);
        }

        /// <summary>The sidecar's form of a duration: seconds, invariant, never in exponent form (7E-07).</summary>
        public static string ToArgument(TimeSpan t) => ((decimal)t.Ticks / TimeSpan.TicksPerSecond).ToString("0.#######", CultureInfo.InvariantCulture);
    }
}
