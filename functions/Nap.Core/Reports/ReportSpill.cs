using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Where a compilation keeps the full text of its contributions and quotes while the report is built and written: a
/// temporary file, not the heap. While the bodies stream in, the aggregator keeps only where each record is and what
/// it is sorted by; the figures are computed from compact copies read back one goal at a time (<see cref="Compact"/>),
/// and the report's lists read the full records back, one at a time, whenever a writer goes through them. So a report
/// with tens of thousands of contributions never holds all of them, or all their texts, at once.
/// <para>
/// The file holds only what the report publishes (confidential parts never get here). It is removed from the directory
/// as soon as it is opened where the system allows it (Linux: it then vanishes with the process, even after a crash),
/// and otherwise deleted when it is closed; <see cref="Dispose"/> closes it.
/// </para>
/// </summary>
public sealed class ReportSpill : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly Lock _gate = new();
    private long _length;

    /// <summary>Where a record is in the file.</summary>
    internal readonly record struct Slot(long Offset, int Length);

    // Codes repeat across thousands of contributions: one string each in the compact copies.
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
    private static readonly Focus[] NationalOnly = [Focus.National], InternationalOnly = [Focus.International], Both = [Focus.National, Focus.International];
    private readonly Func<string, bool> _summable;
    private readonly bool _keepTitles;

    /// <param name="summable">Whether an indicator's results are summed: their texts are then not needed for the figures.</param>
    /// <param name="keepTitles">Whether every compact copy needs its title (the years side by side name each continuing
    /// contribution); otherwise only those with a listed (not summed) result keep it, for the listing.</param>
    public ReportSpill(Func<string, bool>? summable = null, bool keepTitles = true)
    {
        _summable = summable ?? (_ => false);
        _keepTitles = keepTitles;
        var path = Path.Combine(Path.GetTempPath(), "nap-report-" + Guid.NewGuid().ToString("N") + ".spill");
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
    }

    /// <summary>Stores the contribution; returns where its record is.</summary>
    internal Slot Contribution(ContributionLine full) => Append(full, WriteContribution);

    /// <summary>
    /// The contribution's compact copy, read back from the file: what the figures are computed from (ids, sort keys,
    /// places, budget, indicator numbers; no description, partners, links or outcomes, no text of summed results; codes
    /// shared). Made one goal at a time, so no copy of every contribution is ever held at once.
    /// </summary>
    internal ContributionLine Compact(Slot slot)
    {
        var full = Read(slot, ReadContribution);
        lock (_gate)
        {
            // Read back, every string is new: the ones that repeat (ids, names, sources, titles, units) are shared again.
            var source = SourceOf(full.Source);
            return full with
            {
                Id = Code(full.Id), Goal = Code(full.Goal), SignatoryId = Code(full.SignatoryId), Organisation = Code(full.Organisation), Source = source,
                Description = null, Outcomes = [], Partners = [], Links = [], IatiActivityId = null,
                Title = _keepTitles || full.IndicatorResults.Any(r => !_summable(r.Indicator)) ? full.Title : "",
                Focus = full.Focus.Count == 2 && full.Focus[0] == Focus.National && full.Focus[1] == Focus.International ? Both
                    : full.Focus.Count == 1 ? full.Focus[0] == Focus.National ? NationalOnly : InternationalOnly : full.Focus.ToArray(),
                CountryCodes = Codes(full.CountryCodes), RegionCodes = Codes(full.RegionCodes),
                // Summed results need only their numbers; listed ones keep text and comment for their table.
                IndicatorResults = full.IndicatorResults.Select(r => _summable(r.Indicator)
                    ? r with { Indicator = Code(r.Indicator), IndicatorTitle = CodeOrNull(r.IndicatorTitle), Unit = CodeOrNull(r.Unit), Source = SourceOf(r.Source), Text = null, Comment = null }
                    : r with { Indicator = Code(r.Indicator), IndicatorTitle = CodeOrNull(r.IndicatorTitle), Unit = CodeOrNull(r.Unit), Source = SourceOf(r.Source) }).ToArray(),
            };
        }
    }

    // One source per submission version, shared by all its contributions and results.
    private readonly Dictionary<string, SourceRef> _sources = new(StringComparer.Ordinal);

    private SourceRef SourceOf(SourceRef read)
    {
        if (_sources.TryGetValue(read.SubmissionId, out var known) && known == read) return known;
        return _sources[read.SubmissionId] = read with { SubmissionId = Code(read.SubmissionId), KeyedHash = Code(read.KeyedHash) };
    }

    private string? CodeOrNull(string? code) => code is null ? null : Code(code);

    /// <summary>Stores the quote; returns where its record is.</summary>
    internal Slot Quote(Quote full) => Append(full, WriteQuote);

    /// <summary>The full contributions in these records, in this order, read from the file when enumerated.</summary>
    internal IReadOnlyList<ContributionLine> Contributions(Slot[] slots) => new SpilledList<ContributionLine>(this, slots, ReadContribution);

    internal IReadOnlyList<Quote> Quotes(Slot[] slots) => new SpilledList<Quote>(this, slots, ReadQuote);

    /// <summary>Nothing more will be stored: the last records go to the file.</summary>
    internal void Flush()
    {
        lock (_gate) FlushPending();
    }

    /// <summary>No more compact copies will be made: the shared codes are let go.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            FlushPending();
            _codes.Clear();
            _codeLists.Clear();
            _sources.Clear();
        }
    }

    public void Dispose() => _file.Dispose();

    private string Code(string code)
    {
        if (_codes.TryGetValue(code, out var known)) return known;
        _codes[code] = code;
        return code;
    }

    // Most contributions name one or two places: the same few lists, one array each.
    private readonly Dictionary<string, string[]> _codeLists = new(StringComparer.Ordinal);

    private string[] Codes(IReadOnlyList<string> codes)
    {
        if (codes.Count == 0) return [];
        var key = string.Join('\n', codes);
        if (_codeLists.TryGetValue(key, out var known)) return known;
        var result = new string[codes.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Code(codes[i]);
        return _codeLists[key] = result;
    }

    private Slot Append<T>(T record, Action<RecordWriter, T> write)
    {
        var writer = RecordWriter.ForThisThread();
        write(writer, record);
        var bytes = writer.Written;
        lock (_gate)
        {
            // Records are gathered into blocks: one file write per block, not per record.
            if (_pendingLength + bytes.Length > _pending.Length) FlushPending();
            var slot = new Slot(_length, bytes.Length);
            if (bytes.Length > _pending.Length) RandomAccess.Write(_file, bytes, _length);
            else
            {
                bytes.CopyTo(_pending.AsSpan(_pendingLength));
                _pendingLength += bytes.Length;
            }
            _length += bytes.Length;
            return slot;
        }
    }

    private readonly byte[] _pending = new byte[64 * 1024];
    private int _pendingLength;

    /// <summary>Writes the gathered records to the file; under the gate.</summary>
    private void FlushPending()
    {
        if (_pendingLength == 0) return;
        RandomAccess.Write(_file, _pending.AsSpan(0, _pendingLength), _length - _pendingLength);
        _pendingLength = 0;
    }

    /// <summary>Reads one record; positional reads need no lock, so the three writers read side by side.</summary>
    internal T Read<T>(Slot slot, RecordReader<T> read)
    {
        if (_pendingLength > 0)
        {
            lock (_gate) FlushPending();
        }
        var buffer = ArrayPool<byte>.Shared.Rent(slot.Length);
        try
        {
            var bytes = buffer.AsSpan(0, slot.Length);
            var done = 0;
            while (done < bytes.Length)
            {
                var n = RandomAccess.Read(_file, bytes[done..], slot.Offset + done);
                if (n == 0) throw new EndOfStreamException("The report spill file ended early.");
                done += n;
            }
            var reader = new SpanReader(bytes);
            return read(ref reader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal delegate T RecordReader<out T>(ref SpanReader reader);

    // ---- records as bytes: every field, decimals with their scale, so what is read back is what was stored ----

    private static void WriteContribution(RecordWriter w, ContributionLine c)
    {
        w.String(c.Id); w.String(c.Goal); w.String(c.SignatoryId); w.String(c.Organisation); w.Int((int)c.SignatoryKind); w.Int(c.Position);
        w.String(c.Title); w.NullableString(c.Description);
        w.Int(c.Focus.Count); foreach (var f in c.Focus) w.Int((int)f);
        w.Strings(c.CountryCodes); w.Strings(c.RegionCodes); w.Strings(c.Outcomes);
        w.Int(c.IndicatorResults.Count);
        foreach (var r in c.IndicatorResults)
        {
            w.String(r.Indicator); w.NullableString(r.IndicatorTitle); w.NullableDecimal(r.Value); w.NullableString(r.Text); w.NullableString(r.Unit);
            w.NullableDecimal(r.Target); w.NullableString(r.Comment);
            Source(w, r.Source);
        }
        w.NullableDecimal(c.BudgetSpentEur); w.Strings(c.Partners); w.Strings(c.Links); Source(w, c.Source); w.NullableString(c.IatiActivityId);
    }

    private static ContributionLine ReadContribution(ref SpanReader r)
    {
        var id = r.String(); var goal = r.String(); var signatoryId = r.String(); var organisation = r.String();
        var kind = (SignatoryKind)r.Int(); var position = r.Int();
        var title = r.String(); var description = r.NullableString();
        var focus = new Focus[r.Int()];
        for (var i = 0; i < focus.Length; i++) focus[i] = (Focus)r.Int();
        var countries = r.Strings(); var regions = r.Strings(); var outcomes = r.Strings();
        var results = new ReportedResult[r.Int()];
        for (var i = 0; i < results.Length; i++)
            results[i] = new ReportedResult(r.String(), r.NullableString(), r.NullableDecimal(), r.NullableString(), r.NullableString(), r.NullableDecimal(), r.NullableString(), Source(ref r));
        var budget = r.NullableDecimal(); var partners = r.Strings(); var links = r.Strings(); var source = Source(ref r); var iati = r.NullableString();
        return new ContributionLine(id, goal, signatoryId, organisation, kind, position, title, description, focus, countries, regions, outcomes, results, budget, partners, links, source)
        {
            IatiActivityId = iati,
        };
    }

    private static void WriteQuote(RecordWriter w, Quote q)
    {
        w.String(q.SignatoryId); w.String(q.Organisation); w.String(q.Text); Source(w, q.Source);
    }

    private static Quote ReadQuote(ref SpanReader r) => new(r.String(), r.String(), r.String(), Source(ref r));

    private static void Source(RecordWriter w, SourceRef s)
    {
        w.String(s.SubmissionId); w.Int(s.Version); w.String(s.KeyedHash);
    }

    private static SourceRef Source(ref SpanReader r) => new(r.String(), r.Int(), r.String());

    /// <summary>Builds one record in a buffer reused by the thread (records are built on the downloading threads).</summary>
    internal sealed class RecordWriter
    {
        [ThreadStatic] private static RecordWriter? _current;
        private byte[] _buffer = new byte[4096];
        private int _length;

        public static RecordWriter ForThisThread()
        {
            var writer = _current ??= new RecordWriter();
            writer._length = 0;
            return writer;
        }

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        private Span<byte> Take(int count)
        {
            if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }

        public void Int(int value) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), value);

        public void Bool(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

        public void String(string value)
        {
            var count = Encoding.UTF8.GetByteCount(value);
            Int(count);
            Encoding.UTF8.GetBytes(value, Take(count));
        }

        public void NullableString(string? value)
        {
            Bool(value is not null);
            if (value is not null) String(value);
        }

        public void NullableDecimal(decimal? value)
        {
            Bool(value is not null);
            if (value is not { } v) return;
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(v, bits);
            foreach (var b in bits) Int(b);
        }

        public void Strings(IReadOnlyList<string> values)
        {
            Int(values.Count);
            foreach (var v in values) String(v);
        }
    }

    /// <summary>Reads one record's fields in the order <see cref="RecordWriter"/> wrote them.</summary>
    internal ref struct SpanReader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public int Int()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
            _rest = _rest[4..];
            return value;
        }

        public bool Bool()
        {
            var value = _rest[0] != 0;
            _rest = _rest[1..];
            return value;
        }

        public string String()
        {
            var count = Int();
            var value = count == 0 ? "" : Encoding.UTF8.GetString(_rest[..count]);
            _rest = _rest[count..];
            return value;
        }

        public string? NullableString() => Bool() ? String() : null;

        public decimal? NullableDecimal()
        {
            if (!Bool()) return null;
            Span<int> bits = [Int(), Int(), Int(), Int()];
            return new decimal(bits);
        }

        public string[] Strings()
        {
            var count = Int();
            if (count == 0) return [];
            var values = new string[count];
            for (var i = 0; i < values.Length; i++) values[i] = String();
            return values;
        }
    }

    /// <summary>A list whose items live in the spill file: each is read when it is asked for, none is kept.</summary>
    private sealed class SpilledList<T>(ReportSpill spill, Slot[] slots, RecordReader<T> read) : IReadOnlyList<T>
    {
        public int Count => slots.Length;

        public T this[int index] => spill.Read(slots[index], read);

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < slots.Length; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
