namespace Dicom.Typed.Iod;

/// <summary>Severity of a conformance finding.</summary>
public enum DicomFindingSeverity
{
    /// <summary>Informational.</summary>
    Information,
    /// <summary>A deviation the standard or the vendor definition tolerates.</summary>
    Warning,
    /// <summary>A violation of the IOD or the vendor definition.</summary>
    Error,
}

/// <summary>The rule a finding is about (like dciodvfy's messages and dcm4che's ValidationResult categories).</summary>
public enum DicomFindingRule
{
    /// <summary>A Type 1 or 1C (condition true) attribute is missing.</summary>
    MissingType1,
    /// <summary>A Type 1 attribute is present but empty.</summary>
    EmptyType1,
    /// <summary>A Type 2 or 2C (condition true) attribute is missing.</summary>
    MissingType2,
    /// <summary>A value is not one of the enumerated values.</summary>
    NotEnumerated,
    /// <summary>A value differs from the fixed value of the definition.</summary>
    FixedValueMismatch,
    /// <summary>An attribute that the definition does not contain.</summary>
    UnexpectedAttribute,
    /// <summary>The VR differs from the definition.</summary>
    WrongVR,
    /// <summary>The number of values is outside the VM.</summary>
    WrongVM,
    /// <summary>A value is not valid for its VR.</summary>
    InvalidValue,
    /// <summary>A private data element whose block has no private creator, or a different one.</summary>
    PrivateCreatorMissing,
    /// <summary>A conditional attribute is present although its condition is false (where the definition forbids it).</summary>
    ConditionViolated,
    /// <summary>The SOP Class UID differs from the IOD's.</summary>
    WrongSopClass,
}

/// <summary>A structured conformance finding with the attribute path it refers to.</summary>
/// <param name="Path">Attribute path, e.g. <c>(0040,0275)[0].(0008,0100)</c>.</param>
/// <param name="Rule">The rule.</param>
/// <param name="Severity">The severity.</param>
/// <param name="Message">Human-readable explanation, with the definition's wording where useful.</param>
public sealed record DicomFinding(string Path, DicomFindingRule Rule, DicomFindingSeverity Severity, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Severity} {Rule} {Path}: {Message}";
}

/// <summary>The result of a tolerant read: the typed object and what did not conform.</summary>
/// <typeparam name="T">The typed object.</typeparam>
/// <param name="Value">The object (never null for a parseable data set).</param>
/// <param name="Findings">The findings, empty when the data set conforms.</param>
public sealed record DicomReadResult<T>(T Value, IReadOnlyList<DicomFinding> Findings)
{
    /// <summary>True when no finding has severity <see cref="DicomFindingSeverity.Error"/>.</summary>
    public bool IsConformant => Findings.All(f => f.Severity != DicomFindingSeverity.Error);
}
