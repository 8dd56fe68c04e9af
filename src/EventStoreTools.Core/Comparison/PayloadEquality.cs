using System.Text.Json;
using EventStoreTools.Core.Json;

namespace EventStoreTools.Core.Comparison;

/// <summary>Whether two events' payloads are equal, as text or as JSON values: what both comparisons of stores ask.</summary>
internal static class PayloadEquality
{
    /// <param name="asJsonValues">Equal also when only key order or number spelling differ (PostgreSQL's JSONB reorders keys).</param>
    public static bool AreEqual(ResolveEvent a, ResolveEvent b, bool asJsonValues)
    {
        if (a.PayloadUtf8.Span.SequenceEqual(b.PayloadUtf8.Span)) return true;
        if (!asJsonValues) return false;
        try
        {
            return JsonValueEquality.AreEqual(a.PayloadJson, b.PayloadJson);
        }
        catch (JsonException)
        {
            // A payload that is not JSON equals only its own text (Test-EventStore reports it).
            return false;
        }
    }
}
