//! OData query options as Graph's directory understands them: `$filter`, `$search`, `$select`,
//! `$orderby`, `$top`, `$count`, plus the advanced-query rules (`ConsistencyLevel: eventual`).

use crate::error::GErr;
use serde_json::{Map, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    Str(String),
    Bool(bool),
    Null,
    Num(f64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Cmp(String, Op, Lit),
    StartsWith(String, String),
    EndsWith(String, String),
    In(String, Vec<Lit>),
    /// `prop/any(x: x eq 'v')` or `prop/any(x: x/sub eq 'v')` (sub = None means the element itself).
    Any(String, Option<String>, Op, Lit),
}

impl Filter {
    /// True when the expression uses something that needs an advanced query.
    pub fn advanced_reason(&self) -> Option<&'static str> {
        match self {
            Filter::And(a, b) | Filter::Or(a, b) => a.advanced_reason().or_else(|| b.advanced_reason()),
            Filter::Not(_) => Some("not"),
            Filter::Cmp(_, Op::Ne, _) => Some("ne"),
            Filter::EndsWith(..) => Some("endsWith"),
            _ => None,
        }
    }

    pub fn properties(&self, out: &mut Vec<String>) {
        match self {
            Filter::And(a, b) | Filter::Or(a, b) => {
                a.properties(out);
                b.properties(out);
            }
            Filter::Not(a) => a.properties(out),
            Filter::Cmp(p, ..)
            | Filter::StartsWith(p, _)
            | Filter::EndsWith(p, _)
            | Filter::In(p, _)
            | Filter::Any(p, ..) => out.push(p.clone()),
        }
    }

    /// The ids of an `id eq 'a' or id eq 'b'` filter (delta's only supported filter).
    pub fn id_list(&self) -> Option<Vec<String>> {
        match self {
            Filter::Cmp(p, Op::Eq, Lit::Str(s)) if p.eq_ignore_ascii_case("id") => Some(vec![s.clone()]),
            Filter::In(p, lits) if p.eq_ignore_ascii_case("id") => lits
                .iter()
                .map(|l| match l {
                    Lit::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            Filter::Or(a, b) => {
                let mut v = a.id_list()?;
                v.extend(b.id_list()?);
                Some(v)
            }
            _ => None,
        }
    }

    pub fn eval(&self, obj: &Map<String, Value>) -> bool {
        match self {
            Filter::And(a, b) => a.eval(obj) && b.eval(obj),
            Filter::Or(a, b) => a.eval(obj) || b.eval(obj),
            Filter::Not(a) => !a.eval(obj),
            Filter::Cmp(p, op, lit) => {
                let v = lookup(obj, p);
                match v {
                    Some(Value::Array(items)) => {
                        // Graph lets `eq` match a value inside a multi-valued property (e.g. businessPhones).
                        let hit = items.iter().any(|i| cmp(i, *op, lit));
                        if *op == Op::Ne {
                            !items.iter().any(|i| cmp(i, Op::Eq, lit))
                        } else {
                            hit
                        }
                    }
                    Some(v) => cmp(v, *op, lit),
                    None => cmp(&Value::Null, *op, lit),
                }
            }
            Filter::StartsWith(p, s) => any_str(lookup(obj, p), |v| starts_with_ci(v, s)),
            Filter::EndsWith(p, s) => any_str(lookup(obj, p), |v| ends_with_ci(v, s)),
            Filter::In(p, lits) => lits.iter().any(|l| Filter::Cmp(p.clone(), Op::Eq, l.clone()).eval(obj)),
            Filter::Any(p, sub, op, lit) => match lookup(obj, p) {
                Some(Value::Array(items)) => items.iter().any(|i| {
                    let v = match sub {
                        Some(s) => i.get(s.as_str()).cloned().unwrap_or(Value::Null),
                        None => i.clone(),
                    };
                    cmp(&v, *op, lit)
                }),
                _ => false,
            },
        }
    }
}

/// Applies `f` to a string property or to each string of a multi-valued property (no copies).
fn any_str(v: Option<&Value>, f: impl Fn(&str) -> bool) -> bool {
    match v {
        Some(Value::String(s)) => f(s),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).any(f),
        _ => false,
    }
}

/// Case-insensitive comparisons without allocating in the common (ASCII) case.
pub fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn starts_with_ci(v: &str, prefix: &str) -> bool {
    if v.is_ascii() && prefix.is_ascii() {
        v.len() >= prefix.len() && v.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    } else {
        v.to_lowercase().starts_with(&prefix.to_lowercase())
    }
}

fn ends_with_ci(v: &str, suffix: &str) -> bool {
    if v.is_ascii() && suffix.is_ascii() {
        v.len() >= suffix.len() && v.as_bytes()[v.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    } else {
        v.to_lowercase().ends_with(&suffix.to_lowercase())
    }
}

/// Case-insensitive property lookup (Graph accepts `displayname` for `displayName`).
pub fn lookup<'a>(obj: &'a Map<String, Value>, p: &str) -> Option<&'a Value> {
    if let Some(v) = obj.get(p) {
        return Some(v);
    }
    obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(p)).map(|(_, v)| v)
}

