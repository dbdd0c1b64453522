using System.Collections;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Nap.Signatories;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Where a compilation keeps the full text of its contributions and quotes while the report is built and written: a
/// temporary file, not the heap. The aggregator keeps a compact copy of each contribution (ids, sort keys, places,
/// figures; no description, partners, links or outcomes) and of each quote (no text) for the figures; the report's
/// lists read the full records back from the file, one at a time, whenever a writer goes through them. So a report
/// with tens of thousands of contributions never holds all their texts at once.
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
    // Compact copy → where its full record is; emptied by Seal, so nothing keeps the compact copies alive afterwards.
    private Dictionary<object, Slot>? _slots = new(ReferenceEqualityComparer.Instance);

    internal readonly record struct Slot(long Offset, int Length);

    // Codes repeat across thousands of contributions: one string each in the compact copies.
    private readonly Dictionary<string, string> _codes = new(StringComparer.Ordinal);
    private static readonly Focus[] NationalOnly = [Focus.National], InternationalOnly = [Focus.International], Both = [Focus.National, Focus.International];
    private readonly Func<string, bool> _summable;

    /// <param name="summable">Whether an indicator's results are summed: their texts are then not needed for the figures.</param>
    public ReportSpill(Func<string, bool>? summable = null)
    {
        _summable = summable ?? (_ => false);
        var path = Path.Combine(Path.GetTempPath(), "nap-report-" + Guid.NewGuid().ToString("N") + ".spill");
        _file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows()) File.Delete(path);
    }

    /// <summary>Stores the contribution; returns the compact copy the figures are computed from.</summary>
    public ContributionLine Contribution(ContributionLine full)
    {
        var slot = Append(w => WriteContribution(w, full));
        lock (_gate)
        {
            var compact = full with
            {
                Id = Code(full.Id), Goal = Code(full.Goal), Description = null, Outcomes = [], Partners = [], Links = [], IatiActivityId = null,
                Focus = full.Focus.Count == 2 && full.Focus[0] == Focus.National && full.Focus[1] == Focus.International ? Both
                    : full.Focus.Count == 1 ? full.Focus[0] == Focus.National ? NationalOnly : InternationalOnly : full.Focus.ToArray(),
                CountryCodes = Codes(full.CountryCodes), RegionCodes = Codes(full.RegionCodes),
                // Summed results need only their numbers; listed ones keep text and comment for their table.
                IndicatorResults = full.IndicatorResults.Select(r => _summable(r.Indicator)
                    ? r with { Indicator = Code(r.Indicator), Text = null, Comment = null }
                    : r with { Indicator = Code(r.Indicator) }).ToArray(),
            };
            Slots()[compact] = slot;
            return compact;
        }
    }

    /// <summary>Stores the quote; returns a copy without its text.</summary>
    public Quote Quote(Quote full)
    {
        var slot = Append(w => WriteQuote(w, full));
        var compact = full with { Text = "" };
        lock (_gate) Slots()[compact] = slot;
        return compact;
    }

    /// <summary>The full contributions behind these compact copies, in this order, read from the file when enumerated.</summary>
    public IReadOnlyList<ContributionLine> Contributions(IReadOnlyList<ContributionLine> compact) => new SpilledList<ContributionLine>(this, SlotsOf(compact), ReadContribution);

    public IReadOnlyList<Quote> Quotes(IReadOnlyList<Quote> compact) => new SpilledList<Quote>(this, SlotsOf(compact), ReadQuote);

    /// <summary>No more compact copies will be looked up: lets them go.</summary>
    public void Seal()
    {
        lock (_gate)
        {
            _slots = null;
            _codes.Clear();
        }
    }

    public void Dispose() => _file.Dispose();

    private string Code(string code)
    {
        if (_codes.TryGetValue(code, out var known)) return known;
        _codes[code] = code;
        return code;
    }

    private string[] Codes(IReadOnlyList<string> codes)
    {
        if (codes.Count == 0) return [];
        var result = new string[codes.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Code(codes[i]);
        return result;
    }

    private Dictionary<object, Slot> Slots() => _slots ?? throw new InvalidOperationException("The spill is sealed.");

    private Slot[] SlotsOf<T>(IReadOnlyList<T> compact) where T : notnull
    {
        lock (_gate)
        {
            var slots = Slots();
            var result = new Slot[compact.Count];
            for (var i = 0; i < compact.Count; i++) result[i] = slots[compact[i]];
            return result;
        }
    }

    private Slot Append(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream(1024);
        using (var w = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) write(w);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        lock (_gate)
        {
            var offset = _length;
            RandomAccess.Write(_file, bytes, offset);
            _length += bytes.Length;
            return new Slot(offset, bytes.Length);
        }
    }

    /// <summary>Reads one record; positional reads need no lock, so the three writers read side by side.</summary>
    internal T Read<T>(Slot slot, Func<BinaryReader, T> read)
    {
        var bytes = new byte[slot.Length];
        var done = 0;
        while (done < bytes.Length)
        {
            var n = RandomAccess.Read(_file, bytes.AsSpan(done), slot.Offset + done);
            if (n == 0) throw new EndOfStreamException("The report spill file ended early.");
            done += n;
        }
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return read(r);
    }

    // ---- records as bytes: every field, decimals with their scale, so what is read back is what was stored ----

    private static void WriteContribution(BinaryWriter w, ContributionLine c)
    {
        w.Write(c.Id); w.Write(c.Goal); w.Write(c.SignatoryId); w.Write(c.Organisation); w.Write((int)c.SignatoryKind); w.Write(c.Position);
        w.Write(c.Title); Nullable(w, c.Description);
        w.Write(c.Focus.Count); foreach (var f in c.Focus) w.Write((int)f);
        Strings(w, c.CountryCodes); Strings(w, c.RegionCodes); Strings(w, c.Outcomes);
        w.Write(c.IndicatorResults.Count);
        foreach (var r in c.IndicatorResults)
        {
            w.Write(r.Indicator); Nullable(w, r.IndicatorTitle); Nullable(w, r.Value); Nullable(w, r.Text); Nullable(w, r.Unit); Nullable(w, r.Target); Nullable(w, r.Comment);
            Source(w, r.Source);
        }
        Nullable(w, c.BudgetSpentEur); Strings(w, c.Partners); Strings(w, c.Links); Source(w, c.Source); Nullable(w, c.IatiActivityId);
    }

    private static ContributionLine ReadContribution(BinaryReader r)
    {
        var id = r.ReadString(); var goal = r.ReadString(); var signatoryId = r.ReadString(); var organisation = r.ReadString();
        var kind = (SignatoryKind)r.ReadInt32(); var position = r.ReadInt32();
        var title = r.ReadString(); var description = NullableString(r);
        var focus = new Focus[r.ReadInt32()];
        for (var i = 0; i < focus.Length; i++) focus[i] = (Focus)r.ReadInt32();
        var countries = Strings(r); var regions = Strings(r); var outcomes = Strings(r);
        var results = new ReportedResult[r.ReadInt32()];
        for (var i = 0; i < results.Length; i++)
            results[i] = new ReportedResult(r.ReadString(), NullableString(r), NullableDecimal(r), NullableString(r), NullableString(r), NullableDecimal(r), NullableString(r), Source(r));
        var budget = NullableDecimal(r); var partners = Strings(r); var links = Strings(r); var source = Source(r); var iati = NullableString(r);
        return new ContributionLine(id, goal, signatoryId, organisation, kind, position, title, description, focus, countries, regions, outcomes, results, budget, partners, links, source)
        {
            IatiActivityId = iati,
        };
    }

    private static void WriteQuote(BinaryWriter w, Quote q)
    {
        w.Write(q.SignatoryId); w.Write(q.Organisation); w.Write(q.Text); Source(w, q.Source);
    }

    private static Quote ReadQuote(BinaryReader r) => new(r.ReadString(), r.ReadString(), r.ReadString(), Source(r));

    private static void Source(BinaryWriter w, SourceRef s)
    {
        w.Write(s.SubmissionId); w.Write(s.Version); w.Write(s.KeyedHash);
    }

    private static SourceRef Source(BinaryReader r) => new(r.ReadString(), r.ReadInt32(), r.ReadString());

    private static void Strings(BinaryWriter w, IReadOnlyList<string> values)
    {
        w.Write(values.Count);
        foreach (var v in values) w.Write(v);
    }

    private static string[] Strings(BinaryReader r)
    {
        var values = new string[r.ReadInt32()];
        for (var i = 0; i < values.Length; i++) values[i] = r.ReadString();
        return values;
    }

    private static void Nullable(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null) w.Write(value);
    }

    private static void Nullable(BinaryWriter w, decimal? value)
    {
        w.Write(value is not null);
        if (value is { } v) w.Write(v);
    }

    private static string? NullableString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static decimal? NullableDecimal(BinaryReader r) => r.ReadBoolean() ? r.ReadDecimal() : null;

    /// <summary>A list whose items live in the spill file: each is read when it is asked for, none is kept.</summary>
    private sealed class SpilledList<T>(ReportSpill spill, Slot[] slots, Func<BinaryReader, T> read) : IReadOnlyList<T>
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
