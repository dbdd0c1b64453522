namespace Nap.Security;

/// <summary>
/// The app roles of the Entra ID app registration, assigned to people or groups in the ministry's tenant. The values are
/// the role claims Easy Auth passes on; infra/hooks/entra-app.sh creates them with these exact values.
/// </summary>
public static class StaffRoles
{
    /// <summary>Reads cycle status, review states, reports and the reminder ledger.</summary>
    public const string Reader = "Nap.Reader";
    /// <summary>Everything a reader may, plus pausing reminders, extending deadlines, review actions, requesting reports.</summary>
    public const string Coordinator = "Nap.Coordinator";
    /// <summary>Registry, cycles, keys and the audit log.</summary>
    public const string Admin = "Nap.Admin";
    /// <summary>May see the confidential parts of submissions; without it they are never sent to a staff client.</summary>
    public const string Confidential = "Nap.Confidential";

    public static readonly IReadOnlyList<string> All = [Reader, Coordinator, Admin, Confidential];

    /// <summary>The roles that satisfy a required role: a coordinator may do what a reader may.</summary>
    public static IReadOnlyList<string> Satisfying(string required) => required switch
    {
        Reader => [Reader, Coordinator],
        _ => [required],
    };
}
