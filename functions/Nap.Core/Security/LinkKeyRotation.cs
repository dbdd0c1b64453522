using System.Globalization;
using Nap.Api;
using Nap.Keys;

namespace Nap.Security;

/// <summary>One version of the link key and what a rotation means for it.</summary>
/// <param name="KeepEnabledUntil">
/// The earliest moment disabling this version cannot refuse a link that is still valid: the moment it stopped signing
/// (plus the time instances take to notice, <see cref="KeyVaultLinkKeys.CurrentKeyRefresh"/>) plus the longest link
/// lifetime. Null for a disabled version, or when Key Vault does not say when the next version was created.
/// </param>
public sealed record LinkKeyVersionState(string Version, bool Enabled, DateTimeOffset? Created, bool Signing, DateTimeOffset? KeepEnabledUntil);

/// <summary>What a rotation of the link key does, or did: computed from Key Vault's versions, nothing changed by it.</summary>
/// <param name="NewVersion">The version the rotation created; null for a dry run.</param>
/// <param name="NewVersionSignsBy">New links are signed by the new version on every instance from this moment.</param>
/// <param name="PreviousKeepEnabledUntil">The version signing before the rotation must stay enabled until then.</param>
public sealed record LinkKeyRotationPlan(
    Uri Vault, string KeyName, DateTimeOffset Now, string SigningVersion, IReadOnlyList<LinkKeyVersionState> Versions,
    string? NewVersion, DateTimeOffset NewVersionSignsBy, DateTimeOffset PreviousKeepEnabledUntil, int MaxLifetimeDays);

/// <summary>
/// The rotation of the key that signs signatory links. A rotation creates a new key version in Key Vault; instances
/// sign new links with it once they look up the current version again (<see cref="KeyVaultLinkKeys.CurrentKeyRefresh"/>);
/// links signed by older versions stay valid because validation looks keys up by their <c>kid</c>, as long as those
/// versions are enabled. A version may be disabled once every link it signed has expired: no link lives longer than
/// <c>Tokens__MaxLifetimeDays</c> after its issue. <see cref="PlanAsync"/> only reads (the dry run).
/// </summary>
public sealed class LinkKeyRotation(IKeyVaultKeyRotation vault, TokenOptions options, TimeProvider time)
{
    /// <summary>The audit trail's action for a rotation made with nap-admin (Key Vault's own audit log has it too).</summary>
    public const string AuditAction = "link-key.rotate";

