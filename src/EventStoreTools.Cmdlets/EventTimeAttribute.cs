using System.Globalization;
using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Lets a timestamp parameter (ms since epoch, as reSolve stores it) take a DateTime, a DateTimeOffset, a
/// date string or a number. A DateTime without a kind (such as [datetime]'2024-01-01') is taken as UTC,
/// the time zone events are shown in.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EventTimeAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        ToTimestamp(inputData is PSObject ps ? ps.BaseObject : inputData);

    public static long ToTimestamp(object? value) => value switch
    {
        DateTimeOffset offset => offset.ToUnixTimeMilliseconds(),
        DateTime { Kind: DateTimeKind.Unspecified } time => new DateTimeOffset(time, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        DateTime time => new DateTimeOffset(time.ToUniversalTime()).ToUnixTimeMilliseconds(),
        long or int or short or byte or uint or ulong => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        double d when Math.Floor(d) == d => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) => ms,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed.ToUnixTimeMilliseconds(),
        _ => throw new ArgumentTransformationMetadataException(
            $"'{value}' is not a point in time: give a DateTime, a date such as '2024-01-31T12:00:00Z', or milliseconds since 1970-01-01 UTC."),
    };
}
