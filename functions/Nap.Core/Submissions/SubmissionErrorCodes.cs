namespace Nap.Submissions;

/// <summary>
/// The codes of a submission's field errors, written once: the parser uses them, openapi.json lists them (a test compares)
/// and the form's texts are keyed by them.
/// </summary>
public static class SubmissionErrorCodes
{
    public const string Required = "required";
    public const string Type = "type";
    public const string UnknownField = "unknown-field";
    public const string TooLong = "too-long";
    public const string TooMany = "too-many";
    public const string UnknownCode = "unknown-code";
    public const string Duplicate = "duplicate";
    public const string InvalidEmail = "invalid-email";
    public const string OutOfRange = "out-of-range";
    public const string UnitMismatch = "unit-mismatch";
    public const string NotAllowed = "not-allowed";
    public const string InvalidCharacters = "invalid-characters";
    public const string InvalidValue = "invalid-value";
    /// <summary>A contribution carried over from an earlier cycle that the signatory has not confirmed (or removed) yet.</summary>
    public const string Unconfirmed = "unconfirmed";

    public static readonly IReadOnlyList<string> All =
        [Required, Type, UnknownField, TooLong, TooMany, UnknownCode, Duplicate, InvalidEmail, OutOfRange, UnitMismatch, NotAllowed, InvalidCharacters, InvalidValue, Unconfirmed];
}