fn cmp(v: &Value, op: Op, lit: &Lit) -> bool {
    let ord = match (v, lit) {
        (Value::String(a), Lit::Str(b)) if eq_ci(a, b) => Some(Ordering::Equal),
        (Value::String(a), Lit::Str(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        (Value::Bool(a), Lit::Bool(b)) => Some(a.cmp(b)),
        (Value::Number(a), Lit::Num(b)) => a.as_f64().and_then(|a| a.partial_cmp(b)),
        (Value::Null, Lit::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        (Op::Eq, Some(o)) => o == Ordering::Equal,
        (Op::Eq, None) => false,
        (Op::Ne, Some(o)) => o != Ordering::Equal,
        (Op::Ne, None) => true,
        (Op::Gt, Some(o)) => o == Ordering::Greater,
        (Op::Ge, Some(o)) => o != Ordering::Less,
        (Op::Lt, Some(o)) => o == Ordering::Less,
        (Op::Le, Some(o)) => o != Ordering::Greater,
        (_, None) => false,
    }
}

// ---------------------------------------------------------------------------------------------
// $filter parser
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    LParen,
    RParen,
    Comma,
    Colon,
    Slash,
}

// Long: a lexer is one loop over the characters with one arm per token.
fn lex(s: &str) -> Result<Vec<(usize, Tok)>, usize> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push((i, Tok::LParen));
                i += 1
            }
            ')' => {
                out.push((i, Tok::RParen));
                i += 1
            }
            ',' => {
                out.push((i, Tok::Comma));
                i += 1
            }
            ':' => {
                out.push((i, Tok::Colon));
                i += 1
            }
            '/' => {
                out.push((i, Tok::Slash));
                i += 1
            }
            '\'' => {
                let start = i;
                i += 1;
                let mut v = String::new();
                loop {
                    if i >= chars.len() {
                        return Err(start);
                    }
                    if chars[i] == '\'' {
                        if i + 1 < chars.len() && chars[i + 1] == '\'' {
                            v.push('\'');
                            i += 2;
                            continue;
                        }
                        i += 1;
                        break;
                    }
                    v.push(chars[i]);
                    i += 1;
                }
                out.push((start, Tok::Str(v)));
            }
            // A GUID literal (unquoted in OData) may start with a letter: `skuId eq c7df2760-…`.
            _ if guid_at(&chars, i) => {
                out.push((i, Tok::Str(chars[i..i + 36].iter().collect())));
                i += 36;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                let mut v = String::new();
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '-' || chars[i] == '.' || chars[i] == ':')
                {
                    v.push(chars[i]);
                    i += 1;
                }
                // GUIDs and date-times are unquoted literals in OData; keep them as strings.
                match v.parse::<f64>() {
                    Ok(n) => out.push((start, Tok::Num(n))),
                    Err(_) => out.push((start, Tok::Str(v))),
                }
            }
            c if c.is_alphabetic() || c == '_' || c == '$' || c == '@' => {
                let start = i;
                let mut v = String::new();
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || chars[i] == '_'
                        || chars[i] == '.'
                        || chars[i] == '$'
                        || chars[i] == '@')
                {
                    v.push(chars[i]);
                    i += 1;
                }
                out.push((start, Tok::Ident(v)));
            }
            _ => return Err(i),
        }
    }
    Ok(out)
}