    /// <summary>The dry run: reads the key and its versions and says what a rotation would do. Changes nothing.</summary>
    public async Task<LinkKeyRotationPlan> PlanAsync(CancellationToken cancellationToken = default)
    {
        var current = await vault.GetKeyAsync(options.LinkKeyName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var versions = await vault.ListVersionsAsync(options.LinkKeyName, cancellationToken).ConfigureAwait(false);
        return Plan(VersionOf(current.KeyId), versions, newVersion: null);
    }

    /// <summary>Creates the new key version (Key Vault's rotate operation) and returns the plan as it now stands.</summary>
    public async Task<LinkKeyRotationPlan> RotateAsync(CancellationToken cancellationToken = default)
    {
        var before = await vault.GetKeyAsync(options.LinkKeyName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var created = await vault.RotateAsync(options.LinkKeyName, cancellationToken).ConfigureAwait(false);
        var versions = await vault.ListVersionsAsync(options.LinkKeyName, cancellationToken).ConfigureAwait(false);
        return Plan(VersionOf(before.KeyId), versions, VersionOf(created.KeyId));
    }

    private LinkKeyRotationPlan Plan(string signing, IReadOnlyList<KeyVaultKeyVersion> versions, string? newVersion)
    {
        var now = time.GetUtcNow();
        var lifetime = TimeSpan.FromDays(options.MaxLifetimeDays) + KeyVaultLinkKeys.CurrentKeyRefresh;
        // Newest first; a version stopped signing when the next one was created.
        var ordered = versions.OrderByDescending(v => v.Version == newVersion)
            .ThenByDescending(v => v.Created ?? DateTimeOffset.MaxValue).ThenBy(v => v.Version, StringComparer.Ordinal).ToList();
        var states = new List<LinkKeyVersionState>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var v = ordered[i];
            var stillSigning = v.Version == (newVersion ?? signing);
            DateTimeOffset? keep = null;
            if (v.Enabled && v.Version == signing && newVersion is null) keep = now + lifetime; // if it were rotated now
            else if (v.Enabled && !stillSigning)
            {
                var successor = ordered.Take(i).LastOrDefault();
                var stoppedAt = v.Version == signing ? now : successor?.Created;
                keep = stoppedAt + lifetime;
            }
            states.Add(new LinkKeyVersionState(v.Version, v.Enabled, v.Created, stillSigning, keep));
        }
        return new LinkKeyRotationPlan(vault.VaultUri, options.LinkKeyName, now, signing, states, newVersion,
            now + KeyVaultLinkKeys.CurrentKeyRefresh, now + lifetime, options.MaxLifetimeDays);
    }

    /// <summary>The plan as an operator reads it (Amsterdam time), with the Azure CLI commands of each step.</summary>
    public static IReadOnlyList<string> Describe(LinkKeyRotationPlan plan)
    {
        var vaultName = plan.Vault.Host.Split('.')[0];
        string At(DateTimeOffset t) => AmsterdamTime.FormatForPeople(t, "en") + " (Amsterdam time)";
        var refresh = ((int)KeyVaultLinkKeys.CurrentKeyRefresh.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>();
        var dryRun = plan.NewVersion is null;
        lines.Add(dryRun
            ? $"Dry run: nothing is changed. Key {plan.KeyName} in {plan.Vault.Host}; new links are signed now by version (kid) {plan.SigningVersion}."
            : $"Rotated key {plan.KeyName} in {plan.Vault.Host}: new version (kid) {plan.NewVersion}; version {plan.SigningVersion} signed until now.");
        lines.Add(dryRun ? "A rotation would:" : "What happens now:");
        lines.Add(dryRun
            ? $"  1. create a new version of {plan.KeyName} in Key Vault (POST /keys/{plan.KeyName}/rotate; Key Vault assigns its version, which becomes the new kid):"
            : $"  1. done: Key Vault created version {plan.NewVersion}.");
        if (dryRun) lines.Add($"       az keyvault key rotate --vault-name {vaultName} --name {plan.KeyName}   (or: nap-admin keys rotate)");
        lines.Add($"  2. new links are signed by {(dryRun ? "that new version" : plan.NewVersion)} on every instance within {refresh} minutes, by {At(plan.NewVersionSignsBy)};");
        lines.Add($"  3. links signed by {plan.SigningVersion} stay valid: validation finds every enabled version by its kid. A link lives at most"
                  + $" {plan.MaxLifetimeDays.ToString(CultureInfo.InvariantCulture)} days (Tokens__MaxLifetimeDays), so keep {plan.SigningVersion} enabled until {At(plan.PreviousKeepEnabledUntil)}, then disable it:");
        lines.Add($"       az keyvault key set-attributes --vault-name {vaultName} --name {plan.KeyName} --version {plan.SigningVersion} --enabled false");
        lines.Add("Versions:");
        foreach (var v in plan.Versions)
        {
            var created = v.Created is { } c ? "created " + At(c) : "created (unknown)";
            var state = (v.Enabled, v.Signing, v.KeepEnabledUntil) switch
            {
                (false, _, _) => "disabled: links it signed are refused",
                (true, true, _) => "signs new links",
                (true, false, { } until) when until <= plan.Now => "validates only; every link it signed has expired: may be disabled now",
                (true, false, { } until) => $"validates only; keep enabled until {At(until)}",
                (true, false, null) => "validates only; keep enabled (when it stopped signing is unknown)",
            };
            if (v.Enabled && v.Signing && dryRun && v.Version == plan.SigningVersion) state += $"; after a rotation: validates only, keep enabled until {At(plan.PreviousKeepEnabledUntil)}";
            lines.Add($"  {v.Version}  {created}  {state}");
        }
        return lines;
    }

    private static string VersionOf(string keyId) =>
        keyId.TrimEnd('/').Split('/')[^1] is { Length: 32 } v && v.All(char.IsAsciiHexDigit) ? v
            : throw new InvalidOperationException("Key Vault answered with a key id without a version.");
}
