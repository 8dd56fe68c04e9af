using System.Text;

namespace EventStoreTools.Core.Endpoints;

/// <summary>Where and how <see cref="EndpointImport"/> sends events to a reSolve application's import handler.</summary>
public sealed record EndpointImportOptions
{
    public required Uri Uri { get; init; }

    /// <summary>Events per request (one incrementalImport call of the handler each).</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>The charset of the bodies, named in their Content-Type.</summary>
    public Encoding Encoding { get; init; } = new UTF8Encoding(false);

    /// <summary>Extra request headers (authentication); their values never appear in a message.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>HTTP Basic credentials, or null.</summary>
    public (string UserName, string Password)? Basic { get; init; }

    /// <summary>How long one request may take before it is given up (and retried).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Tries after the first, on a timeout, a lost connection or a 5xx / 408 / 429 answer.</summary>
    public int MaximumRetryCount { get; init; } = 3;

    /// <summary>The wait before the first retry; it doubles with each further one.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The address as messages show it: no user name, password or query (which may hold a token).</summary>
    public string DisplayUri => DisplayOf(Uri);

    public static string DisplayOf(Uri uri) =>
        uri.IsAbsoluteUri ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : uri.ToString();

    /// <summary>The number of requests that many events take.</summary>
    public long BatchesFor(long events) => (events + BatchSize - 1) / BatchSize;
}