/// True when an unquoted GUID (8-4-4-4-12 hex digits) starts at `i` and ends there.
fn guid_at(chars: &[char], i: usize) -> bool {
    let Some(candidate) = chars.get(i..i + 36) else {
        return false;
    };
    let shaped = candidate.iter().enumerate().all(|(k, c)| match k {
        8 | 13 | 18 | 23 => *c == '-',
        _ => c.is_ascii_hexdigit(),
    });
    let ends = chars
        .get(i + 36)
        .is_none_or(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-'));
    shaped && ends
}

struct P<'a> {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    src: &'a str,
}

fn syntax(src: &str, at: usize) -> GErr {
    GErr::bad(
        "BadRequest",
        format!("Invalid filter clause: Syntax error at position {at} in '{src}'."),
    )
}

impl P<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }
    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.0).unwrap_or(self.src.chars().count())
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).map(|t| t.1.clone());
        self.pos += 1;
        t
    }
    fn err(&self) -> GErr {
        syntax(self.src, self.at())
    }
    fn kw(&self, k: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(k))
    }
    fn expect(&mut self, t: Tok) -> Result<(), GErr> {
        if self.peek() == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }
    fn or(&mut self) -> Result<Filter, GErr> {
        let mut l = self.and()?;
        while self.kw("or") {
            self.pos += 1;
            let r = self.and()?;
            l = Filter::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<Filter, GErr> {
        let mut l = self.unary()?;
        while self.kw("and") {
            self.pos += 1;
            let r = self.unary()?;
            l = Filter::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }
    fn unary(&mut self) -> Result<Filter, GErr> {
        if self.kw("not") {
            self.pos += 1;
            let inner = self.unary()?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        self.primary()
    }
    fn lit(&mut self) -> Result<Lit, GErr> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Num(n)) => Ok(Lit::Num(n)),
            Some(Tok::Ident(s)) if s == "true" => Ok(Lit::Bool(true)),
            Some(Tok::Ident(s)) if s == "false" => Ok(Lit::Bool(false)),
            Some(Tok::Ident(s)) if s == "null" => Ok(Lit::Null),
            _ => {
                self.pos -= 1;
                Err(self.err())
            }
        }
    }
    fn op(&mut self) -> Result<Op, GErr> {
        let op = match self.peek() {
            Some(Tok::Ident(s)) => match s.to_ascii_lowercase().as_str() {
                "eq" => Op::Eq,
                "ne" => Op::Ne,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                _ => return Err(self.err()),
            },
            _ => return Err(self.err()),
        };
        self.pos += 1;
        Ok(op)
    }
    // Long: one arm per kind of $filter operand or function, as the grammar lists them.
    fn primary(&mut self) -> Result<Filter, GErr> {
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.or()?;
                self.expect(Tok::RParen)?;
                Ok(e)
            }
            Some(Tok::Ident(name)) => {
                let lname = name.to_ascii_lowercase();
                if (lname == "startswith" || lname == "endswith") && self.peek() == Some(&Tok::LParen) {
                    self.pos += 1;
                    let prop = match self.next() {
                        Some(Tok::Ident(p)) => p,
                        _ => {
                            self.pos -= 1;
                            return Err(self.err());
                        }
                    };
                    self.expect(Tok::Comma)?;
                    let v = match self.lit()? {
                        Lit::Str(s) => s,
                        _ => return Err(self.err()),
                    };
                    self.expect(Tok::RParen)?;
                    return Ok(if lname == "startswith" {
                        Filter::StartsWith(prop, v)
                    } else {
                        Filter::EndsWith(prop, v)
                    });
                }
                // prop/any(x: x eq 'v') | prop/any(x: x/sub eq 'v')
                if self.peek() == Some(&Tok::Slash) {
                    self.pos += 1;
                    match self.next() {
                        Some(Tok::Ident(a)) if a.eq_ignore_ascii_case("any") => {}
                        _ => {
                            self.pos -= 1;
                            return Err(self.err());
                        }
                    }
                    self.expect(Tok::LParen)?;
                    let var = match self.next() {
                        Some(Tok::Ident(v)) => v,
                        _ => {
                            self.pos -= 1;
                            return Err(self.err());
                        }
                    };
                    self.expect(Tok::Colon)?;
                    match self.next() {
                        Some(Tok::Ident(v)) if v == var => {}
                        _ => {
                            self.pos -= 1;
                            return Err(self.err());
                        }
                    }
                    let sub = if self.peek() == Some(&Tok::Slash) {
                        self.pos += 1;
                        match self.next() {
                            Some(Tok::Ident(s)) => Some(s),
                            _ => {
                                self.pos -= 1;
                                return Err(self.err());
                            }
                        }
                    } else {
                        None
                    };
                    let op = self.op()?;
                    let lit = self.lit()?;
                    self.expect(Tok::RParen)?;
                    return Ok(Filter::Any(name, sub, op, lit));
                }
                if self.kw("in") {
                    self.pos += 1;
                    self.expect(Tok::LParen)?;
                    let mut lits = vec![self.lit()?];
                    while self.peek() == Some(&Tok::Comma) {
                        self.pos += 1;
                        lits.push(self.lit()?);
                    }
                    self.expect(Tok::RParen)?;
                    return Ok(Filter::In(name, lits));
                }
                let op = self.op()?;
                let lit = self.lit()?;
                Ok(Filter::Cmp(name, op, lit))
            }
            _ => {
                self.pos = self.pos.saturating_sub(1);
                Err(self.err())
            }
        }
    }
}

