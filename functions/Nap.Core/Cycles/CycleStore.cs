using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Nap.Api;
using Nap.Storage;

namespace Nap.Cycles;

public interface ICycleStore
{
    Task<IReadOnlyList<ReportingCycle>> ListAsync(CancellationToken cancellationToken = default);
    Task<ReportingCycle?> FindAsync(string id, CancellationToken cancellationToken = default);
    Task UpsertAsync(ReportingCycle cycle, CancellationToken cancellationToken = default);

    /// <summary>One cycle straight from storage (not the cache) with its storage ETag, for a conditional change.</summary>
    Task<(ReportingCycle Cycle, string ETag)?> FindStoredAsync(string id, CancellationToken cancellationToken = default);
    /// <summary>Stores a new cycle; false when one with its id exists.</summary>
    Task<bool> AddAsync(ReportingCycle cycle, CancellationToken cancellationToken = default);
    /// <summary>Replaces the cycle if nobody changed it since <paramref name="etag"/> was read; false otherwise (412 or gone).</summary>
    Task<bool> ReplaceAsync(ReportingCycle cycle, string etag, CancellationToken cancellationToken = default);

    Task<CycleSignatorySettings?> FindSettingsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<CycleSignatorySettings>> ListSettingsAsync(string cycleId, CancellationToken cancellationToken = default);
    Task SaveSettingsAsync(CycleSignatorySettings settings, CancellationToken cancellationToken = default);
}

