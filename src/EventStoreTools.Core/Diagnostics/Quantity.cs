namespace EventStoreTools.Core;

/// <summary>A count and its noun in every message of the module: "1 event", "2 events", "1,000 batches".</summary>
public static class Quantity
{
    /// <summary>The count (with group separators) and the noun, plural unless the count is one; <paramref name="plural"/> defaults to the noun + "s".</summary>
    public static string Of(long count, string singular, string? plural = null) => $"{count:N0} {Noun(count, singular, plural)}";

    /// <summary>The noun (or verb) alone, for a sentence that puts other words between the count and it: "3 secrets stay".</summary>
    public static string Noun(long count, string singular, string? plural = null) => count == 1 ? singular : plural ?? singular + "s";
}
