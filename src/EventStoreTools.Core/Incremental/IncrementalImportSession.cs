using System.Globalization;
using System.Text;

namespace EventStoreTools.Core.Incremental;

/// <summary>
/// An incremental import begun and neither committed nor rolled back: what Start-IncrementalImport writes and
/// Get-EventStore shows, for Add-, Complete- and Undo-IncrementalImport to bind. Its text is the import id, so it
/// can be given wherever an id string is.
/// </summary>
public sealed record IncrementalImportSession(string Store, string ImportId)
{
    /// <summary>When the import was begun, as its id says (reSolve's ids begin with Date.now()); null for an id of another form.</summary>
    public DateTimeOffset? StartedAt => StartTimeOf(ImportId);

    public override string ToString() => ImportId;

    /// <summary>
    /// The time in an id of reSolve's form: base64 of Date.now() (13 digits) followed by Math.random(). Digits encode
    /// to base64 without '+' or '/', so the 'z' that reSolve puts in their place cannot stand in the time's part.
    /// </summary>
    public static DateTimeOffset? StartTimeOf(string importId)
    {
        if (importId.Length < 20) return null;
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(importId[..20]);
        }
        catch (FormatException)
        {
            return null;
        }
        var digits = Encoding.ASCII.GetString(bytes, 0, 13);
        if (!digits.All(char.IsAsciiDigit) || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)) return null;
        return milliseconds <= 253402300799999L ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
    }
}
