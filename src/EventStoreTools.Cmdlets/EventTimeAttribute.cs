using System.Globalization;
using System.Management.Automation;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// Lets a [DateTimeOffset] time parameter take a DateTime, a DateTimeOffset, an ISO-8601 string or milliseconds since
/// 1970-01-01 UTC (a number or a string of digits, as reSolve stores timestamps). A time without an offset (a DateTime
/// of unspecified kind such as [datetime]'2024-01-01', or a string such as '2024-01-01T12:00') is taken as UTC, the
/// time zone reSolve's timestamps and the events shown are in.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class EventTimeAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) =>
        ToTime(inputData is PSObject ps ? ps.BaseObject : inputData);

    public static DateTimeOffset ToTime(object? value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime { Kind: DateTimeKind.Unspecified } time => new DateTimeOffset(time, TimeSpan.Zero),
        DateTime time => new DateTimeOffset(time.ToUniversalTime()),
        long or int or short or byte or uint or ulong => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double d when Math.Floor(d) == d => DateTimeOffset.FromUnixTimeMilliseconds((long)d),
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => throw new ArgumentTransformationMetadataException(
            $"'{value}' is not a point in time: give a DateTime, an ISO-8601 time such as '2024-01-31T12:00:00.000Z' (without an offset it is taken as UTC), or milliseconds since 1970-01-01 UTC."),
    };
}
