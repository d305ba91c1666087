//! Generators for the property tests of every decoder of Graph's answers (msgraph's own, and
//! watch's, which includes this file): arbitrary JSON trees, hostile strings, and mutations of
//! the real answers kept as fixtures (Microsoft's documentation examples). Arbitrary JSON almost
//! never has the right keys, so object keys are drawn mostly from the keys the fixtures use.
//!
//! Case counts follow proptest's defaults (256, or `PROPTEST_CASES`; `cargo xtask fuzz` sets it).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Number, Value};

/// A config for a property whose case costs `share` times a plain decode (a sandbox round trip,
/// a SQLite transaction): proptest's case count divided by `share`, at least one.
pub fn config_for(share: u32) -> Config {
    let base = Config::default();
    Config {
        cases: (base.cases / share).max(1),
        ..base
    }
}

/// Written in place of a number, then swapped for `HUGE_TEXT` in the serialised JSON: numbers
/// serde_json's `Value` cannot hold (`1e999`, 30 digits) only exist as text.
const HUGE_MARK: &str = "\u{1}huge-number\u{1}";
const HUGE_TEXTS: &[&str] = &[
    "1e999",
    "-1e999",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "0.000000000000000000000000000000000000000000001e-400",
    "-0",
    "18446744073709551616",
    "-9223372036854775809",
];

/// The JSON text of `v`, with every `HUGE_MARK` string replaced by an out-of-range number.
pub fn to_bytes(v: &Value, huge: usize) -> Vec<u8> {
    let text = serde_json::to_string(v).unwrap_or_default();
    let mark = serde_json::to_string(HUGE_MARK).unwrap_or_default();
    text.replace(&mark, HUGE_TEXTS[huge % HUGE_TEXTS.len()]).into_bytes()
}

/// Characters that break things: quoting, URL syntax, paths, controls, odd Unicode.
const HOSTILE: &[char] = &[
    '\'',
    '"',
    '%',
    '#',
    '&',
    '+',
    '/',
    '\\',
    '?',
    '=',
    ';',
    ',',
    ':',
    '@',
    '$',
    '(',
    ')',
    '[',
    ']',
    '{',
    '}',
    '*',
    '!',
    '~',
    '.',
    ' ',
    '\t',
    '\n',
    '\r',
    '\0',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200d}',
    '\u{202e}',
    '\u{2028}',
    '\u{feff}',
    '\u{fffd}',
    '\u{ffff}',
    'é',
    'ß',
    'İ',
    'ı',
    'Σ',
    'ς',
    'ǅ',
    'ﬁ',
    '𝔘',
    '😀',
    '\u{10ffff}',
    '\u{e000}',
    '\u{301}',
];

/// One character: mostly letters, often a hostile one, sometimes any Unicode scalar.
pub fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        1 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        4 => prop::sample::select(HOSTILE),
        1 => any::<char>(),
    ]
}

/// A string of up to `max` hostile characters, with `..` and `%2e`-style runs mixed in.
pub fn hostile_string(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => hostile_char().prop_map(String::from),
        1 => prop::sample::select(&["..", "%2e", "%2E%2e", "''", "%00", "#EXT#", "&x=", "%25", "+", " or true"][..])
            .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..max).prop_map(|p| p.concat())
}

/// Every fixture: msgraph's (`tests/fixtures`, `tests/fixtures/errors`) and the answers of
/// Microsoft's documentation examples in `shared/graph/data` next to the repository (skipped
/// when that folder is not there).
pub fn fixtures() -> &'static [Value] {
    static ALL: OnceLock<Vec<Value>> = OnceLock::new();
    ALL.get_or_init(|| {
        let msgraph = Path::new(env!("CARGO_MANIFEST_DIR")).join("../msgraph/tests/fixtures");
        let mut out = Vec::new();
        for dir in [msgraph.clone(), msgraph.join("errors")] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            for f in files {
                let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
                out.push(serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display())));
            }
        }
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/graph/data");
        for name in ["graph-docs-examples.v1.0.subset.json", "dev-proxy-m365-mocks.json"] {
            let Ok(text) = std::fs::read_to_string(shared.join(name)) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            for mock in doc["mocks"].as_array().into_iter().flatten() {
                let body = &mock["response"]["body"];
                if body.is_object() || body.is_array() {
                    out.push(body.clone());
                }
            }
        }
        assert!(out.len() > 40, "too few fixtures found ({})", out.len());
        out
    })
}

/// Every object key the fixtures use (Graph's property names and annotations).
pub fn fixture_keys() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        fn walk(v: &Value, out: &mut BTreeSet<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        out.insert(k.clone());
                        walk(x, out);
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut keys = BTreeSet::new();
        fixtures().iter().for_each(|f| walk(f, &mut keys));
        keys.extend(
            [
                "members@delta",
                "owners@delta",
                "@removed",
                "reason",
                "@odata.deltaLink",
                "@odata.nextLink",
            ]
            .map(str::to_string),
        );
        keys.into_iter().collect()
    })
}

