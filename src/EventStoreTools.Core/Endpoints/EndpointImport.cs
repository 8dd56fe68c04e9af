using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace EventStoreTools.Core.Endpoints;

/// <summary>
/// Sends events to a reSolve application's import handler (one that calls its adapter's incrementalImport with
/// the posted array): batch by batch, each a JSON array, with retries. Each batch is its own incrementalImport,
/// so a failure leaves the batches before it imported.
/// </summary>
public sealed class EndpointImport : IDisposable
{
    private const int ShownBodyChars = 500;
    private static readonly TimeSpan LongestRetryWait = TimeSpan.FromSeconds(30);

    private readonly EndpointImportOptions _options;
    private readonly CancellationToken _cancellation;
    private readonly HttpClient _client;
    private readonly EndpointBody _body = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _firstOfBatch;
    private string? _lastResponse;

    public EndpointImport(EndpointImportOptions options, CancellationToken cancellation = default)
    {
        if (!options.Uri.IsAbsoluteUri || options.Uri.Scheme is not ("http" or "https"))
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"'{options.DisplayUri}' is not an http:// or https:// address: give the full address of the application's import handler.");
        if (options.Basic is not null && options.Headers.Keys.Any(k => k.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            throw new EventStoreException(EventStoreErrorKind.InvalidInput, "Both a credential and an Authorization header were given: use one of them.");
        using (var probe = new HttpRequestMessage())
        {
            foreach (var name in options.Headers.Keys)
            {
                if (!probe.Headers.TryAddWithoutValidation(name, ""))
                    throw new EventStoreException(EventStoreErrorKind.InvalidInput, $"The header '{name}' cannot be sent with the request: give a request header name (the Content-Type follows -Encoding).");
            }
        }
        _options = options;
        _cancellation = cancellation;
        // Timeouts are per attempt (below), so the client's own is off; redirects would re-send the body elsewhere.
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Called after each batch the endpoint accepted: batches so far, events so far.</summary>
    public Action<long, long>? BatchSent { get; init; }

    /// <summary>Told before each retry: what failed and how long it waits (for -Verbose).</summary>
    public Action<string>? Retrying { get; init; }

    public long SentCount { get; private set; }
    public long BatchCount { get; private set; }
    public long RetryCount { get; private set; }

    public void Add(ResolveEvent e)
    {
        _body.Add(e);
        if (_body.EventCount >= _options.BatchSize) SendBatch();
    }

    /// <summary>Sends what is left and says what was done.</summary>
    public EndpointImportResult Complete()
    {
        if (_body.EventCount > 0) SendBatch();
        return new EndpointImportResult
        {
            Uri = _options.DisplayUri,
            SentCount = SentCount,
            BatchCount = BatchCount,
            RetryCount = RetryCount,
            LastResponse = _lastResponse,
            Elapsed = _clock.Elapsed,
        };
    }

    private void SendBatch()
    {
        var count = _body.EventCount;
        var bytes = _body.Take(_options.Encoding);
        var wait = _options.RetryInterval;
        for (var attempt = 0; ; attempt++)
        {
            _cancellation.ThrowIfCancellationRequested();
            var (status, body, failure) = Post(bytes);
            if (status is >= 200 and < 300)
            {
                _lastResponse = body;
                BatchCount++;
                SentCount += count;
                _firstOfBatch = SentCount;
                BatchSent?.Invoke(BatchCount, SentCount);
                return;
            }
            // Sending a batch again is safe: incrementalImport skips the events a store already holds.
            var retryable = status is null or >= 500 or 408 or 429;
            if (!retryable || attempt >= _options.MaximumRetryCount) throw Failure(count, status, body, failure, attempt + 1);
            RetryCount++;
            Retrying?.Invoke($"{(status is { } code ? $"{code} ({(HttpStatusCode)code})" : failure?.Message)} to batch {BatchCount + 1}: trying again in {wait.TotalSeconds:0.###} s ({attempt + 1} of {_options.MaximumRetryCount} retries).");
            if (_cancellation.WaitHandle.WaitOne(wait)) _cancellation.ThrowIfCancellationRequested();
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetryWait.Ticks));
        }
    }

    private (int? Status, string? Body, Exception? Failure) Post(byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Uri) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = _options.Encoding.WebName };
        foreach (var (name, value) in _options.Headers) request.Headers.TryAddWithoutValidation(name, value);
        if (_options.Basic is { } basic)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.UserName}:{basic.Password}")));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
        attempt.CancelAfter(_options.Timeout);
        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
            using var reader = new StreamReader(response.Content.ReadAsStream(attempt.Token), Encoding.UTF8);
            return ((int)response.StatusCode, Shorten(reader.ReadToEnd()), null);
        }
        catch (OperationCanceledException ex) when (!_cancellation.IsCancellationRequested)
        {
            return (null, null, new TimeoutException($"No answer within {_options.Timeout.TotalSeconds:0.###} s.", ex));
        }
        catch (HttpRequestException ex)
        {
            return (null, null, ex);
        }
        catch (IOException ex)
        {
            return (null, null, ex);
        }
    }

    private EndpointException Failure(int count, int? status, string? body, Exception? failure, int tries)
    {
        var batch = $"batch {BatchCount + 1} (events {_firstOfBatch + 1:N0} to {_firstOfBatch + count:N0})";
        var before = BatchCount == 0 ? "No batch was imported." : $"The {Quantity.Of(BatchCount, "batch", "batches")} before it ({Quantity.Of(SentCount, "event")}) {Quantity.Noun(BatchCount, "was", "were")} imported; sending everything again is safe, incrementalImport skips what the store holds.";
        var triesText = tries == 1 ? "" : $" after {Quantity.Of(tries, "try", "tries")}";
        if (status is not { } code)
            return new EndpointException($"{_options.DisplayUri} did not answer {batch}{triesText}: {failure?.Message} {before} Check that the application runs and -Uri names its import handler, or raise -TimeoutSec.", null, null, failure);
        var next = code switch
        {
            401 or 403 => "Check -Credential or the authentication in -Headers.",
            404 or 405 => "Check that -Uri names the application's import handler.",
            413 => "Lower -BatchSize.",
            >= 300 and < 400 => "The address redirects, which is not followed (the events would go elsewhere): give the final address as -Uri.",
            >= 500 => "The handler failed; see its log. Sending everything again is safe.",
            _ => "The handler refused the events; see its answer.",
        };
        var answer = string.IsNullOrWhiteSpace(body) ? "(an empty body)" : body;
        return new EndpointException($"{_options.DisplayUri} answered {code} ({(HttpStatusCode)code}) to {batch}{triesText}: {answer} {before} {next}", code, body);
    }

    /// <summary>An answer's body as a message shows it: one line, cut after <see cref="ShownBodyChars"/> characters.</summary>
    internal static string Shorten(string body)
    {
        var line = string.Join(' ', body.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= ShownBodyChars ? line : line[..ShownBodyChars] + "…";
    }

    public void Dispose() => _client.Dispose();
}
