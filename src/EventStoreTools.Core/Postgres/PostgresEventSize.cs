using System.Text;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// reSolve's "eventSize" column: the UTF-8 length of the SQL values its statement inlines for the event
/// (strings as escape() writes them), plus RESERVED_EVENT_SIZE. Which values depends on the statement.
/// Counted without building the statement text: a bulk load computes it for every event.
/// </summary>
internal static class PostgresEventSize
{
    /// <summary>reSolve's RESERVED_EVENT_SIZE: "3 reserved BIGINT fields with commas".</summary>
    public const int Reserved = 66;

    /// <summary>The three commas between the four values.</summary>
    private const int Separators = 3;

    /// <summary>As injectEvents and saveEvent give it: <c>'aggregateId',version,'type','payload'</c>.</summary>
    public static long OfInjected(ResolveEvent e) =>
        Reserved + Separators + Text(e.AggregateId) + Number(e.AggregateVersion) + Text(e.Type) + Text(e.PayloadJson);

    /// <summary>
    /// As pushIncrementalImport gives it: <c>timestamp,'aggregateId','type','payload'</c>; the commit of the
    /// incremental import copies it as it is.
    /// </summary>
    public static long OfPushed(ResolveEvent e) =>
        Reserved + Separators + Number(e.Timestamp) + Text(e.AggregateId) + Text(e.Type) + Text(e.PayloadJson);

    /// <summary>
    /// The UTF-8 length of <see cref="PostgresSchema.QuoteLiteral"/>'s text: the two quotes and every quote
    /// doubled (one byte each). The values are separated by ASCII, so no surrogate pair spans two of them and
    /// counting each apart gives the length of the whole.
    /// </summary>
    private static int Text(string value) => 2 + Encoding.UTF8.GetByteCount(value) + value.AsSpan().Count('\'');

    private static int Number(long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var length, default, System.Globalization.CultureInfo.InvariantCulture);
        return length;
    }
}
