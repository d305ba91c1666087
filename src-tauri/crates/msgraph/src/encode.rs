//! Percent-encoding, in one place: path segments (ids, user principal names), OData keys and
//! query strings. Strict (RFC 3986: only `A-Z a-z 0-9 - . _ ~` travel raw), so `+` travels as
//! `%2B`, `#` as `%23`, `&` as `%26`, `%` as `%25`, and hostile input cannot break out of a
//! segment or a parameter.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 unreserved characters is encoded.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Path segments: strict, but `@` stays readable (`AdeleV@contoso.com`), as in Graph's docs.
const SEGMENT: &AsciiSet = &STRICT.remove(b'@');

/// Inside an OData key `('…')`: like `SEGMENT`, with `$` and `'` kept as Graph's docs write them.
const KEY_SEGMENT: &AsciiSet = &SEGMENT.remove(b'$').remove(b'\'');

/// A query value (or parameter name).
pub(crate) fn value(v: &str) -> String {
    utf8_percent_encode(v, STRICT).to_string()
}

/// One path segment from an id or a user principal name (ids are opaque: Outlook ids contain
/// `=`, `/`, `+`).
pub(crate) fn segment(v: &str) -> String {
    utf8_percent_encode(v, SEGMENT).to_string()
}

/// A value inside an OData key `('…')` (quotes already doubled by the caller).
pub(crate) fn key(v: &str) -> String {
    utf8_percent_encode(v, KEY_SEGMENT).to_string()
}

/// Builds `a=b&c=d` with strictly encoded values. Names are OData system options (`$select`)
/// or caller-provided names, which are encoded too except for a leading `$`.
pub(crate) fn query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| {
            let key = match k.strip_prefix('$') {
                Some(rest) => format!("${}", value(rest)),
                None => value(k),
            };
            format!("{key}={}", value(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}
