namespace EventStoreTools.Core.Endpoints;

/// <summary>What sending events to an import endpoint did (or, with WhatIf, would do).</summary>
public sealed record EndpointImportResult
{
    public required string Uri { get; init; }

    /// <summary>Events sent (with WhatIf: read, that would be sent).</summary>
    public long SentCount { get; init; }

    /// <summary>Requests that the endpoint accepted (with WhatIf: that would be sent).</summary>
    public long BatchCount { get; init; }

    /// <summary>Requests sent again after a timeout, a lost connection or a 5xx answer.</summary>
    public long RetryCount { get; init; }

    /// <summary>The body of the endpoint's last answer, shortened (the handler's summary of its last batch).</summary>
    public string? LastResponse { get; init; }

    public TimeSpan Elapsed { get; init; }

    public bool WhatIf { get; init; }
}
