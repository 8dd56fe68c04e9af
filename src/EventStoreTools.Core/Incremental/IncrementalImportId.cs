using System.Text;

namespace EventStoreTools.Core.Incremental;

/// <summary>Import ids in reSolve's format, so that an id we give out looks like one reSolve gives out.</summary>
public static class IncrementalImportId
{
    /// <summary>
    /// reSolve: base64 of `${Date.now()}${Math.random()}` with '/', '+' and '=' replaced by 'z'
    /// (e.g. MTY3MDAwMDAwMDAwMDAuODMyOTEwNDYyNzU0MTM0Mgzz).
    /// </summary>
    public static string New()
    {
        var seed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
            + Json.JsJson.FormatNumber(Random.Shared.NextDouble());
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(seed)).Replace('/', 'z').Replace('+', 'z').Replace('=', 'z');
    }

    /// <summary>reSolve's message for a second import begun while one is open, naming the open one.</summary>
    public static EventStoreException AlreadyOpen(string store, string openImportId) =>
        new(EventStoreErrorKind.ImportAlreadyOpen,
            $"Previous incremental import is not finished: the store '{store}' has the open import '{openImportId}'. Complete or undo it first.");

    /// <summary>reSolve's message for an id that does not name the open import.</summary>
    public static EventStoreException NotFound(string importId) =>
        new(EventStoreErrorKind.ImportNotFound, $"Incremental importId={importId} does not exist.");
}