/// <summary>Cycles (one row each) and per-signatory cycle settings in Table Storage; cycles cached like the registry.</summary>
public sealed class TableCycleStore(NapStorage storage, TimeProvider time, NapOptions options) : ICycleStore
{
    private const string Partition = "cycle";
    private (DateTimeOffset At, IReadOnlyList<ReportingCycle> Cycles)? _cache;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, Dictionary<string, CycleSignatorySettings> BySignatory)> _settings = new();

    public async Task<IReadOnlyList<ReportingCycle>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache is { } c && now - c.At < options.RegistryCacheDuration) return c.Cycles;
        var table = await storage.TableAsync(StorageNames.CyclesTable, cancellationToken).ConfigureAwait(false);
        var list = new List<ReportingCycle>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == Partition, cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(FromEntity(e));
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        _cache = (now, list);
        return list;
    }

    public async Task<ReportingCycle?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Id == id);

    public async Task UpsertAsync(ReportingCycle cycle, CancellationToken cancellationToken = default)
    {
        var problems = cycle.Problems();
        if (problems.Count > 0) throw new ConfigurationFileException($"cycle {cycle.Id}", problems);
        var table = await storage.TableAsync(StorageNames.CyclesTable, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(ToEntity(cycle), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        _cache = null;
    }

    public async Task<(ReportingCycle Cycle, string ETag)?> FindStoredAsync(string id, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.CyclesTable, cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return found.HasValue ? (FromEntity(found.Value!), found.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> AddAsync(ReportingCycle cycle, CancellationToken cancellationToken = default)
    {
        var problems = cycle.Problems();
        if (problems.Count > 0) throw new ConfigurationFileException($"cycle {cycle.Id}", problems);
        var table = await storage.TableAsync(StorageNames.CyclesTable, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToEntity(cycle), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
        _cache = null;
        return true;
    }

    public async Task<bool> ReplaceAsync(ReportingCycle cycle, string etag, CancellationToken cancellationToken = default)
    {
        var problems = cycle.Problems();
        if (problems.Count > 0) throw new ConfigurationFileException($"cycle {cycle.Id}", problems);
        var table = await storage.TableAsync(StorageNames.CyclesTable, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.UpdateEntityAsync(ToEntity(cycle), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
        _cache = null;
        return true;
    }

    /// <summary>Read on every submission, so a cycle's few settings rows are cached like the registry.</summary>
    public async Task<CycleSignatorySettings?> FindSettingsAsync(string cycleId, string signatoryId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!_settings.TryGetValue(cycleId, out var cached) || now - cached.At >= options.RegistryCacheDuration)
        {
            cached = (now, (await ListSettingsAsync(cycleId, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.SignatoryId));
            _settings[cycleId] = cached;
        }
        return cached.BySignatory.GetValueOrDefault(signatoryId);
    }

    public async Task<IReadOnlyList<CycleSignatorySettings>> ListSettingsAsync(string cycleId, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.CycleSignatorySettingsTable, cancellationToken).ConfigureAwait(false);
        var list = new List<CycleSignatorySettings>();
        await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == cycleId, cancellationToken: cancellationToken).ConfigureAwait(false))
            list.Add(SettingsFromEntity(e));
        return list;
    }

    public async Task SaveSettingsAsync(CycleSignatorySettings settings, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(StorageNames.CycleSignatorySettingsTable, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(settings.CycleId, settings.SignatoryId)
        {
            ["ExtendedDeadline"] = settings.ExtendedDeadline?.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["RemindersPaused"] = settings.RemindersPaused,
            ["ChangedBy"] = settings.ChangedBy,
            ["ChangedAt"] = settings.ChangedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        _settings.TryRemove(settings.CycleId, out _);
    }

    private static CycleSignatorySettings SettingsFromEntity(TableEntity e) => new(
        e.PartitionKey,
        e.RowKey,
        e.GetString("ExtendedDeadline") is { Length: > 0 } d ? DateTime.ParseExact(d, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : null,
        e.GetBoolean("RemindersPaused") ?? false,
        e.GetString("ChangedBy") ?? "",
        e.GetDateTimeOffset("ChangedAt") ?? DateTimeOffset.MinValue);

    private static TableEntity ToEntity(ReportingCycle c) => new(Partition, c.Id)
    {
        ["Json"] = JsonSerializer.Serialize(CycleFile.From(c), NapJson.Options),
        ["Status"] = c.Status.ToString(),
    };

    private static ReportingCycle FromEntity(TableEntity e) =>
        JsonSerializer.Deserialize<CycleFile>(e.GetString("Json"), NapJson.Options)!.ToCycle();
}

/// <summary>The file and wire form of a cycle (dates as ISO strings, deadline as Amsterdam local "yyyy-MM-ddTHH:mm").</summary>
public sealed record CycleFile(
    string Id,
    string PeriodStart,
    string PeriodEnd,
    string OpensOn,
    string Deadline,
    List<int>? ReminderOffsetsDays,
    List<int>? OverdueOffsetsDays,
    bool? AcceptLate,
    string? Status,
    string? ReportVersions = null)
{
    public static CycleFile From(ReportingCycle c) => new(
        c.Id,
        c.PeriodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.PeriodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.OpensOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        c.Deadline.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
        [.. c.ReminderOffsetsDays],
        [.. c.OverdueOffsetsDays],
        c.AcceptLate,
        c.Status.ToString().ToLowerInvariant(),
        PolicyName(c.ReportVersions));

    /// <summary>"accepted" or "latest", as cycles.json spells the setting.</summary>
    public static string PolicyName(ReportVersionPolicy policy) => policy == ReportVersionPolicy.Latest ? "latest" : "accepted";

    public static bool TryParseDate(string? s, out DateOnly date) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A deadline: Amsterdam wall-clock time, minutes (seconds tolerated).</summary>
    public static bool TryParseDeadline(string? s, out DateTime local) =>
        DateTime.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    public ReportingCycle ToCycle()
    {
        static DateOnly Date(string s, string what) =>
            TryParseDate(s, out var d) ? d : throw new FormatException($"{what} must be a date yyyy-MM-dd");
        var deadline = TryParseDeadline(Deadline, out var d)
            ? d : throw new FormatException("deadline must be Amsterdam local time yyyy-MM-ddTHH:mm");
        var status = (Status ?? "open") switch
        {
            "open" => CycleStatus.Open,
            "closed" => CycleStatus.Closed,
            "compiled" => CycleStatus.Compiled,
            _ => throw new FormatException("status must be open, closed or compiled"),
        };
        var reportVersions = (ReportVersions ?? "accepted") switch
        {
            "accepted" => ReportVersionPolicy.Accepted,
            "latest" => ReportVersionPolicy.Latest,
            _ => throw new FormatException("reportVersions must be accepted or latest"),
        };
        return new ReportingCycle(Id, Date(PeriodStart, "periodStart"), Date(PeriodEnd, "periodEnd"), Date(OpensOn, "opensOn"), deadline,
            ReminderOffsetsDays ?? [.. ReportingCycle.DefaultReminderOffsets], OverdueOffsetsDays ?? [.. ReportingCycle.DefaultOverdueOffsets],
            AcceptLate ?? true, status, reportVersions);
    }

    public static IReadOnlyList<ReportingCycle> LoadFile(string path)
    {
        var problems = new List<string>();
        var cycles = new List<ReportingCycle>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var list = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement : doc.RootElement.GetProperty("cycles");
            foreach (var (el, i) in list.EnumerateArray().Select((e, i) => (e, i)))
            {
                try
                {
                    var cycle = el.Deserialize<CycleFile>(NapJson.Options)!.ToCycle();
                    problems.AddRange(cycle.Problems());
                    cycles.Add(cycle);
                }
                catch (Exception ex) when (ex is FormatException or JsonException or ArgumentNullException)
                {
                    problems.Add($"cycles[{i}]: {ex.Message}");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or IOException or InvalidOperationException)
        {
            problems.Add("not a cycles file (an array, or an object with 'cycles')");
        }
        if (problems.Count > 0) throw new ConfigurationFileException(path, problems);
        return cycles;
    }
}
