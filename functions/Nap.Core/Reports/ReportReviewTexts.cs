using Nap.Cycles;

namespace Nap.Reports;

/// <summary>
/// The sentences of the annex about which versions it uses and where signatories stand in review, and about withheld
/// confidential items. Kept apart from the DOCX writer so the writer only places them.
/// </summary>
public static class ReportReviewTexts
{
    /// <summary>The title page's note on a draft: it uses the latest versions, reviewed or not.</summary>
    public static string DraftVersionsNotice(CompiledReport report, ReportLanguage l) =>
        report.Review.FinalUses == ReportVersionPolicy.Accepted
            ? l.T("Dit concept gebruikt van elke ondertekenaar de laatst ingediende versie, ook als die nog niet is beoordeeld; de definitieve bijlage gebruikt de laatst geaccepteerde versie.",
                "This draft uses the latest submitted version of each signatory, reviewed or not; the final annex uses the latest accepted version.")
            : l.T("Dit concept gebruikt van elke ondertekenaar de laatst ingediende versie, ook als die nog niet is beoordeeld.",
                "This draft uses the latest submitted version of each signatory, reviewed or not.");

    /// <summary>Which version of each signatory the annex is compiled from (the signatories and provenance chapters).</summary>
    public static string VersionsUsed(CompiledReport report, ReportLanguage l) =>
        report.Kind == ReportKind.Final && report.Review.VersionsUsed == ReportVersionPolicy.Accepted
            ? l.T("de laatst geaccepteerde versie", "the latest accepted version")
            : l.T("de laatst ingediende versie", "the latest submitted version");

    /// <summary>The data-quality chapter's paragraphs on review: who waits, who was returned, who is left out or in with an older version.</summary>
    public static IEnumerable<string> DataQuality(CompiledReport report, ReportLanguage l)
    {
        var r = report.Review;
        string Names(IReadOnlyList<ReviewListing> list, bool withUsed = false) => l.List(list.Select(x =>
            $"{x.Organisation} ({l.T("versie", "version")} {l.Number(withUsed && x.UsedVersion is { } u ? u : x.LatestVersion)})").ToList());

        if (report.Kind == ReportKind.Final && r.VersionsUsed == ReportVersionPolicy.Accepted)
        {
            yield return l.T("Deze bijlage gebruikt van elke ondertekenaar de laatst geaccepteerde versie van de rapportage.",
                "This annex uses the latest accepted version of each signatory's report.");
            if (r.LeftOut.Count > 0)
                yield return l.T($"Niet opgenomen omdat (nog) geen versie is geaccepteerd: {Names(r.LeftOut)}.",
                    $"Left out because no version has been accepted (yet): {Names(r.LeftOut)}.");
            if (r.OlderAcceptedVersionUsed.Count > 0)
                yield return l.T($"Opgenomen met een eerder geaccepteerde versie terwijl een nieuwere op beoordeling wacht: {Names(r.OlderAcceptedVersionUsed, withUsed: true)}.",
                    $"Included with an earlier accepted version while a newer one waits for review: {Names(r.OlderAcceptedVersionUsed, withUsed: true)}.");
        }
        else if (report.Kind == ReportKind.Final)
            yield return l.T("Deze bijlage gebruikt van elke ondertekenaar de laatst ingediende versie, ook als die nog niet is geaccepteerd.",
                "This annex uses the latest submitted version of each signatory, accepted or not.");
        else
            yield return DraftVersionsNotice(report, l);

        if (r.PendingReview.Count > 0)
            yield return l.T($"Wacht op beoordeling: {Names(r.PendingReview)}.", $"Waiting for review: {Names(r.PendingReview)}.");
        if (r.Returned.Count > 0)
            yield return l.T($"Teruggestuurd voor aanpassing: {Names(r.Returned)}.", $"Returned for revision: {Names(r.Returned)}.");
    }

    /// <summary>
    /// What the annex says about confidential items: a final gives totals only; a draft no count at all, so two
    /// successive drafts cannot pin a withheld item on the organisation whose submission came in between.
    /// </summary>
    public static string Withheld(CompiledReport report, ReportLanguage l)
    {
        var q = report.DataQuality;
        if (q.WithheldConfidentialContributions is not { } wc || q.WithheldConfidentialNarratives is not { } wn)
            return l.T("Bijdragen en teksten die ondertekenaars als vertrouwelijk hebben gemarkeerd, zijn niet opgenomen, ook niet in de cijfers. Hoeveel het er zijn, staat alleen in de definitieve bijlage.",
                "Contributions and texts the signatories marked confidential are not included, not even in the figures. How many there are is given in the final annex only.");
        return wc + wn == 0
            ? l.T("Geen bijdragen of teksten zijn als vertrouwelijk gemarkeerd.", "No contributions or texts were marked confidential.")
            : l.T($"Op verzoek van de ondertekenaars {(wc + wn == 1 ? "is" : "zijn")} {l.Count(wc, "vertrouwelijke bijdrage", "vertrouwelijke bijdragen", "", "")} en " +
                  $"{l.Count(wn, "vertrouwelijke tekst", "vertrouwelijke teksten", "", "")} niet opgenomen, ook niet in de cijfers.",
                  $"At the signatories' request, {l.Count(wc, "", "", "confidential contribution", "confidential contributions")} and " +
                  $"{l.Count(wn, "", "", "confidential text", "confidential texts")} are not included, not even in the figures.");
    }
}
