# The NDJSON bad-input corpus of Import-EventStore -InFile: one file per case in import-ndjson/.
# Rejected cases name the error (ImportEventStore<Error>), its category and the offending line; the target store
# must be left byte for byte as it was. Accepted cases give the number of events the import must store.
# Incremental: Import-EventStore -Incremental rejects the case too, at the same line; the other rejected cases are
# wrong only in threadId, threadCounter or aggregateVersion, which an incremental import neither needs nor reads.
@{
    Rejected = @(
        @{ Name = 'broken-json'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # a line cut off mid-object
        @{ Name = 'blank-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # an empty line between events
        @{ Name = 'whitespace-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # a line of spaces and a tab
        @{ Name = 'invalid-utf8'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # 0xFF 0xFE inside a string
        @{ Name = 'overlong-utf8'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # an overlong encoding of "/"
        @{ Name = 'missing-aggregateid'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # no aggregateId key
        @{ Name = 'null-type'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # "type": null
        @{ Name = 'null-threadcounter'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # "threadCounter": null
        @{ Name = 'string-version'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # "aggregateVersion": "2"
        @{ Name = 'string-timestamp'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # the timestamp as a string
        @{ Name = 'fractional-timestamp'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # timestamp 2000000000002.5
        @{ Name = 'negative-threadid'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # threadId -1
        @{ Name = 'threadid-256'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # threadId 256 (reSolve has threads 0-255)
        @{ Name = 'threadid-beyond-int'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # threadId 2^32
        @{ Name = 'negative-threadcounter'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # threadCounter -5
        @{ Name = 'version-zero'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2 } # aggregateVersion 0
        @{ Name = 'number-type'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # "type": 5
        @{ Name = 'object-aggregateid'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # aggregateId an object
        @{ Name = 'bad-payload'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # payload {"a":}
        @{ Name = 'array-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # a JSON array, not an object
        @{ Name = 'null-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # the JSON literal null
        @{ Name = 'two-objects-on-a-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # two events on one line
        @{ Name = 'trailing-garbage'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 2; Incremental = $true } # a character after the object
        @{ Name = 'unterminated-last-line'; ErrorId = 'InvalidInput'; Category = 'InvalidData'; Line = 3; Incremental = $true } # a last line cut off without a line end (reSolve drops it silently)
        @{ Name = 'duplicate-threadcounter'; ErrorId = 'DuplicateEvent'; Category = 'ResourceExists'; Line = 2 } # two events with threadId 200, threadCounter 900001
        @{ Name = 'duplicate-aggregate-version'; ErrorId = 'DuplicateEvent'; Category = 'ResourceExists'; Line = 3 } # two events with aggregateId corpus-1, aggregateVersion 1
    )
    Accepted = @(
        @{ Name = 'utf8-bom'; Count = 2 } # a UTF-8 byte order mark before the first line
        @{ Name = 'crlf'; Count = 3 } # Windows line ends
        @{ Name = 'unknown-properties'; Count = 2 } # extra keys (also "Type", "threadid" and "") are ignored
        @{ Name = 'exponent-numbers'; Count = 2 } # timestamp 2.000000000001e12, a whole number as JSON.parse reads it
        @{ Name = 'empty'; Count = 0 } # an empty file: an empty store is created
        @{ Name = 'empty-type'; Count = 3 } # "type": "" on line 2, which reSolve stores too
    )
}
