// Times as people type them for -After and -Before, read one way in the module and the CLI:
// ISO-8601 only (2026-11-28, 2026-11-28T08:00, 2026-11-28 08:00:00, with Z or +01:00 or none), a
// time without a zone being this computer's local time; [datetime] and [DateTimeOffset] objects
// as they are. Culture-dependent text like 03.12.2026 (March or December?) is refused: plain
// [datetime] would read it as 12 March in the invariant culture.
using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace PortReport
{
    [AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
    public sealed class IsoTimeAttribute : ArgumentTransformationAttribute
    {
        private static readonly Regex Iso = new(@"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?(?:Z|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant);

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object v = inputData is PSObject p ? p.BaseObject : inputData;
            switch (v)
            {
                case null: return null!;
                case DateTime t: return t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Local) : t;
                case DateTimeOffset o: return o.UtcDateTime;
                case string s:
                    var text = s.Trim();
                    if (Iso.IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var parsed))
                        return parsed.UtcDateTime;
                    break;
            }
            throw new ArgumentTransformationMetadataException(
                $"'{Display.Escape(inputData?.ToString())}' is not an ISO-8601 date and time: write 2026-11-28, 2026-11-28T08:00 or 2026-11-28T08:00:00Z (no zone: this computer's local time), or give a [datetime].");
        }
    }
}
