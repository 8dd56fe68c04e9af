namespace EventStoreTools.Core;

/// <summary>A column as a store's catalog describes it: name, declared type, NOT NULL.</summary>
internal readonly record struct ColumnShape(string Name, string Type, bool NotNull)
{
    public override string ToString() => $"\"{Name}\" {Type}{(NotNull ? " NOT NULL" : "")}";
}

/// <summary>
/// A table as reSolve's DDL makes it: its columns, primary key and unique keys, compared as sets with what a
/// store's catalog holds (not as DDL text, which whitespace, quoting and the engine's own rewriting change).
/// A store whose tables differ is another application's, and is neither read as events nor replaced.
/// </summary>
internal sealed class TableShape
{
    private readonly IReadOnlyList<ColumnShape> _columns;
    private readonly IReadOnlyList<string> _primaryKey;
    private readonly IReadOnlyList<string>? _uniqueKey;
    private readonly StringComparer _names;

    /// <param name="names">How the engine compares names: SQLite ignores the case of ASCII letters, PostgreSQL's quoted names do not.</param>
    public TableShape(string table, StringComparer names, IReadOnlyList<ColumnShape> columns, IReadOnlyList<string> primaryKey, IReadOnlyList<string>? uniqueKey = null)
    {
        Table = table;
        _names = names;
        _columns = columns;
        _primaryKey = primaryKey;
        _uniqueKey = uniqueKey;
    }

    public string Table { get; }

    /// <summary>What differs from reSolve's table, in words; null when the table is reSolve's.</summary>
    /// <param name="uniqueKeys">The column sets of the table's unique constraints and unique indexes.</param>
    public string? Difference(IReadOnlyCollection<ColumnShape> columns, IReadOnlyCollection<string> primaryKey, IEnumerable<IReadOnlyCollection<string>> uniqueKeys)
    {
        foreach (var expected in _columns)
        {
            var actual = columns.FirstOrDefault(c => _names.Equals(c.Name, expected.Name));
            if (actual.Name is null) return $"it has no column \"{expected.Name}\"";
            if (NormalizeType(actual.Type) != NormalizeType(expected.Type) || actual.NotNull != expected.NotNull)
                return $"its column {actual} is not reSolve's {expected}";
        }
        var extra = columns.FirstOrDefault(c => !_columns.Any(e => _names.Equals(c.Name, e.Name)));
        if (extra.Name is not null) return $"it has a column {extra} that reSolve's does not";
        if (!SameSet(primaryKey, _primaryKey))
            return $"its primary key is ({Join(primaryKey)}), not reSolve's ({Join(_primaryKey)})";
        if (_uniqueKey is not null && !uniqueKeys.Any(key => SameSet(key, _uniqueKey)))
            return $"it has no unique key on ({Join(_uniqueKey)})";
        return null;
    }

    /// <summary>Types compared without case or whitespace: "BIG INT" (reSolve's spelling in lite's secrets) is "BIGINT".</summary>
    private static string NormalizeType(string type) =>
        string.Concat(type.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    private bool SameSet(IReadOnlyCollection<string> actual, IReadOnlyList<string> expected) =>
        actual.Count == expected.Count && expected.All(name => actual.Contains(name, _names));

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
