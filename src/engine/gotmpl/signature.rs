//! Go's static argument types for the functions whose parameters are not `interface{}`.
//! Go checks each argument against its parameter before the call: a constant of the
//! wrong kind (`upper 3`: `expected string; found 3`), or a value whose type is not the
//! parameter's (`indent .Values.n "x"` with a float64: `wrong type for value; expected
//! int; got float64`). Functions left out take `interface{}` everywhere.

/// A parameter's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// `string`.
    S,
    /// `int`.
    I,
    /// `interface{}`: anything.
    A,
}

use Param::{A, I, S};

/// The fixed parameters of `name`, when Go types any of them.
pub fn params(name: &str) -> Option<&'static [Param]> {
    Some(match name {
        "upper" | "lower" | "title" | "untitle" | "trim" | "nospace" | "initials" | "snakecase"
        | "camelcase" | "kebabcase" | "swapcase" | "b64enc" | "b64dec" | "b32enc" | "b32dec"
        | "sha1sum" | "sha256sum" | "adler32sum" | "base" | "dir" | "ext" | "clean" | "isAbs"
        | "osBase" | "osDir" | "osExt" | "osClean" | "osIsAbs" | "fromYaml" | "fromJson"
        | "fromYamlArray" | "fromJsonArray" | "mustFromJson" | "urlParse" | "semver"
        | "regexQuoteMeta" | "fail" | "getHostByName" | "atoi" => &[S],
        "trimAll" | "trimall" | "trimPrefix" | "trimSuffix" | "contains" | "hasPrefix"
        | "hasSuffix" | "split" | "splitList" | "regexMatch" | "mustRegexMatch" | "regexFind"
        | "mustRegexFind" | "semverCompare" | "htpasswd" | "toDate" | "mustToDate" => &[S, S],
        "replace"
        | "regexReplaceAll"
        | "mustRegexReplaceAll"
        | "regexReplaceAllLiteral"
        | "mustRegexReplaceAllLiteral" => &[S, S, S],
        "trunc" | "abbrev" | "indent" | "nindent" | "repeat" | "wrap" => &[I, S],
        "randAlphaNum" | "randAlpha" | "randNumeric" | "randAscii" => &[I],
        "substr" | "abbrevboth" => &[I, I, S],
        "wrapWith" => &[I, S, S],
        "splitn" => &[S, I, S],
        "regexFindAll" | "mustRegexFindAll" | "regexSplit" | "mustRegexSplit" => &[S, S, I],
        "required" | "include" | "tpl" => &[S, A],
        "printf" => &[S],
        "lookup" => &[S, S, S, S],
        "genCA" => &[S, I],
        _ => return None,
    })
}
