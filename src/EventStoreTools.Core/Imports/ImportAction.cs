namespace EventStoreTools.Core.Imports;

/// <summary>What Import-EventStore did (or, with -WhatIf, would do) to its target store.</summary>
public enum ImportAction
{
    /// <summary>Made a new store and wrote the events into it.</summary>
    Created,

    /// <summary>Added the events to those the store held (none, for an existing empty store).</summary>
    Appended,

    /// <summary>Dropped the stored events and wrote the new ones.</summary>
    Replaced,

    /// <summary>Wrote nothing (-WhatIf only; a real import fails instead): the store holds events and neither -Append nor -Replace was given, or a frozen store, an open import or an empty input refused the write.</summary>
    Refused,
}
