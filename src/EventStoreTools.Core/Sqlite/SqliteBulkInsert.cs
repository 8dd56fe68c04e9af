using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventStoreTools.Core.Sqlite;

/// <summary>
/// A prepared statement run row after row on SQLite's own statement API, for bulk loads. SqliteCommand's
/// ExecuteNonQuery builds a data reader and re-encodes every parameter per call, which cost about a third of
/// a bulk import; here strings go to SQLite as UTF-8 through one reused buffer (SQLite copies them).
/// </summary>
internal sealed class SqliteBulkInsert : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[4096];
    private GCHandle _pinnedText;
    private int _pinnedTextIndex;

    /// <summary>Strings longer than this are encoded into a buffer of their own, not the reused one.</summary>
    private const int HugeChars = 1 << 20;

    /// <summary>UTF-8 text longer than this is bound without a copy (see <see cref="BindText"/>).</summary>
    private const int HugeTextBytes = 1 << 20;

    public SqliteBulkInsert(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var db = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
    }

    /// <summary>The index of a named parameter such as "$timestamp", for the Bind methods.</summary>
    public int Parameter(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        if (index == 0) throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
        return index;
    }

    public void Bind(int index, long value) => raw.sqlite3_bind_int64(_statement, index, value);

    public void Bind(int index, double value) => raw.sqlite3_bind_double(_statement, index, value);

    /// <summary>
    /// Binds canonical payload text for reSolve's "payload" column, which is declared JSON and so has NUMERIC
    /// affinity: SQLite turns a top-level number into INTEGER or REAL. It would parse the text with its own
    /// float parser, which in this SQLite rounds about one double in six 1 ulp off (reSolve's does not), so a
    /// number is bound as the INTEGER or REAL SQLite would have made of it, parsed by .NET. Canonical number
    /// text is an integer literal only for integers below 1e21, and SQLite keeps those that fit 64 bits as
    /// INTEGER, everything else as REAL.
    /// </summary>
    public void BindPayload(int index, ReadOnlyMemory<byte> canonicalUtf8)
    {
        var text = canonicalUtf8.Span;
        var first = text[0];
        if (first != '-' && !char.IsAsciiDigit((char)first))
            BindText(index, canonicalUtf8);
        else if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            Bind(index, integer);
        else
            Bind(index, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Binds UTF-8 text. SQLite copies bound text; a huge text (a 100 MB payload) is instead pinned and bound
    /// without a copy (SQLITE_STATIC), until <see cref="Execute"/> has run the statement and cleared the binding,
    /// so that SQLite holds it once (in the record it writes) rather than twice.
    /// </summary>
    private void BindText(int index, ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Length <= HugeTextBytes || !MemoryMarshal.TryGetArray(utf8, out var segment))
        {
            raw.sqlite3_bind_text(_statement, index, utf8.Span);
            return;
        }
        ReleasePinnedText();
        _pinnedText = GCHandle.Alloc(segment.Array, GCHandleType.Pinned);
        _pinnedTextIndex = index;
        var rc = BindStaticText(_statement.DangerousGetHandle(), index, _pinnedText.AddrOfPinnedObject() + segment.Offset, (ulong)segment.Count, SqliteStatic, SqliteUtf8);
        if (rc != raw.SQLITE_OK)
        {
            ReleasePinnedText();
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    private const byte SqliteUtf8 = 1;
    private static readonly IntPtr SqliteStatic = IntPtr.Zero;

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_bind_text64")]
    private static extern int BindStaticText(IntPtr statement, int index, IntPtr text, ulong length, IntPtr destructor, byte encoding);

    /// <summary>Unbinds pinned text (SQLite must not keep a pointer to it) and unpins it.</summary>
    private void ReleasePinnedText()
    {
        if (!_pinnedText.IsAllocated) return;
        raw.sqlite3_bind_null(_statement, _pinnedTextIndex);
        _pinnedText.Free();
    }

    public void Bind(int index, string value)
    {
        // An empty span reaches SQLite as a null pointer, which binds NULL rather than ''.
        if (value.Length == 0)
        {
            raw.sqlite3_bind_text(_statement, index, "");
            return;
        }
        // A huge value (a 100 MB payload) is measured rather than given room for 3 bytes a character, and its
        // buffer is let go at once: SQLite has copied the text.
        if (value.Length > HugeChars)
        {
            raw.sqlite3_bind_text(_statement, index, Encoding.UTF8.GetBytes(value));
            return;
        }
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes > _utf8.Length) _utf8 = new byte[Math.Max(maxBytes, _utf8.Length * 2)];
        var length = Encoding.UTF8.GetBytes(value, _utf8);
        raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length));
    }

    /// <summary>Runs the statement with the bound values; a failure is a <see cref="SqliteException"/>.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        try
        {
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
            ReleasePinnedText();
        }
    }

    public void Dispose()
    {
        ReleasePinnedText();
        _statement.Dispose();
    }
}
