using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Nap.Infra.Tests;

/// <summary>
/// Evaluates the small part of the ARM template language that decides between variants (parameters, variables,
/// if, not, and, or, empty, equals, greater, max, min, literals) for given parameter values, so a test can read a
/// property as it would be deployed with privateNetworking true or false. Anything else (reference(), resourceId()...)
/// evaluates to an <see cref="Opaque"/> holding its text; <c>if</c> evaluates only the branch it takes.
/// </summary>
internal static class ArmExpression
{
    public sealed record Opaque(string Text);

    public static object? Evaluate(JsonNode? node, JsonObject template, IReadOnlyDictionary<string, object?> parameters)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal))
            return new Parser(s[1..^1], template, parameters).Run();
        return FromJson(node);
    }

    // (object?) everywhere: JsonNode's implicit conversions would otherwise turn the arms back into JSON nodes.
    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v => v.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => (object?)true,
            System.Text.Json.JsonValueKind.False => (object?)false,
            System.Text.Json.JsonValueKind.Number => (object?)v.GetValue<long>(),
            System.Text.Json.JsonValueKind.String => (object?)v.GetValue<string>(),
            _ => null,
        },
        _ => (object?)node,
    };

    private sealed class Parser(string text, JsonObject template, IReadOnlyDictionary<string, object?> parameters)
    {
        private int _pos;

        public object? Run()
        {
            var value = Expression(evaluate: true);
            Skip();
            if (_pos != text.Length) throw new FormatException($"Unexpected '{text[_pos..]}' in [{text}]");
            return value;
        }

        private void Skip() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }

        private object? Expression(bool evaluate)
        {
            Skip();
            var start = _pos;
            object? value;
            if (text[_pos] == '\'')
            {
                var sb = new StringBuilder();
                _pos++;
                while (true)
                {
                    if (text[_pos] == '\'' && _pos + 1 < text.Length && text[_pos + 1] == '\'') { sb.Append('\''); _pos += 2; continue; }
                    if (text[_pos] == '\'') { _pos++; break; }
                    sb.Append(text[_pos++]);
                }
                value = sb.ToString();
            }
            else if (char.IsDigit(text[_pos]) || text[_pos] == '-')
            {
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-')) _pos++;
                value = long.Parse(text[start.._pos], CultureInfo.InvariantCulture);
            }
            else
            {
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                var name = text[start.._pos];
                Skip();
                Expect('(');
                value = Call(name, evaluate, start);
            }
            // Member access and indexing: on an opaque value the result stays opaque.
            while (true)
            {
                Skip();
                if (_pos < text.Length && text[_pos] == '.')
                {
                    _pos++;
                    var m = _pos;
                    while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
                    var member = text[m.._pos];
                    value = value is JsonObject o ? FromJson(o[member]) : new Opaque(text[start.._pos]);
                }
                else if (_pos < text.Length && text[_pos] == '[')
                {
                    _pos++;
                    Expression(evaluate); // the index: arrays are not evaluated, the element stays opaque
                    Skip();
                    Expect(']');
                    value = new Opaque(text[start.._pos]);
                }
                else return value;
            }
        }

        private void Expect(char c)
        {
            Skip();
            if (_pos >= text.Length || text[_pos] != c) throw new FormatException($"Expected '{c}' at {_pos} in [{text}]");
            _pos++;
        }

        private List<object?> Arguments(bool evaluate)
        {
            var args = new List<object?>();
            Skip();
            if (text[_pos] == ')') { _pos++; return args; }
            while (true)
            {
                args.Add(Expression(evaluate));
                Skip();
                if (text[_pos] == ',') { _pos++; continue; }
                Expect(')');
                return args;
            }
        }

        private object? Call(string name, bool evaluate, int start)
        {
            if (name == "if")
            {
                var condition = Expression(evaluate);
                Expect(',');
                var take = evaluate && condition is bool b ? b : (bool?)null;
                var whenTrue = Expression(evaluate && take == true);
                Expect(',');
                var whenFalse = Expression(evaluate && take == false);
                Expect(')');
                return take switch { true => whenTrue, false => whenFalse, null => new Opaque(text[start.._pos]) };
            }
            var args = Arguments(evaluate);
            if (!evaluate) return null;
            return name switch
            {
                "parameters" => parameters.TryGetValue((string)args[0]!, out var p) ? p : new Opaque($"parameters('{args[0]}')"),
                "variables" => Evaluate(template["variables"]?[(string)args[0]!], template, parameters),
                "not" => args[0] is bool b ? !b : new Opaque(text[start.._pos]),
                "and" => args.All(a => a is bool) ? args.All(a => (bool)a!) : new Opaque(text[start.._pos]),
                "or" => args.All(a => a is bool) ? args.Any(a => (bool)a!) : new Opaque(text[start.._pos]),
                "empty" => args[0] switch { string s => s.Length == 0, null => true, Opaque => new Opaque(text[start.._pos]), _ => false },
                "equals" => args[0] is Opaque || args[1] is Opaque ? new Opaque(text[start.._pos]) : Equals(args[0], args[1]),
                "greater" => args[0] is long a && args[1] is long c ? a > c : new Opaque(text[start.._pos]),
                "max" => args.All(a => a is long) ? args.Max(a => (long)a!) : new Opaque(text[start.._pos]),
                "min" => args.All(a => a is long) ? args.Min(a => (long)a!) : new Opaque(text[start.._pos]),
                "true" => true,
                "false" => false,
                "null" => null,
                "createObject" => CreateObject(args, start),
                _ => new Opaque(text[start.._pos]),
            };
        }

        private object CreateObject(List<object?> args, int start)
        {
            var o = new JsonObject();
            for (var i = 0; i + 1 < args.Count; i += 2)
                o[args[i] as string ?? "?"] = args[i + 1] switch
                {
                    null => null,
                    bool b => JsonValue.Create(b),
                    long l => JsonValue.Create(l),
                    string s => JsonValue.Create(s),
                    Opaque op => JsonValue.Create("[" + op.Text + "]"),
                    JsonNode n => n.DeepClone(),
                    var other => JsonValue.Create(other.ToString()),
                };
            return o.Count == 0 && args.Count > 0 ? new Opaque(text[start.._pos]) : o;
        }
    }
}
