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

/// `/{collection}/{id}`, or the key form `/{collection}('{id}')` for an id Graph would misread
/// as a segment: one starting with `$` (`/users/$x`, `%24` or not, is a system segment such as
/// `$count`) or holding a parenthesis (OData reads `%28`/`%29` as `(`/`)`, so `/users/a%28b%29`
/// is the key `b` of `a`).
pub(crate) fn entity_path(collection: &str, id: &str) -> String {
    if id.starts_with('$') || id.contains(['(', ')']) {
        format!("/{collection}('{}')", key(&id.replace('\'', "''")))
    } else {
        format!("/{collection}/{}", segment(id))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the round trip through the practice tenant (tests/roundtrip_sandbox.rs): the tenant,
    /// like Graph, read `/groups/%28%29` as `/groups()` and `/users/%24` as the system segment `$`.
    #[test]
    fn ids_graph_would_misread_use_the_key_form() {
        assert_eq!(entity_path("groups", "()"), "/groups('%28%29')");
        assert_eq!(entity_path("groups", "$count"), "/groups('$count')");
        assert_eq!(entity_path("users", "$a'"), "/users('$a''')");
        assert_eq!(entity_path("groups", "a b/c"), "/groups/a%20b%2Fc");
    }
}
