using ScottPlot;
using SkiaSharp;

namespace Nap.Reports;

/// <summary>
/// The bar chart of contributions per strategic goal and focus, as PNG. All text is drawn with the font shipped in
/// the assembly (DejaVu Sans), never a system font, so the image is the same on every machine.
/// </summary>
public static class ReportChart
{
    public const int Width = 1400;
    public const int Height = 700;
    private const string FontName = "NapReportSans";
    private static readonly Lock Gate = new();
    private static bool _fontRegistered;

    private static readonly Color National = Color.FromHex("#154273");      // Rijksoverheid dark blue
    private static readonly Color International = Color.FromHex("#E17000"); // Rijksoverheid orange

    public static byte[] RenderPng(CompiledReport report)
    {
        // ScottPlot keeps fonts in process-wide state; rendering one chart at a time keeps that state simple.
        lock (Gate)
        {
            EnsureFont();
            var language = ReportLanguage.For(report.Language);
            var plot = new Plot();
            plot.Font.Set(FontName);

            var bars = new List<Bar>();
            var ticks = new List<Tick>();
            var max = 0d;
            for (var i = 0; i < report.Goals.Count; i++)
            {
                var goal = report.Goals[i];
                var x = i * 3d;
                bars.Add(Bar(x, goal.National.Contributions, National, language));
                bars.Add(Bar(x + 1, goal.International.Contributions, International, language));
                max = Math.Max(max, Math.Max(goal.National.Contributions, goal.International.Contributions));
                ticks.Add(new Tick(x + 0.5, $"{goal.Code}\n{Wrap(goal.Title)}"));
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.ValueLabelStyle.FontName = FontName;
            barPlot.ValueLabelStyle.FontSize = 22;

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.Bottom.TickLabelStyle.FontName = FontName;
            plot.Axes.Bottom.TickLabelStyle.FontSize = 21;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                LabelFormatter = v => language.Number((int)Math.Round(v)),
            };
            plot.Axes.Left.TickLabelStyle.FontName = FontName;
            plot.Axes.Left.TickLabelStyle.FontSize = 21;
            plot.Axes.Left.Label.Text = language.T("Aantal bijdragen", "Number of contributions");
            plot.Axes.Left.Label.FontName = FontName;
            plot.Axes.Left.Label.FontSize = 22;
            plot.Axes.Title.Label.Text = language.T("Bijdragen per strategisch doel en focus", "Contributions per strategic goal and focus");
            plot.Axes.Title.Label.FontName = FontName;
            plot.Axes.Title.Label.FontSize = 26;
            plot.Axes.SetLimits(-1, report.Goals.Count * 3 - 1, 0, Math.Max(1, max * 1.15));

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = language.T("Nationaal", "National"), FillColor = National });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = language.T("Internationaal", "International"), FillColor = International });
            plot.Legend.FontName = FontName;
            plot.Legend.FontSize = 21;
            plot.Legend.Alignment = Alignment.UpperRight;
            plot.ShowLegend();
            plot.Grid.XAxisStyle.IsVisible = false;

            return plot.GetImageBytes(Width, Height, ImageFormat.Png);
        }
    }

    public const int YearsHeight = 600;

    /// <summary>A colour per reporting year, oldest first (Rijksoverheid palette); repeats after eight years.</summary>
    private static readonly Color[] YearColors =
        new[] { "#8FCAE7", "#01689B", "#154273", "#39870C", "#E17000", "#A90061", "#FFB612", "#673327" }.Select(Color.FromHex).ToArray();

    /// <summary>
    /// One goal's summable indicators over the plan's years: per indicator a group of bars, one per year (none where the
    /// year reported nothing), labelled with the sum.
    /// </summary>
    public static byte[] RenderYearsPng(GoalYears goal, IReadOnlyList<string> cycles, ReportLanguage language)
    {
        lock (Gate)
        {
            EnsureFont();
            var plot = new Plot();
            plot.Font.Set(FontName);
            var bars = new List<Bar>();
            var ticks = new List<Tick>();
            var group = cycles.Count + 1;
            var max = 0d;
            for (var i = 0; i < goal.Indicators.Count; i++)
            {
                var indicator = goal.Indicators[i];
                for (var y = 0; y < indicator.Cycles.Count; y++)
                {
                    if (indicator.Cycles[y].Sum.Sum is not { } sum) continue;
                    var value = (double)sum;
                    bars.Add(new Bar
                    {
                        Position = i * group + y,
                        Value = value,
                        FillColor = YearColors[y % YearColors.Length],
                        LineWidth = 0,
                        Label = language.Number(sum),
                    });
                    max = Math.Max(max, value);
                }
                ticks.Add(new Tick(i * group + (cycles.Count - 1) / 2d, indicator.Code));
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.ValueLabelStyle.FontName = FontName;
            barPlot.ValueLabelStyle.FontSize = 18;

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
            plot.Axes.Bottom.MajorTickStyle.Length = 0;
            plot.Axes.Bottom.TickLabelStyle.FontName = FontName;
            plot.Axes.Bottom.TickLabelStyle.FontSize = 21;
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => language.Number((decimal)v) };
            plot.Axes.Left.TickLabelStyle.FontName = FontName;
            plot.Axes.Left.TickLabelStyle.FontSize = 21;
            plot.Axes.Left.Label.Text = language.T("Opgeteld resultaat", "Summed result");
            plot.Axes.Left.Label.FontName = FontName;
            plot.Axes.Left.Label.FontSize = 22;
            plot.Axes.Title.Label.Text = language.T($"{goal.Code}: opgetelde indicatorresultaten per rapportagejaar", $"{goal.Code}: summed indicator results per reporting year");
            plot.Axes.Title.Label.FontName = FontName;
            plot.Axes.Title.Label.FontSize = 26;
            plot.Axes.SetLimits(-1, goal.Indicators.Count * group - 1, 0, Math.Max(1, max * 1.15));

            for (var y = 0; y < cycles.Count; y++)
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = cycles[y], FillColor = YearColors[y % YearColors.Length] });
            plot.Legend.FontName = FontName;
            plot.Legend.FontSize = 21;
            plot.Legend.Alignment = Alignment.UpperRight;
            plot.ShowLegend();
            plot.Grid.XAxisStyle.IsVisible = false;

            return plot.GetImageBytes(Width, YearsHeight, ImageFormat.Png);
        }
    }

    private static Bar Bar(double position, int value, Color color, ReportLanguage language) => new()
    {
        Position = position,
        Value = value,
        FillColor = color,
        LineWidth = 0,
        Label = language.Number(value),
    };

    /// <summary>Long goal titles on two lines under their bars.</summary>
    private static string Wrap(string title)
    {
        if (title.Length <= 18) return title;
        var cut = title.LastIndexOf(' ', Math.Min(title.Length - 1, title.Length / 2 + 6));
        return cut <= 0 ? title : title[..cut] + "\n" + title[(cut + 1)..];
    }

    private static void EnsureFont()
    {
        if (_fontRegistered) return;
        using var stream = typeof(ReportChart).Assembly.GetManifestResourceStream("Nap.Reports.Fonts.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The chart font is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var typeface = SKTypeface.FromData(SKData.CreateCopy(copy.ToArray()))
            ?? throw new InvalidOperationException("The chart font could not be loaded.");
        Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(typeface));
        Fonts.Default = FontName;
        _fontRegistered = true;
    }

    /// <summary>Answers for the shipped font's name, in every style; other names fall through to ScottPlot's resolvers.</summary>
    private sealed class EmbeddedFontResolver(SKTypeface typeface) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => fontName == FontName ? typeface : null;
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => fontName == FontName ? typeface : null;
    }
}