pub fn parse_filter(src: &str) -> Result<Filter, GErr> {
    let toks = lex(src).map_err(|at| syntax(src, at))?;
    let mut p = P { toks, pos: 0, src };
    let f = p.or()?;
    if p.pos < p.toks.len() {
        return Err(p.err());
    }
    Ok(f)
}

// ---------------------------------------------------------------------------------------------
// $search
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum Search {
    Term(String, String),
    And(Box<Search>, Box<Search>),
    Or(Box<Search>, Box<Search>),
}

/// Splits on spaces, symbols, lower→upper case changes and letter/digit boundaries (Graph's tokeniser).
pub fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur).to_lowercase());
            }
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let boundary = (p.is_lowercase() && c.is_uppercase()) || (p.is_alphabetic() != c.is_alphabetic());
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur).to_lowercase());
            }
        }
        cur.push(c);
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur.to_lowercase());
    }
    out
}

impl Search {
    pub fn eval(&self, obj: &Map<String, Value>) -> bool {
        match self {
            Search::And(a, b) => a.eval(obj) && b.eval(obj),
            Search::Or(a, b) => a.eval(obj) || b.eval(obj),
            Search::Term(prop, term) => {
                if prop.eq_ignore_ascii_case("displayName") || prop.eq_ignore_ascii_case("description") {
                    let want = tokenize(term);
                    if want.is_empty() {
                        return false;
                    }
                    any_str(lookup(obj, prop), |v| tokens_match(v, &want))
                } else {
                    any_str(lookup(obj, prop), |v| starts_with_ci(v, term))
                }
            }
        }
    }
}

