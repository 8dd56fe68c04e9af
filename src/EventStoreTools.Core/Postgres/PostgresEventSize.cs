using System.Globalization;
using System.Text;

namespace EventStoreTools.Core.Postgres;

/// <summary>
/// reSolve's "eventSize" column: the UTF-8 length of the SQL values its statement inlines for the event
/// (strings as escape() writes them), plus RESERVED_EVENT_SIZE. Which values depends on the statement.
/// </summary>
internal static class PostgresEventSize
{
    /// <summary>reSolve's RESERVED_EVENT_SIZE: "3 reserved BIGINT fields with commas".</summary>
    public const int Reserved = 66;

    /// <summary>As injectEvents and saveEvent give it: <c>'aggregateId',version,'type','payload'</c>.</summary>
    public static long OfInjected(ResolveEvent e) => Of(Text(e.AggregateId), Number(e.AggregateVersion), Text(e.Type), Text(e.PayloadJson));

    /// <summary>
    /// As pushIncrementalImport gives it: <c>timestamp,'aggregateId','type','payload'</c>; the commit of the
    /// incremental import copies it as it is.
    /// </summary>
    public static long OfPushed(ResolveEvent e) => Of(Number(e.Timestamp), Text(e.AggregateId), Text(e.Type), Text(e.PayloadJson));

    private static string Text(string value) => PostgresSchema.QuoteLiteral(value);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static long Of(string first, string second, string third, string fourth) =>
        Reserved + Encoding.UTF8.GetByteCount(string.Concat(first, ",", second, ",", third, ",", fourth));
}
