using System.Globalization;
using System.Text.Json.Nodes;

namespace Nap.Infra.Tests;

/// <summary>
/// Reads the small block-style YAML subset azure.yaml uses (nested mappings, plain or quoted scalars,
/// block sequences of scalars, comments) into JSON, for schema validation without a YAML package.
/// Anything outside that subset (flow collections, anchors, multi-line scalars, tabs) is rejected, never guessed.
/// </summary>
internal static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static JsonNode Parse(string yaml)
    {
        var lines = new List<Line>();
        var number = 0;
        foreach (var raw in yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            if (raw.Contains('\t', StringComparison.Ordinal)) throw Error(number, "tabs are not supported");
            var text = StripComment(raw, number).TrimEnd();
            if (text.Trim().Length == 0) continue;
            if (text.Trim() is "---" or "...") throw Error(number, "multiple documents are not supported");
            lines.Add(new Line(number, text.Length - text.TrimStart().Length, text.Trim()));
        }
        if (lines.Count == 0) throw new FormatException("empty YAML document");
        var index = 0;
        var node = ParseBlock(lines, ref index, lines[0].Indent);
        if (index != lines.Count) throw Error(lines[index].Number, "unexpected indentation");
        return node;
    }

    private static JsonNode ParseBlock(List<Line> lines, ref int index, int indent)
    {
        return lines[index].Text.StartsWith("- ", StringComparison.Ordinal) || lines[index].Text == "-"
            ? ParseSequence(lines, ref index, indent)
            : ParseMapping(lines, ref index, indent);
    }

    private static JsonArray ParseSequence(List<Line> lines, ref int index, int indent)
    {
        var array = new JsonArray();
        while (index < lines.Count && lines[index].Indent == indent && lines[index].Text.StartsWith('-'))
        {
            var line = lines[index];
            var item = line.Text.Length > 1 ? line.Text[2..].Trim() : "";
            if (item.Length == 0 || item.Contains(": ", StringComparison.Ordinal) || item.EndsWith(':'))
                throw Error(line.Number, "only sequences of scalars are supported");
            array.Add(Scalar(item, line.Number));
            index++;
        }
        return array;
    }

    private static JsonObject ParseMapping(List<Line> lines, ref int index, int indent)
    {
        var map = new JsonObject();
        while (index < lines.Count)
        {
            var line = lines[index];
            if (line.Indent < indent) break;
            if (line.Indent > indent) throw Error(line.Number, "unexpected indentation");
            var colon = FindKeyColon(line.Text);
            if (colon < 0) throw Error(line.Number, "expected 'key: value'");
            var key = Unquote(line.Text[..colon].Trim(), line.Number);
            var rest = line.Text[(colon + 1)..].Trim();
            if (map.ContainsKey(key)) throw Error(line.Number, $"duplicate key '{key}'");
            index++;
            if (rest.Length > 0)
            {
                map[key] = Scalar(rest, line.Number);
            }
            else if (index < lines.Count && (lines[index].Indent > indent || (lines[index].Indent == indent && lines[index].Text.StartsWith("- ", StringComparison.Ordinal))))
            {
                map[key] = ParseBlock(lines, ref index, lines[index].Indent);
            }
            else
            {
                map[key] = null;
            }
        }
        return map;
    }

    private static int FindKeyColon(string text)
    {
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'') { quote = c; continue; }
            if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' ')) return i;
        }
        return -1;
    }

    private static JsonNode? Scalar(string text, int number)
    {
        if (text[0] is '[' or '{' or '&' or '*' or '|' or '>' or '!' or '%' or '@' or '`')
            throw Error(number, $"unsupported YAML construct '{text}'");
        if (text[0] is '"' or '\'') return JsonValue.Create(Unquote(text, number));
        return text switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "null" or "Null" or "NULL" or "~" => null,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ => JsonValue.Create(text),
        };
    }

    private static string Unquote(string text, int number)
    {
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            var inner = text[1..^1];
            if (inner.Contains('\\', StringComparison.Ordinal)) throw Error(number, "escapes in double-quoted strings are not supported");
            return inner;
        }
        if (text[0] is '"' or '\'') throw Error(number, "unterminated quoted string");
        return text;
    }

    private static string StripComment(string line, int number)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or ':' or '-')) { quote = c; continue; }
            if (c == '#' && (i == 0 || line[i - 1] == ' ')) return line[..i];
        }
        if (quote != '\0') throw Error(number, "unterminated quoted string");
        return line;
    }

    private static FormatException Error(int line, string message) => new($"YAML line {line}: {message}");
}
