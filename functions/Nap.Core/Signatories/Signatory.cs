using System.Text.Json.Serialization;

namespace Nap.Signatories;

public enum SignatoryKind { Ministry, CivilSocietyOrganisation, KnowledgeInstitution, Other }

public enum ContactRole { Primary, Secondary, Director }

/// <summary>A person at a signatory who reports or receives reminders. Personal data: never log.</summary>
public sealed record Contact(string Name, string Email, ContactRole Role);

/// <summary>An organisation that signed NAP-IV and reports on it every year.</summary>
public sealed record Signatory(
    string Id,
    string Name,
    SignatoryKind Kind,
    string Language,
    bool Active,
    IReadOnlyList<Contact> Contacts)
{
    /// <summary>Tokens issued before this instant are refused: how a signatory's links are revoked.</summary>
    [JsonIgnore]
    public DateTimeOffset? TokensValidFrom { get; init; }

    /// <summary>The HTTP entity tag of the stored row (<c>"…"</c>), for If-Match; null for one not read from storage.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    public IEnumerable<Contact> ContactsIn(params ContactRole[] roles) => Contacts.Where(c => roles.Contains(c.Role));
}