/// Every wanted token (lower-case) starts some token of `value`. ASCII values are scanned in place.
fn tokens_match(value: &str, want: &[String]) -> bool {
    if !value.is_ascii() {
        let have = tokenize(value);
        return want.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())));
    }
    let b = value.as_bytes();
    let mut spans: [(usize, usize); 32] = [(0, 0); 32];
    let mut n = 0;
    let mut start: Option<usize> = None;
    for i in 0..=b.len() {
        let c = b.get(i).copied();
        let alnum = c.map(|c| c.is_ascii_alphanumeric()).unwrap_or(false);
        let boundary = match (start, c) {
            (Some(st), Some(c)) if alnum && i > st => {
                let p = b[i - 1];
                (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                    || (p.is_ascii_alphabetic() != c.is_ascii_alphabetic())
            }
            _ => false,
        };
        if let Some(st) = start {
            if !alnum || boundary {
                if n < spans.len() {
                    spans[n] = (st, i);
                    n += 1;
                }
                start = None;
            }
        }
        if alnum && start.is_none() {
            start = Some(i);
        }
    }
    want.iter().all(|w| {
        spans[..n]
            .iter()
            .any(|(a, z)| z - a >= w.len() && b[*a..*a + w.len()].eq_ignore_ascii_case(w.as_bytes()))
    })
}

pub fn parse_search(src: &str) -> Result<Search, GErr> {
    let bad = || {
        GErr::bad(
            "Request_UnsupportedQuery",
            format!(
                "Syntax error: character '{}' is not valid at position 0 in '{}'.",
                src.chars().next().unwrap_or(' '),
                src
            ),
        )
    };
    let chars: Vec<char> = src.trim().chars().collect();
    let mut i = 0;
    let mut terms: Vec<Search> = Vec::new();
    let mut ops: Vec<bool> = Vec::new(); // true = AND
    loop {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        if chars[i] == '"' {
            i += 1;
            let mut v = String::new();
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    i += 1;
                }
                v.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(bad());
            }
            i += 1;
            let (p, t) = match v.split_once(':') {
                Some((p, t)) => (p.trim().to_string(), t.to_string()),
                None => ("displayName".to_string(), v.clone()),
            };
            terms.push(Search::Term(p, t));
        } else {
            let mut w = String::new();
            while i < chars.len() && chars[i] != ' ' {
                w.push(chars[i]);
                i += 1;
            }
            match w.as_str() {
                "AND" => ops.push(true),
                "OR" => ops.push(false),
                _ => return Err(bad()),
            }
        }
    }
    if terms.is_empty() || ops.len() + 1 != terms.len() {
        return Err(bad());
    }
    // AND binds tighter than OR.
    let mut ors: Vec<Search> = Vec::new();
    let mut it = terms.into_iter();
    let mut cur = it.next().ok_or_else(bad)?;
    for (op, t) in ops.into_iter().zip(it) {
        if op {
            cur = Search::And(Box::new(cur), Box::new(t));
        } else {
            ors.push(cur);
            cur = t;
        }
    }
    ors.push(cur);
    let mut it = ors.into_iter();
    let mut acc = it.next().ok_or_else(bad)?;
    for s in it {
        acc = Search::Or(Box::new(acc), Box::new(s));
    }
    Ok(acc)
}

// ---------------------------------------------------------------------------------------------
// The whole query
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default)]
pub struct Query {
    pub select: Option<Vec<String>>,
    pub filter: Option<Filter>,
    pub filter_src: Option<String>,
    pub search: Option<Search>,
    pub orderby: Vec<(String, bool)>,
    pub top: Option<usize>,
    pub count: bool,
    pub skiptoken: Option<String>,
    pub deltatoken: Option<String>,
    pub expand: Option<String>,
    /// The request carried `ConsistencyLevel: eventual`.
    pub eventual: bool,
}

fn get<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    // Graph accepts the options with and without the `$` prefix, case-insensitively.
    let bare = name.trim_start_matches('$');
    q.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name) || k.eq_ignore_ascii_case(bare))
        .map(|(_, v)| v.as_str())
}

pub fn parse_top(v: &str) -> Result<usize, GErr> {
    let bad = || {
        GErr::bad_request(format!(
            "Invalid page size specified: '{v}'. Must be between 1 and 999 inclusive."
        ))
    };
    let n: i64 = v.trim().parse().map_err(|_| bad())?;
    if !(1..=999).contains(&n) {
        return Err(bad());
    }
    Ok(n as usize)
}