/// A number at the edges: 0, ±1, the integer limits, floats far out, and the huge-number mark.
pub fn edge_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(&[0i64, 1, -1, i64::MIN, i64::MAX, i32::MAX as i64 + 1, 200, 404, 429][..])
            .prop_map(Value::from),
        prop::sample::select(&[u64::MAX, u32::MAX as u64 + 1][..]).prop_map(Value::from),
        prop::num::f64::NORMAL.prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        Just(Value::String(HUGE_MARK.to_string())),
    ]
}

/// A scalar: null, a boolean, an edge number, or a string (hostile, or a key-like word).
pub fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => edge_number(),
        3 => hostile_string(24).prop_map(Value::String),
        1 => prop::sample::select(fixture_keys()).prop_map(Value::String),
    ]
}

/// An object key: mostly one of Graph's, sometimes a hostile string.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(fixture_keys()),
        1 => hostile_string(12),
    ]
}

/// Arbitrary JSON, at most `depth` levels of containers deep.
pub fn arb_json(depth: u32) -> impl Strategy<Value = Value> {
    leaf().prop_recursive(depth, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// One change to a fixture, at the node whose index (in a pre-order walk) is `at` modulo the
/// number of nodes.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Removes the node from its object or array.
    Drop,
    /// Puts another value (of any type) in its place.
    Replace(Value),
    /// Wraps it in this many arrays or objects (serde_json stops at 128 levels when reading).
    Nest(u16, bool),
    /// Sends its text form instead (`true` → `"true"`, `{…}` → `"{…}"`).
    Stringify,
    /// Adds a key to an object (or an item to an array).
    Add(String, Value),
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::Drop),
        4 => arb_json(2).prop_map(Mutation::Replace),
        1 => (1u16..300, any::<bool>()).prop_map(|(n, obj)| Mutation::Nest(n, obj)),
        1 => Just(Mutation::Stringify),
        2 => (key(), arb_json(1)).prop_map(|(k, v)| Mutation::Add(k, v)),
    ]
}

/// A real fixture with a few mutations applied.
pub fn mutated_fixture() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(fixtures()),
        prop::collection::vec((any::<usize>(), mutation()), 1..5),
    )
        .prop_map(|(mut v, muts)| {
            for (at, m) in muts {
                let n = count(&v);
                apply(&mut v, at % n, &m);
            }
            v
        })
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// Applies `m` at the node numbered `at` in a pre-order walk (0 = `v` itself).
fn apply(v: &mut Value, at: usize, m: &Mutation) {
    fn go(v: &mut Value, at: &mut usize, m: &Mutation) -> bool {
        let children: Vec<usize> = match v {
            Value::Array(a) => (0..a.len()).collect(),
            Value::Object(o) => (0..o.len()).collect(),
            _ => Vec::new(),
        };
        if *at == 0 {
            mutate_here(v, m);
            return true;
        }
        *at -= 1;
        for i in children {
            let is_target = *at == 0 && matches!(m, Mutation::Drop);
            match v {
                Value::Array(a) => {
                    if is_target {
                        a.remove(i);
                        return true;
                    }
                    if go(&mut a[i], at, m) {
                        return true;
                    }
                }
                Value::Object(o) => {
                    if is_target {
                        let k = o.keys().nth(i).cloned().unwrap_or_default();
                        o.remove(&k);
                        return true;
                    }
                    if let Some((_, x)) = o.iter_mut().nth(i) {
                        if go(x, at, m) {
                            return true;
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }
    let mut at = at;
    go(v, &mut at, m);
}

fn mutate_here(v: &mut Value, m: &Mutation) {
    match m {
        Mutation::Drop => *v = Value::Null,
        Mutation::Replace(x) => *v = x.clone(),
        Mutation::Nest(n, obj) => {
            for _ in 0..*n {
                let inner = std::mem::take(v);
                *v = if *obj {
                    Value::Object(Map::from_iter([("value".to_string(), inner)]))
                } else {
                    Value::Array(vec![inner])
                };
            }
        }
        Mutation::Stringify => *v = Value::String(v.to_string()),
        Mutation::Add(k, x) => match v {
            Value::Object(o) => {
                o.insert(k.clone(), x.clone());
            }
            Value::Array(a) => a.push(x.clone()),
            other => *other = x.clone(),
        },
    }
}

/// A body to decode: arbitrary JSON, a mutated fixture, or a fixture cut short (not JSON at
/// all), as bytes with out-of-range numbers spliced in.
pub fn answer_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => (arb_json(6), any::<usize>()).prop_map(|(v, h)| to_bytes(&v, h)),
        5 => (mutated_fixture(), any::<usize>()).prop_map(|(v, h)| to_bytes(&v, h)),
        1 => (prop::sample::select(fixtures()), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let b = to_bytes(&v, 0);
            b[..cut.index(b.len() + 1)].to_vec()
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}
