using System.Management.Automation;
using System.Net;
using EventStoreTools.Core;
using EventStoreTools.Core.Postgres;
using EventStoreTools.Core.Sqlite;

namespace EventStoreTools.Cmdlets;

/// <summary>
/// An output object that names a store to the next cmdlet of the pipeline by property name, as Get-ChildItem's items
/// do: a SQLite store by PSPath (binding -LiteralPath, so 'a [1].db' stays that name), a PostgreSQL store by
/// ConnectionString (without its password), Schema and, when one was given, Credential. Only the properties of the
/// store's engine are added: an empty one would bind and fail validation.
/// </summary>
internal static class StoreObject
{
    public static PSObject Of(object output, IEventStore store, PSCredential? credential)
    {
        var wrapped = PSObject.AsPSObject(output);
        switch (store)
        {
            case SqliteEventStore sqlite:
                wrapped.Properties.Add(new PSNoteProperty("PSPath", sqlite.Path));
                break;
            case PostgresEventStore postgres:
                var (connectionString, fromConnectionString) = postgres.ShownConnection;
                wrapped.Properties.Add(new PSNoteProperty("ConnectionString", connectionString));
                wrapped.Properties.Add(new PSNoteProperty("Schema", postgres.Schema));
                if ((credential ?? AsPSCredential(fromConnectionString)) is { } login) wrapped.Properties.Add(new PSNoteProperty("Credential", login));
                break;
        }
        // The open import of a store's description names the store too, so that it can be piped on by itself.
        if (output is EventStoreDescription { IncrementalImport: { } session })
            wrapped.Properties.Add(new PSNoteProperty(nameof(EventStoreDescription.IncrementalImport), Of(session, store, credential)));
        return wrapped;
    }

    private static PSCredential? AsPSCredential(NetworkCredential? credential) =>
        credential is null ? null : new PSCredential(credential.UserName, credential.SecurePassword);
}
