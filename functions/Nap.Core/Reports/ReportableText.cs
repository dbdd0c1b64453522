using System.Buffers;
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
    public static bool IsWritable(string text) => IsWritable(text.AsSpan());

    /// <summary>True when every character of <paramref name="text"/> can be written into XML 1.0.</summary>
    public static bool IsWritable(ReadOnlySpan<char> text)
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
        // One forward pass, each string unescaped into one reused buffer: the compiler checks every body it takes.
        var reader = new Utf8JsonReader(body.Span, ReaderOptions);
        var buffer = ArrayPool<char>.Shared.Rent(256);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                // Unescaped, a string has at most as many UTF-16 characters as its JSON text has bytes.
                var length = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
                if (length > buffer.Length)
                {
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = ArrayPool<char>.Shared.Rent(length);
                }
                if (!IsWritable(buffer.AsSpan(0, reader.CopyString(buffer)))) return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = SubmissionParser.DocumentOptions.MaxDepth,
        AllowTrailingCommas = SubmissionParser.DocumentOptions.AllowTrailingCommas,
        CommentHandling = SubmissionParser.DocumentOptions.CommentHandling,
    };
}