impl Query {
    pub fn parse(q: &[(String, String)], eventual: bool) -> Result<Query, GErr> {
        let mut out = Query {
            eventual,
            ..Default::default()
        };
        if let Some(s) = get(q, "$select") {
            let v: Vec<String> = s
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect();
            if !v.is_empty() {
                out.select = Some(v);
            }
        }
        if let Some(f) = get(q, "$filter") {
            if !f.trim().is_empty() {
                out.filter = Some(parse_filter(f)?);
                out.filter_src = Some(f.to_string());
            }
        }
        if let Some(s) = get(q, "$search") {
            if !eventual {
                return Err(GErr::unsupported(
                    "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
                ));
            }
            out.search = Some(parse_search(s)?);
        }
        if let Some(o) = get(q, "$orderby") {
            for part in o.split(',') {
                let mut it = part.split_whitespace();
                if let Some(p) = it.next() {
                    let desc = matches!(it.next(), Some(d) if d.eq_ignore_ascii_case("desc"));
                    out.orderby.push((p.to_string(), desc));
                }
            }
        }
        if let Some(t) = get(q, "$top") {
            out.top = Some(parse_top(t)?);
        }
        if let Some(c) = get(q, "$count") {
            match c.to_ascii_lowercase().as_str() {
                "true" => out.count = true,
                "false" => out.count = false,
                _ => {
                    return Err(GErr::bad(
                        "BadRequest",
                        format!("Invalid value '{c}' for $count query option found. Valid values are 'true', 'false'."),
                    ))
                }
            }
        }
        out.skiptoken = get(q, "$skiptoken").map(str::to_string);
        out.deltatoken = get(q, "$deltatoken").map(str::to_string);
        out.expand = get(q, "$expand").map(str::to_string);
        if get(q, "$skip").is_some() {
            return Err(GErr::bad(
                "Request_BadRequest",
                "'$skip' is not supported by the service.",
            ));
        }
        Ok(out)
    }

    /// Applies the advanced-query rules for a directory collection.
    /// `advanced_only` lists properties that only filter with an advanced query.
    pub fn check_advanced(&self, advanced_only: &[&str]) -> Result<(), GErr> {
        let advanced = self.eventual && self.count;
        if let Some(f) = &self.filter {
            if let Some(op) = f.advanced_reason() {
                if !advanced {
                    return Err(GErr::unsupported(format!(
                        "Operator '{op}' is not supported because the required parameters might be missing. Try adding $count with a value of true and the ConsistencyLevel header with a value of 'eventual'."
                    )));
                }
            }
            if !advanced {
                let mut props = Vec::new();
                f.properties(&mut props);
                for p in props {
                    if advanced_only.iter().any(|a| a.eq_ignore_ascii_case(&p)) {
                        return Err(GErr::unsupported(format!(
                            "Unsupported or invalid query filter clause specified for property '{p}' of resource 'User'."
                        )));
                    }
                }
            }
            if !self.orderby.is_empty() && !self.eventual {
                return Err(GErr::unsupported("Sorting not supported for current query."));
            }
        }
        Ok(())
    }

