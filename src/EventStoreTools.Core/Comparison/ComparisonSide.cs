namespace EventStoreTools.Core.Comparison;

/// <summary>One side of a comparison, read for a merge.</summary>
/// <param name="Events">Every event, ordered by <see cref="AggregateKeyOrder"/>.</param>
/// <param name="Secrets">
/// Every secret row (a deleted secret with a null value) ordered by id in UTF-8 byte order, or null when the side
/// holds no secrets at all (an NDJSON export of events): secrets are then not compared.
/// </param>
/// <param name="KeepsDeletedSecrets">
/// False for a backup folder: reSolve's secrets file leaves deleted secrets out, so the other side's deleted
/// secrets are not compared with it.
/// </param>
public sealed record ComparisonSide(IEnumerable<StoredEvent> Events, IEnumerable<ResolveSecret>? Secrets, bool KeepsDeletedSecrets = true);
