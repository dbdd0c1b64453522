using System.Text.Json;
using System.Xml;
using Nap.Submissions;

namespace Nap.Reports;

/// <summary>
/// Whether a stored body's text can be written into the report's files. The DOCX is XML 1.0, which has no way to
/// write U+FFFE, U+FFFF, an unpaired surrogate or a control character other than tab, line feed and carriage return:
/// one such character would make the writer throw for the whole cycle. The compiler checks every string of a body
/// (names and values, the way they read once unescaped) before taking it, and quarantines the body instead.
/// </summary>
public static class ReportableText
{
    /// <summary>True when every character of <paramref name="text"/> can be written into XML 1.0.</summary>
    public static bool IsWritable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return false;
            }
            if (!XmlConvert.IsXmlChar(c)) return false; // also every lone low surrogate
        }
        return true;
    }

    /// <summary>
    /// True when the JSON body parses and all its strings are writable. A string whose escapes do not decode (an
    /// unpaired <c>\uD800</c>) counts as not writable.
    /// </summary>
    public static bool IsWritableBody(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, SubmissionParser.DocumentOptions);
            return IsWritable(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    private static bool IsWritable(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => IsWritable(element.GetString()!),
        JsonValueKind.Array => element.EnumerateArray().All(IsWritable),
        JsonValueKind.Object => element.EnumerateObject().All(p => IsWritable(p.Name) && IsWritable(p.Value)),
        _ => true,
    };
}
