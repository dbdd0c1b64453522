using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nap.Submissions;

/// <summary>
/// A received body cut into what may be stored where:
/// <list type="bullet">
/// <item>the public part, the only one the report compiler reads: the body without the contact person, each
/// confidential contribution and narrative replaced by the placeholder <c>{"withheld":true}</c> (positions stay, so
/// derived ids, order and the report's "withheld" counts do not change);</item>
/// <item>the confidential part (null when nothing is confidential): the replaced contributions and narratives by goal
/// and position, stored encrypted in its own container;</item>
/// <item>the contact person, stored as a row apart so it can be erased without touching a hashed blob.</item>
/// </list>
/// Each stored part carries its own SHA-256; the receipt keeps the one of the bytes the signatory sent.
/// </summary>
public sealed record SubmissionParts(byte[] Public, byte[]? Confidential, ContactPerson? Contact)
{
    public const string WithheldMember = "withheld";

    public string PublicSha256 => Hash(Public);
    public string? ConfidentialSha256 => Confidential is null ? null : Hash(Confidential);

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Splits a body the parser accepted. Deterministic: the same bytes give the same parts.</summary>
    public static SubmissionParts Split(ReadOnlyMemory<byte> body)
    {
        var root = JsonNode.Parse(body.Span, documentOptions: SubmissionParser.DocumentOptions)!.AsObject();
        ContactPerson? contact = null;
        if (root["contact"] is JsonObject c && c["name"]?.GetValue<string>() is { } name && c["email"]?.GetValue<string>() is { } email)
            contact = new ContactPerson(name, email);
        root.Remove("contact");

        var confidentialGoals = new JsonObject();
        if (root["goals"] is JsonObject goals)
        {
            foreach (var (goal, report) in goals)
            {
                if (report is not JsonObject r) continue;
                var part = new JsonObject();
                if (r["contributions"] is JsonArray list)
                {
                    var taken = new JsonObject();
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is not JsonObject item || !IsConfidential(item)) continue;
                        taken[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = item.DeepClone();
                        list[i] = new JsonObject { [WithheldMember] = true };
                    }
                    if (taken.Count > 0) part["contributions"] = taken;
                }
                if (r["narratives"] is JsonObject narratives)
                {
                    var taken = new JsonObject();
                    foreach (var kind in narratives.Select(n => n.Key).ToList())
                    {
                        if (narratives[kind] is not JsonObject n || !IsConfidential(n)) continue;
                        taken[kind] = n.DeepClone();
                        narratives[kind] = new JsonObject { [WithheldMember] = true };
                    }
                    if (taken.Count > 0) part["narratives"] = taken;
                }
                if (part.Count > 0) confidentialGoals[goal] = part;
            }
        }
        var confidential = confidentialGoals.Count == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["goals"] = confidentialGoals }, Compact);
        return new SubmissionParts(JsonSerializer.SerializeToUtf8Bytes(root, Compact), confidential, contact);
    }

    private static bool IsConfidential(JsonObject item) =>
        item["confidential"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>
    /// The submission as the signatory sent it (same content, not necessarily the same bytes): the public part with the
    /// confidential items put back and the contact in front. Without a contact (erased) the body has none.
    /// </summary>
    public static JsonObject Reassemble(ReadOnlyMemory<byte> publicPart, ReadOnlyMemory<byte>? confidentialPart, ContactPerson? contact)
    {
        var body = JsonNode.Parse(publicPart.Span, documentOptions: SubmissionParser.DocumentOptions)!.AsObject();
        if (confidentialPart is { } cp && JsonNode.Parse(cp.Span)?["goals"] is JsonObject parts && body["goals"] is JsonObject goals)
        {
            foreach (var (goal, part) in parts)
            {
                if (goals[goal] is not JsonObject report || part is null) continue;
                if (part["contributions"] is JsonObject taken && report["contributions"] is JsonArray list)
                    foreach (var (position, item) in taken)
                        if (int.TryParse(position, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < list.Count)
                            list[i] = item?.DeepClone();
                if (part["narratives"] is JsonObject narratives && report["narratives"] is JsonObject target)
                    foreach (var (kind, item) in narratives)
                        target[kind] = item?.DeepClone();
            }
        }
        var result = new JsonObject();
        if (contact is not null) result["contact"] = new JsonObject { ["name"] = contact.Name, ["email"] = contact.Email };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            result[key] = value;
        }
        return result;
    }
}

/// <summary>
/// Puts a stored version back together for those allowed to see all of it (the signatory; staff with
/// Nap.Confidential): public part, decrypted confidential part and contact, each checked against its own hash.
/// </summary>
public sealed class SubmissionPartsReader(ISubmissionContentStore contents, IConfidentialPartStore confidential, ISubmissionContactStore contacts)
{
    public async Task<BinaryData> ReadAsync(SubmissionVersion version, CancellationToken cancellationToken = default)
    {
        var stored = await contents.GetAsync(version.BlobName, cancellationToken).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("An indexed submission body is missing from Blob Storage.");
        if (SubmissionParts.Hash(stored.ToMemory().Span) != version.StoredSha256)
            throw new InvalidOperationException("A stored submission part does not match its SHA-256.");
        if (!version.IsSplit) return stored; // stored before the split: the body as received
        ReadOnlyMemory<byte>? part = null;
        if (version.ConfidentialSha256 is { } expected)
        {
            var bytes = await confidential.GetAsync(version.BlobName, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("An indexed confidential part is missing from Blob Storage.");
            if (SubmissionParts.Hash(bytes) != expected) throw new InvalidOperationException("A stored confidential part does not match its SHA-256.");
            part = bytes;
        }
        var r = version.Receipt;
        var contact = await contacts.GetAsync(r.CycleId, r.SignatoryId, r.Sha256, cancellationToken).ConfigureAwait(false);
        return BinaryData.FromBytes(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(SubmissionParts.Reassemble(stored.ToMemory(), part, contact)));
    }

    /// <summary>
    /// A stored version for those who may not see its confidential parts (staff without Nap.Confidential): the public
    /// part with its contact, each confidential item still the placeholder <c>{"withheld":true}</c>. The confidential
    /// blob is never read; a version stored before the split is split here, in memory, the same way intake does.
    /// </summary>
    public async Task<JsonObject> ReadPublicAsync(SubmissionVersion version, CancellationToken cancellationToken = default)
    {
        var stored = await contents.GetAsync(version.BlobName, cancellationToken).ConfigureAwait(false)
                     ?? throw new InvalidOperationException("An indexed submission body is missing from Blob Storage.");
        if (SubmissionParts.Hash(stored.ToMemory().Span) != version.StoredSha256)
            throw new InvalidOperationException("A stored submission part does not match its SHA-256.");
        if (!version.IsSplit)
        {
            var parts = SubmissionParts.Split(stored.ToMemory());
            return SubmissionParts.Reassemble(parts.Public, null, parts.Contact);
        }
        var r = version.Receipt;
        var contact = await contacts.GetAsync(r.CycleId, r.SignatoryId, r.Sha256, cancellationToken).ConfigureAwait(false);
        return SubmissionParts.Reassemble(stored.ToMemory(), null, contact);
    }
}
