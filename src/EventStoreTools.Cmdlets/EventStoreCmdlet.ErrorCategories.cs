using System.Management.Automation;
using EventStoreTools.Core;

namespace EventStoreTools.Cmdlets;

/// <summary>The error category of each kind of core failure.</summary>
public abstract partial class EventStoreCmdlet
{
    /// <summary>The error category of a core failure.</summary>
    internal static ErrorCategory CategoryOf(EventStoreException ex) =>
        ex switch
        {
            Core.Endpoints.EndpointException { StatusCode: 401 or 403 } => ErrorCategory.AuthenticationError,
            Core.Endpoints.EndpointException { StatusCode: null } => ErrorCategory.ConnectionError,
            Core.Endpoints.EndpointException => ErrorCategory.InvalidResult,
            _ => CategoryOf(ex.Kind),
        };

    private static ErrorCategory CategoryOf(EventStoreErrorKind kind) =>
        kind switch
        {
            EventStoreErrorKind.InvalidInput => ErrorCategory.InvalidData,
            EventStoreErrorKind.InvalidCursor => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.NotAnEventStore => ErrorCategory.InvalidType,
            EventStoreErrorKind.TargetNotEmpty => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DuplicateEvent => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DuplicateSecret => ErrorCategory.ResourceExists,
            EventStoreErrorKind.ImportNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.ImportAlreadyOpen => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.StoreBusy => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.InvalidStorePath => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreReadOnly => ErrorCategory.PermissionDenied,
            // Not ResourceUnavailable or ResourceBusy: waiting does not help, the freeze stays until someone lifts it (or -Force).
            EventStoreErrorKind.StoreFrozen => ErrorCategory.PermissionDenied,
            EventStoreErrorKind.InputNotFound => ErrorCategory.ObjectNotFound,
            EventStoreErrorKind.CorruptPayload => ErrorCategory.InvalidData,
            EventStoreErrorKind.UnsupportedStoredValue => ErrorCategory.InvalidData,
            EventStoreErrorKind.ThreadTimestampsDecrease => ErrorCategory.InvalidData,
            EventStoreErrorKind.InvalidConnectionString => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.InvalidStoreName => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.StoreInUseByPipeline => ErrorCategory.ResourceBusy,
            EventStoreErrorKind.OutputIsInput => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.OutputChanged => ErrorCategory.ResourceExists,
            EventStoreErrorKind.DestinationDiverged => ErrorCategory.InvalidData,
            EventStoreErrorKind.MirrorMismatch => ErrorCategory.InvalidResult,
            EventStoreErrorKind.AuthenticationFailed => ErrorCategory.AuthenticationError,
            EventStoreErrorKind.ConnectionFailed => ErrorCategory.ConnectionError,
            EventStoreErrorKind.StoreExists => ErrorCategory.ResourceExists,
            EventStoreErrorKind.UnsupportedCompression => ErrorCategory.InvalidArgument,
            EventStoreErrorKind.UnsupportedInputFormat => ErrorCategory.InvalidType,
            EventStoreErrorKind.BackupManifestMismatch => ErrorCategory.InvalidData,
            EventStoreErrorKind.BackupAmbiguous => ErrorCategory.InvalidData,
            _ => ErrorCategory.NotSpecified,
        };
}
