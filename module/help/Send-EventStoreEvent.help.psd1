@{
    Synopsis    = 'Sends events to a running reSolve application''s import handler, which imports them incrementally.'
    Description = @'
Send-EventStoreEvent is for a store that sits behind a running reSolve application, without access to its database. The application exposes an import API handler as reSolve documents it: it reads the request body in the charset of its Content-Type, JSON.parse's it into an array of events and calls its event store adapter's incrementalImport(events). This cmdlet posts the events to that handler.

The events come from the pipeline (Export-EventStore, ConvertFrom-Json, hashtables) or from -InFile (reSolve's NDJSON export format or a JSON array, read as UTF-8; a byte-order mark wins). They are sent in batches of -BatchSize events, each one POST request whose body is a JSON array with the fields incrementalImport reads: timestamp, aggregateId, type and payload (the payload's canonical JSON text, as Export-EventStore writes it). The Content-Type is application/json; charset=utf-8, or the charset of -Encoding.

Each batch is its own incrementalImport in the application: unlike Import-EventStore -Incremental (one transaction), a failure leaves the batches before it imported. Sending everything again is safe, since incrementalImport skips the events the store already holds; the error says how many batches went through.

A timeout, a lost connection or a 5xx, 408 or 429 answer is retried -MaximumRetryCount times, waiting -RetryIntervalSec seconds and then twice as long each time (-Verbose tells each retry and why). Any other answer, or the last failed try, ends the command with SendEventStoreEventEndpointFailed: its message gives the address, the status code, the batch and the answer's body (shortened to 500 characters), and what to do next. Its category is AuthenticationError for 401 and 403, ConnectionError when no answer came, InvalidResult otherwise; the exception's StatusCode and ResponseBody hold the status and body. Header values, passwords and the address's query and user name never appear in a message.

-WhatIf reads the input and says how many events would go in how many batches to which address; it sends nothing. The output is one object: Uri, SentCount, BatchCount, RetryCount, LastResponse (the handler's answer to the last batch) and Elapsed.
'@
    Parameters  = @{
        Uri               = 'The address of the application''s import handler (http:// or https://). Messages show it without its user name, password and query.'
        InputObject       = 'An event from the pipeline: an event of Export-EventStore, a PSCustomObject (ConvertFrom-Json) or a hashtable with timestamp, aggregateId, type and payload. Other fields (threadId, threadCounter, aggregateVersion) are not sent: incrementalImport numbers the events itself.'
        InFile            = 'Read the events from this file: reSolve''s NDJSON export format (Export-EventStore -OutFile) or a JSON array of events, in UTF-8 (a byte-order mark wins). A missing file fails with SendEventStoreEventInputNotFound before anything is sent.'
        BatchSize         = 'Events per request (1000 by default): each request is one incrementalImport call in the application. Lower it when the handler refuses large bodies (413).'
        Encoding          = 'The charset of the request bodies, named in Content-Type (UTF-8 by default): PowerShell''s names (utf8, latin1, ...), a charset name such as iso-8859-1, or a code page. Characters the charset lacks, and the C1 controls U+0080 to U+009F, are written as \uXXXX escapes, so the handler''s JSON.parse gives the same text.'
        Headers           = 'Request headers, as a hashtable of names and values (strings or SecureStrings), such as @{ Authorization = "Bearer $token" }. Their values never appear in a message, -Verbose line or error. A name that is not a request header (Content-Type, which follows -Encoding, or a name with spaces) fails with SendEventStoreEventInvalidInput before anything is sent.'
        Credential        = 'A user name and password sent as HTTP Basic authentication. Use either -Credential or an Authorization header in -Headers (both fail with SendEventStoreEventInvalidInput). The password never appears in a message.'
        TimeoutSec        = 'Seconds a request may take before it is given up and retried (100 by default).'
        MaximumRetryCount = 'How often a batch is sent again after a timeout, a lost connection or a 5xx, 408 or 429 answer (3 by default; 0 to 10). Other answers are not retried.'
        RetryIntervalSec  = 'Seconds to wait before the first retry (1 by default); the wait doubles with each further retry, up to 30 seconds.'
    }
    Examples    = @(
        @{
            Code    = 'Send-EventStoreEvent https://app.example/api/import-events -InFile ./new-events.ndjson'
            Remarks = 'Sends the events of an export to the application''s import handler, 1000 per request.'
        }
        @{
            Code    = 'Export-EventStore ./prod.db -Since (Get-Date).AddDays(-1) | Send-EventStoreEvent https://staging.example/api/import-events -Headers @{ Authorization = "Bearer $token" } -WhatIf'
            Remarks = 'Says how many events of the last day would go in how many batches, and sends nothing. Without -WhatIf it sends them with the token.'
        }
        @{
            Code    = '$result = Send-EventStoreEvent https://app.example/api/import-events -InFile ./events.ndjson -Credential (Get-Credential) -BatchSize 200 -MaximumRetryCount 5 -RetryIntervalSec 2 -TimeoutSec 30 -ErrorAction Stop; $result.LastResponse'
            Remarks = 'Sends with HTTP Basic authentication, in smaller batches, retrying a busy application up to 5 times (after 2, 4, 8, 16 and 30 seconds), and shows the handler''s answer to the last batch. If it fails, sending again is safe: incrementalImport skips what the store holds.'
        }
    )
    Links       = @('Import-EventStore', 'Export-EventStore')
}