    pub fn sort(&self, items: &mut [&Map<String, Value>]) {
        if self.orderby.is_empty() {
            return;
        }
        items.sort_by(|a, b| {
            for (p, desc) in &self.orderby {
                let o = order_value(lookup(a, p)).cmp(&order_value(lookup(b, p)));
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
}

fn order_value(v: Option<&Value>) -> (u8, String) {
    match v {
        None | Some(Value::Null) => (1, String::new()),
        Some(Value::String(s)) => (0, s.to_lowercase()),
        Some(other) => (0, other.to_string()),
    }
}

/// Projects an object onto `$select` (or the default property set). Unset properties render as null.
/// Collection-valued properties are never null in Graph: unset renders as `[]`.
const COLLECTIONS: &[&str] = &[
    "assignedLicenses",
    "assignedPlans",
    "businessPhones",
    "imAddresses",
    "otherMails",
    "proxyAddresses",
    "identities",
    "provisionedPlans",
    "licenseAssignmentStates",
    "onPremisesProvisioningErrors",
    "serviceProvisioningErrors",
    "interests",
    "pastProjects",
    "responsibilities",
    "schools",
    "skills",
    "groupTypes",
    "assignedLabels",
    "resourceBehaviorOptions",
    "resourceProvisioningOptions",
    "homePhones",
    "emailAddresses",
    "categories",
    "children",
];

fn unset(k: &str) -> Value {
    if k.eq_ignore_ascii_case("deviceEnrollmentLimit") {
        // Non-nullable; the service's default limit.
        return Value::from(5000);
    }
    if k.eq_ignore_ascii_case("passwordProfile") {
        // Passwords are write-only: only the flags can be read.
        return serde_json::json!({"forceChangePasswordNextSignIn": false, "forceChangePasswordNextSignInWithMfa": false, "password": null});
    }
    if COLLECTIONS.iter().any(|c| c.eq_ignore_ascii_case(k)) {
        Value::Array(Vec::new())
    } else {
        Value::Null
    }
}

pub fn project(
    obj: &Map<String, Value>,
    select: Option<&[String]>,
    defaults: &[&str],
    hidden: &[&str],
) -> Map<String, Value> {
    let mut out = Map::new();
    let mut put = |k: &str| {
        let v = if hidden.contains(&k) {
            Value::Null
        } else {
            lookup(obj, k).cloned().unwrap_or_else(|| unset(k))
        };
        let key = obj
            .keys()
            .find(|x| x.eq_ignore_ascii_case(k))
            .cloned()
            .unwrap_or_else(|| k.to_string());
        out.insert(key, v);
    };
    match select {
        Some(sel) => {
            for k in sel {
                put(k)
            }
            // Graph returns the key with every selected entity.
            if let Some(id) = obj.get("id") {
                if !sel.iter().any(|s| s.eq_ignore_ascii_case("id")) {
                    out.insert("id".into(), id.clone());
                }
            }
        }
        None if defaults.is_empty() => {
            for (k, v) in obj {
                if hidden.contains(&k.as_str()) {
                    continue;
                }
                out.insert(k.clone(), v.clone());
            }
        }
        None => {
            for k in defaults {
                put(k)
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn unquoted_guids_are_literals_even_when_they_start_with_a_letter() {
        let u = obj(json!({"assignedLicenses":[{"skuId":"c7df2760-2c81-4ef7-b578-5b5392b571df","disabledPlans":[]}]}));
        let holds = |sku: &str| {
            parse_filter(&format!("assignedLicenses/any(x:x/skuId eq {sku})"))
                .unwrap()
                .eval(&u)
        };
        assert!(holds("c7df2760-2c81-4ef7-b578-5b5392b571df"));
        assert!(!holds("d17b27af-3f49-4822-99f9-56a661538792"));
        assert!(!holds("48a80680-7326-48cd-9935-b556b81d3a4e"));
        // Not a GUID: still an identifier, so a typo is a syntax error rather than a silent match.
        assert!(parse_filter("assignedLicenses/any(x:x/skuId eq c7df2760x)").is_err());
    }

    #[test]
    fn parses_and_evaluates_eq_startswith_in_and_or() {
        let u = obj(
            json!({"displayName":"Adele Vance","mail":"AdeleV@contoso.com","accountEnabled":true,"businessPhones":["+1 425"]}),
        );
        assert!(parse_filter("displayName eq 'adele vance'").unwrap().eval(&u));
        assert!(parse_filter("startswith(displayName,'Ade') and accountEnabled eq true")
            .unwrap()
            .eval(&u));
        assert!(
            !parse_filter("startswith(displayName,'Meg') or accountEnabled eq false")
                .unwrap()
                .eval(&u)
        );
        assert!(parse_filter("mail in ('x@y.com', 'adelev@contoso.com')")
            .unwrap()
            .eval(&u));
        assert!(parse_filter("businessPhones/any(p:p eq '+1 425')").unwrap().eval(&u));
        assert!(
            parse_filter("(displayName eq 'x' or displayName eq 'Adele Vance') and not(accountEnabled eq false)")
                .unwrap()
                .eval(&u)
        );
    }

    #[test]
    fn doubled_quote_is_an_escaped_quote() {
        let u = obj(json!({"surname":"O'Brien"}));
        assert!(parse_filter("surname eq 'O''Brien'").unwrap().eval(&u));
    }

    #[test]
    fn syntax_errors_are_graph_bad_requests() {
        let e = parse_filter("displayName eq").unwrap_err();
        assert_eq!(e.code, "BadRequest");
        assert!(e.message.starts_with("Invalid filter clause"), "{}", e.message);
        assert!(parse_filter("startswith(displayName 'x')").is_err());
        assert!(parse_filter("displayName eq 'unterminated").is_err());
    }

    #[test]
    fn advanced_rules_need_header_and_count() {
        let q = |f: &str, ev: bool, count: bool| {
            let mut v = vec![("$filter".to_string(), f.to_string())];
            if count {
                v.push(("$count".into(), "true".into()));
            }
            Query::parse(&v, ev).unwrap()
        };
        assert!(q("displayName ne 'x'", false, false).check_advanced(&[]).is_err());
        assert!(q("displayName ne 'x'", true, false).check_advanced(&[]).is_err());
        assert!(q("displayName ne 'x'", true, true).check_advanced(&[]).is_ok());
        assert!(q("endswith(mail,'@contoso.com')", false, true)
            .check_advanced(&[])
            .is_err());
        assert!(q("companyName eq 'x'", false, false)
            .check_advanced(&["companyName"])
            .is_err());
        assert!(q("companyName eq 'x'", true, true)
            .check_advanced(&["companyName"])
            .is_ok());
        let search = Query::parse(&[("$search".into(), "\"displayName:a\"".into())], false).unwrap_err();
        assert!(search.message.contains("ConsistencyLevel: eventual"));
    }

    #[test]
    fn top_bounds_use_graphs_text() {
        assert_eq!(parse_top("999").unwrap(), 999);
        let e = parse_top("1000").unwrap_err();
        assert_eq!(
            e.message,
            "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
        );
        assert!(parse_top("0").is_err());
        assert!(parse_top("abc").is_err());
    }

    #[test]
    fn search_is_tokenised_not_contains() {
        assert_eq!(
            tokenize("ContosoGolf2024 team"),
            vec!["contoso", "golf", "2024", "team"]
        );
        let s = parse_search("\"displayName:golf\"").unwrap();
        assert!(s.eval(&obj(json!({"displayName":"ContosoGolf"}))));
        assert!(!s.eval(&obj(json!({"displayName":"Minigolfers"}))));
        let s = parse_search("\"displayName:vance adele\" OR \"mail:megan\"").unwrap();
        assert!(s.eval(&obj(json!({"displayName":"Adele Vance"}))));
        assert!(s.eval(&obj(json!({"displayName":"x","mail":"MeganB@x.com"}))));
        assert!(parse_search("\"displayName:a\" XOR \"b\"").is_err());
        // The in-place ASCII scan agrees with the allocating tokeniser.
        for (v, w, hit) in [
            ("ContosoGolf2024 team", "golf 20", true),
            ("Adele Vance", "van ad", true),
            ("Minigolfers", "golf", false),
            ("Zoë Ångström", "ång", true),
        ] {
            let want = tokenize(w);
            assert_eq!(tokens_match(v, &want), hit, "{v} / {w}");
        }
    }

    #[test]
    fn id_list_for_delta_filters() {
        let f = parse_filter("id eq 'a' or id eq 'b'").unwrap();
        assert_eq!(f.id_list().unwrap(), vec!["a", "b"]);
        assert!(parse_filter("displayName eq 'a'").unwrap().id_list().is_none());
    }

    #[test]
    fn projection_renders_unset_as_null_and_hides_secrets() {
        let u = obj(json!({"id":"1","displayName":"A","passwordProfile":{"password":"x"}}));
        let p = project(
            &u,
            Some(&["displayName".into(), "jobTitle".into(), "passwordProfile".into()]),
            &[],
            &["passwordProfile"],
        );
        assert_eq!(
            Value::Object(p),
            json!({"id":"1","displayName":"A","jobTitle":null,"passwordProfile":null})
        );
    }
}
