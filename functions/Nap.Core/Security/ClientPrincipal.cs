using System.Text;
using System.Text.Json;
using Nap.Api;

namespace Nap.Security;

/// <summary>
/// Reads <c>X-MS-CLIENT-PRINCIPAL</c>, the base64 JSON that App Service Authentication injects after sign-in. Two shapes:
/// App Service's <c>{"auth_typ","claims":[{"typ","val"}],"name_typ","role_typ"}</c> and Static Web Apps'
/// <c>{"identityProvider","userId","userDetails","userRoles"}</c>. Anything else, or anything too large, is refused with 401.
/// </summary>
public static class ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    /// <summary>
    /// Well above a real principal (roles and a few dozen claims are 2–4 KB; Entra sends a groups overage claim instead of
    /// long group lists) and below the front ends' own header limits (Kestrel: 32 KB for all headers together).
    /// </summary>
    public const int MaxHeaderLength = 16 * 1024;

    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string DefaultRoleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>The staff member in the header, or a 401 problem.</summary>
    public static StaffMember Parse(string header)
    {
        if (header.Length is 0 or > MaxHeaderLength) throw Refused();
        byte[] bytes;
        try { bytes = Convert.FromBase64String(header.Trim()); }
        catch (FormatException) { throw Refused(); }
        try
        {
            using var doc = JsonDocument.Parse(bytes, Options);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Refused();
            return root.TryGetProperty("claims", out _) ? FromAppService(root) : FromStaticWebApps(root);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or DecoderFallbackException)
        {
            throw Refused();
        }
    }

    private static StaffMember FromAppService(JsonElement root)
    {
        var roleType = Text(root, "role_typ") ?? DefaultRoleType;
        var nameType = Text(root, "name_typ");
        string? objectId = null, oid = null, name = null, typedName = null;
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in root.GetProperty("claims").EnumerateArray())
        {
            var type = Text(claim, "typ");
            var value = Text(claim, "val");
            if (type is null || value is null) throw Refused();
            if (type == "roles" || type == roleType) roles.Add(value);
            else if (type == ObjectIdClaim) objectId = value;
            else if (type == "oid") oid = value;
            else if (type == "name") name = value;
            if (nameType is not null && type == nameType) typedName = value;
        }
        return Member(objectId ?? oid, name ?? typedName, roles, Text(root, "auth_typ") ?? "aad");
    }

    private static StaffMember FromStaticWebApps(JsonElement root)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("userRoles", out var list))
            foreach (var role in list.EnumerateArray())
                roles.Add(role.GetString() ?? throw Refused());
        // "anonymous" and "authenticated" are Static Web Apps' built-in roles, not app roles.
        roles.Remove("anonymous");
        roles.Remove("authenticated");
        return Member(Text(root, "userId"), Text(root, "userDetails"), roles, Text(root, "identityProvider") ?? "aad");
    }

    private static StaffMember Member(string? objectId, string? name, HashSet<string> roles, string provider)
    {
        if (string.IsNullOrWhiteSpace(objectId) || objectId.Length > 128) throw Refused();
        return new StaffMember(objectId, string.IsNullOrWhiteSpace(name) ? objectId : name, roles, provider);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v)
            ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Null => null, _ => throw Refused() }
            : null;

    private static ProblemException Refused() => new(StaffProblems.BadPrincipal());

    /// <summary>The header for a staff member, in App Service's shape: what the dev host and tests inject.</summary>
    public static string Encode(string objectId, string name, IEnumerable<string> roles)
    {
        var claims = new List<object>
        {
            new { typ = ObjectIdClaim, val = objectId },
            new { typ = "name", val = name },
        };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.SerializeToUtf8Bytes(new { auth_typ = "aad", claims, name_typ = "name", role_typ = "roles" });
        return Convert.ToBase64String(json);
    }
}
