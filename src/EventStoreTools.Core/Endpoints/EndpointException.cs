namespace EventStoreTools.Core.Endpoints;

/// <summary>An import endpoint refused a batch, or could not be reached within the tries.</summary>
public sealed class EndpointException : EventStoreException
{
    public EndpointException(string message, int? statusCode, string? responseBody, Exception? inner = null)
        : base(EventStoreErrorKind.EndpointFailed, message, inner)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP status of the last answer, or null when none came (timeout, refused connection).</summary>
    public int? StatusCode { get; }

    /// <summary>The body of the last answer, shortened.</summary>
    public string? ResponseBody { get; }
}
