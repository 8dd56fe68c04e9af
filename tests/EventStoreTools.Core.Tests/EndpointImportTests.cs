using System.Net;
using System.Net.Sockets;
using System.Text;
using EventStoreTools.Core.Endpoints;
using Xunit;

namespace EventStoreTools.Core.Tests;

public class EndpointImportTests
{
    /// <summary>An import handler on 127.0.0.1 that answers each request as told and keeps what it received.</summary>
    private sealed class TestEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<int, (int Status, string Body, TimeSpan Delay)> _answer;
        private readonly Task _serving;

        public TestEndpoint(Func<int, (int Status, string Body, TimeSpan Delay)> answer)
        {
            _answer = answer;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Uri = new Uri($"http://127.0.0.1:{port}/api/import");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _serving = Task.Run(Serve);
        }

        public Uri Uri { get; }
        public List<(byte[] Body, string ContentType, string? Authorization, string? Token)> Requests { get; } = [];

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                _ = Task.Run(() => Answer(context));
            }
        }

        private async Task Answer(HttpListenerContext context)
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            int index;
            lock (Requests)
            {
                Requests.Add((body.ToArray(), context.Request.ContentType ?? "", context.Request.Headers["Authorization"], context.Request.Headers["X-Token"]));
                index = Requests.Count - 1;
            }
            var (status, text, delay) = _answer(index);
            if (delay > TimeSpan.Zero) await Task.Delay(delay);
            try
            {
                context.Response.StatusCode = status;
                var bytes = Encoding.UTF8.GetBytes(text);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception)
            {
                // The client gave up (a timeout test).
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private static ResolveEvent Event(long timestamp, string aggregate, string payload) =>
        new() { Timestamp = timestamp, AggregateId = aggregate, Type = "T", AggregateVersion = 7, ThreadId = 3, ThreadCounter = 9, PayloadJson = payload };

    private static EndpointImportOptions Options(Uri uri) =>
        new() { Uri = uri, BatchSize = 2, RetryInterval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) };

    private static EndpointImportResult Send(EndpointImportOptions options, params ResolveEvent[] events)
    {
        using var import = new EndpointImport(options);
        foreach (var e in events) import.Add(e);
        return import.Complete();
    }

    [Fact]
    public void Sends_batches_as_JSON_arrays_of_the_fields_incrementalImport_reads()
    {
        using var endpoint = new TestEndpoint(_ => (200, "{\"ok\":true}", TimeSpan.Zero));
        var result = Send(Options(endpoint.Uri),
            Event(1, "a", "{ \"b\" : 1.0, \"a\" : \"é\" }"), Event(2, "b\"", "null"), Event(3, "c", "[1,2]"));
        Assert.Equal(3, result.SentCount);
        Assert.Equal(2, result.BatchCount);
        Assert.Equal(0, result.RetryCount);
        Assert.Equal("{\"ok\":true}", result.LastResponse);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal("[{\"timestamp\":1,\"aggregateId\":\"a\",\"type\":\"T\",\"payload\":{\"b\":1,\"a\":\"é\"}},{\"timestamp\":2,\"aggregateId\":\"b\\\"\",\"type\":\"T\",\"payload\":null}]",
            Encoding.UTF8.GetString(endpoint.Requests[0].Body));
        Assert.Equal("[{\"timestamp\":3,\"aggregateId\":\"c\",\"type\":\"T\",\"payload\":[1,2]}]", Encoding.UTF8.GetString(endpoint.Requests[1].Body));
        Assert.Equal("application/json; charset=utf-8", endpoint.Requests[0].ContentType);
        Assert.NotEqual(0xEF, endpoint.Requests[0].Body[0]);
    }

    [Fact]
    public void Sends_nothing_for_no_events()
    {
        using var endpoint = new TestEndpoint(_ => (200, "", TimeSpan.Zero));
        var result = Send(Options(endpoint.Uri));
        Assert.Equal(0, result.BatchCount);
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public void Retries_a_5xx_answer_with_the_same_body()
    {
        using var endpoint = new TestEndpoint(i => i < 2 ? (503, "busy", TimeSpan.Zero) : (200, "done", TimeSpan.Zero));
        var result = Send(Options(endpoint.Uri), Event(1, "a", "1"));
        Assert.Equal(1, result.BatchCount);
        Assert.Equal(2, result.RetryCount);
        Assert.Equal(3, endpoint.Requests.Count);
        Assert.All(endpoint.Requests, r => Assert.Equal(endpoint.Requests[0].Body, r.Body));
    }

    [Fact]
    public void Gives_up_after_the_retries_with_the_status_and_body()
    {
        using var endpoint = new TestEndpoint(_ => (500, "adapter failed", TimeSpan.Zero));
        var options = Options(endpoint.Uri) with { MaximumRetryCount = 2 };
        var error = Assert.Throws<EndpointException>(() => Send(options, Event(1, "a", "1")));
        Assert.Equal(3, endpoint.Requests.Count);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(EventStoreErrorKind.EndpointFailed, error.Kind);
        Assert.Contains("answered 500", error.Message);
        Assert.Contains("adapter failed", error.Message);
        Assert.Contains("after 3 tries", error.Message);
    }

    [Fact]
    public void Does_not_retry_a_4xx_answer_and_says_which_batch_failed()
    {
        using var endpoint = new TestEndpoint(i => i == 0 ? (200, "", TimeSpan.Zero) : (400, "Unexpected token\n in JSON " + new string('x', 2000), TimeSpan.Zero));
        var error = Assert.Throws<EndpointException>(() => Send(Options(endpoint.Uri), Event(1, "a", "1"), Event(2, "a", "2"), Event(3, "a", "3")));
        if (endpoint.Requests.Count != 2) Assert.Fail(string.Join(" | ", endpoint.Requests.Select(r => Encoding.UTF8.GetString(r.Body))));
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("batch 2 (events 3 to 3)", error.Message);
        Assert.Contains("Unexpected token in JSON", error.Message);
        Assert.Contains("The 1 batch before it (2 events) was imported", error.Message);
        Assert.True(error.ResponseBody!.Length <= 501);
    }

    [Fact]
    public void Does_not_follow_a_redirect()
    {
        using var endpoint = new TestEndpoint(_ => (307, "", TimeSpan.Zero));
        var error = Assert.Throws<EndpointException>(() => Send(Options(endpoint.Uri), Event(1, "a", "1")));
        Assert.Equal(307, error.StatusCode);
        Assert.Single(endpoint.Requests);
        Assert.Contains("redirects", error.Message);
    }

    [Fact]
    public void Retries_a_timeout_then_reports_no_answer()
    {
        using var endpoint = new TestEndpoint(_ => (200, "", TimeSpan.FromSeconds(2)));
        var options = Options(endpoint.Uri) with { Timeout = TimeSpan.FromMilliseconds(200), MaximumRetryCount = 1 };
        var error = Assert.Throws<EndpointException>(() => Send(options, Event(1, "a", "1")));
        Assert.Null(error.StatusCode);
        Assert.Equal(2, endpoint.Requests.Count);
        Assert.Contains("did not answer", error.Message);
        Assert.Contains("after 2 tries", error.Message);
    }

    [Fact]
    public void Reports_a_refused_connection_after_the_retries()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var error = Assert.Throws<EndpointException>(() => Send(Options(new Uri($"http://127.0.0.1:{port}/import")) with { MaximumRetryCount = 1 }, Event(1, "a", "1")));
        Assert.Null(error.StatusCode);
        Assert.Contains("did not answer", error.Message);
    }

    [Fact]
    public void Sends_headers_and_basic_credentials_but_never_shows_them()
    {
        using var endpoint = new TestEndpoint(_ => (401, "who are you", TimeSpan.Zero));
        var options = Options(new Uri(endpoint.Uri + "?key=query-secret")) with
        {
            Headers = new Dictionary<string, string> { ["X-Token"] = "header-secret" },
            Basic = ("admin", "basic-secret"),
        };
        var error = Assert.Throws<EndpointException>(() => Send(options, Event(1, "a", "1")));
        Assert.Single(endpoint.Requests);
        Assert.Equal("header-secret", endpoint.Requests[0].Token);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:basic-secret")), endpoint.Requests[0].Authorization);
        Assert.Contains("answered 401", error.Message);
        Assert.Contains("-Credential", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void Refuses_a_credential_with_an_Authorization_header_and_an_address_that_is_not_http()
    {
        var both = new EndpointImportOptions { Uri = new Uri("http://127.0.0.1:1/"), Basic = ("a", "b"), Headers = new Dictionary<string, string> { ["authorization"] = "Bearer x" } };
        Assert.Equal(EventStoreErrorKind.InvalidInput, Assert.Throws<EventStoreException>(() => new EndpointImport(both)).Kind);
        Assert.Throws<EventStoreException>(() => new EndpointImport(new EndpointImportOptions { Uri = new Uri("file:///tmp/x") }));
        var contentType = new EndpointImportOptions { Uri = new Uri("http://127.0.0.1:1/"), Headers = new Dictionary<string, string> { ["Content-Type"] = "text/plain" } };
        Assert.Contains("'Content-Type' cannot be sent", Assert.Throws<EventStoreException>(() => new EndpointImport(contentType)).Message);
        var badName = new EndpointImportOptions { Uri = new Uri("http://127.0.0.1:1/"), Headers = new Dictionary<string, string> { ["X Token"] = "secret" } };
        Assert.DoesNotContain("secret", Assert.Throws<EventStoreException>(() => new EndpointImport(badName)).Message);
    }

    [Fact]
    public void Writes_another_charset_escaping_what_it_lacks_and_C1_controls()
    {
        using var endpoint = new TestEndpoint(_ => (200, "", TimeSpan.Zero));
        var options = Options(endpoint.Uri) with { Encoding = Encoding.Latin1 };
        Send(options, Event(1, "é", "\"ü€\u0085😀\""));
        Assert.Equal("application/json; charset=iso-8859-1", endpoint.Requests[0].ContentType);
        var expected = Encoding.Latin1.GetBytes("[{\"timestamp\":1,\"aggregateId\":\"é\",\"type\":\"T\",\"payload\":\"ü\\u20ac\\u0085\\ud83d\\ude00\"}]");
        Assert.Equal(expected, endpoint.Requests[0].Body);
    }

    [Fact]
    public void Counts_batches_for_WhatIf_and_hides_secrets_of_the_address()
    {
        var options = new EndpointImportOptions { Uri = new Uri("https://user:pw@app.example/api/import?token=t"), BatchSize = 1000 };
        Assert.Equal(3, options.BatchesFor(2001));
        Assert.Equal(0, options.BatchesFor(0));
        Assert.Equal("https://app.example/api/import", options.DisplayUri);
    }
}
