# The bad-store corpus: paths that a cmdlet writing a store must refuse with <Cmdlet><ErrorId> and the category,
# the path as target, creating and changing nothing. New-CorpusStore (tests/pester/TestHelpers.ps1) makes each
# Kind. Import: whether Import-EventStore refuses it too; it creates a missing store and takes an empty file for
# a new one, where the incremental cmdlets need a store that exists.
@{
    Stores = @(
        @{ Name = 'that is a directory'; Kind = 'Directory'; ErrorId = 'InvalidStorePath'; Category = 'InvalidArgument'; Import = $true }
        @{ Name = 'that is not a SQLite file'; Kind = 'Text'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Import = $true }
        @{ Name = 'that is an empty file'; Kind = 'Empty'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Import = $false }
        @{ Name = 'that is a read-only file with an open import'; Kind = 'ReadOnly'; ErrorId = 'StoreReadOnly'; Category = 'PermissionDenied'; Import = $true }
        @{ Name = 'that is a SQLite database of another schema'; Kind = 'OtherSchema'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Import = $true }
        @{ Name = 'whose events table is another application''s'; Kind = 'ForeignEvents'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Import = $true }
        @{ Name = 'whose secrets table is another application''s'; Kind = 'ForeignSecrets'; ErrorId = 'NotAnEventStore'; Category = 'InvalidType'; Import = $true }
        @{ Name = 'that does not exist'; Kind = 'Missing'; ErrorId = 'StoreNotFound'; Category = 'ObjectNotFound'; Import = $false }
        @{ Name = 'in a folder that does not exist'; Kind = 'MissingFolder'; ErrorId = 'StoreNotFound'; Category = 'ObjectNotFound'; Import = $true }
    )
}
