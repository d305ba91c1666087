//! OData query options, built so that hostile input cannot break out of a literal or a parameter.
//!
//! * String literals in `$filter` double `'` (`O'Brien` → `'O''Brien'`).
//! * Every query value is percent-encoded strictly when the request is built (`encode::query`).
//! * `$search` clauses are quoted, with `"` and `\` backslash-escaped.
//! * `ConsistencyLevel: eventual` is added whenever the query needs it (`$count`, `$search`,
//!   `ne`/`not`/`endswith`, `$filter` + `$orderby`).

use crate::error::Error;
use crate::ids::is_guid;

/// Quotes an OData string literal: `O'Brien` → `'O''Brien'`.
pub fn odata_string(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A value on the right-hand side of a `$filter` comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    String(String),
    Bool(bool),
    Int(i64),
    Null,
    /// An Edm.Guid, written unquoted (`skuId eq c7df2760-…`). Build it with `FilterValue::guid`.
    Guid(String),
}

impl FilterValue {
    /// A GUID literal, or `None` when `s` is not a GUID (so no text can slip in unquoted).
    pub fn guid(s: &str) -> Option<FilterValue> {
        let s = s.trim();
        is_guid(s).then(|| FilterValue::Guid(s.to_ascii_lowercase()))
    }

    fn literal(&self) -> String {
        match self {
            FilterValue::Guid(g) => g.clone(),
            FilterValue::String(s) => odata_string(s),
            FilterValue::Bool(b) => b.to_string(),
            FilterValue::Int(i) => i.to_string(),
            FilterValue::Null => "null".to_string(),
        }
    }
}

impl From<&str> for FilterValue {
    fn from(v: &str) -> Self {
        FilterValue::String(v.to_string())
    }
}
impl From<String> for FilterValue {
    fn from(v: String) -> Self {
        FilterValue::String(v)
    }
}
impl From<&String> for FilterValue {
    fn from(v: &String) -> Self {
        FilterValue::String(v.clone())
    }
}
impl From<bool> for FilterValue {
    fn from(v: bool) -> Self {
        FilterValue::Bool(v)
    }
}
impl From<i64> for FilterValue {
    fn from(v: i64) -> Self {
        FilterValue::Int(v)
    }
}

/// A `$filter` expression. Property names are checked (letters, digits, `_`, `/`, `.`), values
/// are always literals, so user input can never become OData syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    expr: Result<String, String>,
    advanced: bool,
}

fn check_prop(prop: &str) -> Result<&str, String> {
    let ok = !prop.is_empty()
        && prop
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '.'))
        && prop.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if ok {
        Ok(prop)
    } else {
        Err(format!("'{prop}' is not a property name that can be filtered on"))
    }
}

impl Filter {
    fn leaf(prop: &str, f: impl FnOnce(&str) -> String, advanced: bool) -> Filter {
        Filter {
            expr: check_prop(prop).map(f),
            advanced,
        }
    }

    /// `prop eq value`
    pub fn eq(prop: &str, value: impl Into<FilterValue>) -> Filter {
        let v = value.into().literal();
        Filter::leaf(prop, |p| format!("{p} eq {v}"), false)
    }
    /// `prop ne value` (an advanced query).
    pub fn ne(prop: &str, value: impl Into<FilterValue>) -> Filter {
        let v = value.into().literal();
        Filter::leaf(prop, |p| format!("{p} ne {v}"), true)
    }
    /// `startswith(prop,'value')`
    pub fn starts_with(prop: &str, value: &str) -> Filter {
        let v = odata_string(value);
        Filter::leaf(prop, |p| format!("startswith({p},{v})"), false)
    }
    /// `endswith(prop,'value')` (an advanced query; only mail, otherMails, userPrincipalName,
    /// proxyAddresses support it).
    pub fn ends_with(prop: &str, value: &str) -> Filter {
        let v = odata_string(value);
        Filter::leaf(prop, |p| format!("endswith({p},{v})"), true)
    }
    /// `collection/any(x:x eq 'value')`, e.g. `otherMails`, `proxyAddresses`, `imAddresses`.
    pub fn any_eq(collection: &str, value: impl Into<FilterValue>) -> Filter {
        let v = value.into().literal();
        Filter::leaf(collection, |p| format!("{p}/any(x:x eq {v})"), false)
    }
    /// `collection/any(x:x/sub eq 'value')`, e.g. `emailAddresses/any(x:x/address eq '…')`.
    pub fn any_sub_eq(collection: &str, sub: &str, value: impl Into<FilterValue>) -> Filter {
        let v = value.into().literal();
        let sub = match check_prop(sub) {
            Ok(s) => s.to_string(),
            Err(e) => {
                return Filter {
                    expr: Err(e),
                    advanced: false,
                }
            }
        };
        Filter::leaf(collection, |p| format!("{p}/any(x:x/{sub} eq {v})"), false)
    }

    fn combine(self, op: &str, other: Filter) -> Filter {
        let advanced = self.advanced || other.advanced;
        let expr = match (self.expr, other.expr) {
            (Ok(a), Ok(b)) => Ok(format!("({a}) {op} ({b})")),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        Filter { expr, advanced }
    }

    /// `(self) and (other)`
    pub fn and(self, other: Filter) -> Filter {
        self.combine("and", other)
    }
    /// `(self) or (other)`
    pub fn or(self, other: Filter) -> Filter {
        self.combine("or", other)
    }
    /// `not (self)` (an advanced query).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter {
        Filter {
            expr: self.expr.map(|e| format!("not ({e})")),
            advanced: true,
        }
    }

    /// Joins clauses with `and`; `None` for an empty list.
    pub fn all(clauses: impl IntoIterator<Item = Filter>) -> Option<Filter> {
        clauses.into_iter().reduce(|a, b| a.and(b))
    }
    /// Joins clauses with `or`; `None` for an empty list.
    pub fn any(clauses: impl IntoIterator<Item = Filter>) -> Option<Filter> {
        clauses.into_iter().reduce(|a, b| a.or(b))
    }

    /// Whether Graph treats this filter as an advanced query.
    pub fn is_advanced(&self) -> bool {
        self.advanced
    }

    /// The OData text (before percent-encoding), or why it could not be built.
    pub fn to_odata(&self) -> Result<&str, Error> {
        self.expr.as_deref().map_err(|e| Error::invalid_input(e.clone()))
    }
}

/// A `$search` expression: quoted `"property:value"` clauses joined by upper-case `AND`/`OR`.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    expr: Result<String, String>,
}

impl Search {
    /// One clause: `"prop:value"`, with `"` and `\` escaped in the value.
    pub fn term(prop: &str, value: &str) -> Search {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        Search {
            expr: check_prop(prop).map(|p| format!("\"{p}:{escaped}\"")),
        }
    }
    fn combine(self, op: &str, other: Search) -> Search {
        let expr = match (self.expr, other.expr) {
            (Ok(a), Ok(b)) => Ok(format!("{a} {op} {b}")),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        Search { expr }
    }
    /// `self OR other`
    pub fn or(self, other: Search) -> Search {
        self.combine("OR", other)
    }
    /// `self AND other`
    pub fn and(self, other: Search) -> Search {
        self.combine("AND", other)
    }
    /// The `$search` text (before percent-encoding).
    pub fn to_odata(&self) -> Result<&str, Error> {
        self.expr.as_deref().map_err(|e| Error::invalid_input(e.clone()))
    }
}

/// Sort direction for `$orderby`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Asc,
    Desc,
}

/// Query options for a list request. Build with the methods; nothing is sent until a list call.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    select: Vec<String>,
    filter: Option<Filter>,
    search: Option<Search>,
    order_by: Vec<(String, Order)>,
    count: bool,
    top: Option<u16>,
    expand: Option<String>,
    force_advanced: bool,
}

impl ListQuery {
    pub fn new() -> Self {
        ListQuery::default()
    }
    /// `$select=a,b,c` (replaces any previous selection).
    pub fn select(mut self, props: &[&str]) -> Self {
        self.select = props.iter().map(|s| s.to_string()).collect();
        self
    }
    /// `$filter=…`
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filter = Some(filter);
        self
    }
    /// `$search=…` (always an advanced query).
    pub fn search(mut self, search: Search) -> Self {
        self.search = Some(search);
        self
    }
    /// Adds a `$orderby` key.
    pub fn order_by(mut self, prop: &str, order: Order) -> Self {
        self.order_by.push((prop.to_string(), order));
        self
    }
    /// `$count=true` (an advanced query).
    pub fn count(mut self, yes: bool) -> Self {
        self.count = yes;
        self
    }
    /// `$top`, clamped into Graph's accepted range 1..=999.
    pub fn top(mut self, n: u32) -> Self {
        self.top = Some(n.clamp(1, 999) as u16);
        self
    }
    /// `$expand=…` (not allowed together with advanced queries; Graph will say so).
    pub fn expand(mut self, expand: &str) -> Self {
        self.expand = Some(expand.to_string());
        self
    }
    /// Sends `ConsistencyLevel: eventual` and `$count=true` even when not strictly needed, so
    /// every operator works (the Search cards do this; results are eventually consistent).
    pub fn advanced(mut self) -> Self {
        self.force_advanced = true;
        self.count = true;
        self
    }

    /// The effective `$top`, if any.
    pub fn top_value(&self) -> Option<u16> {
        self.top
    }

    /// Whether the request needs `ConsistencyLevel: eventual`.
    pub fn needs_eventual_consistency(&self) -> bool {
        self.force_advanced
            || self.count
            || self.search.is_some()
            || self.filter.as_ref().is_some_and(|f| f.is_advanced())
            || (self.filter.is_some() && !self.order_by.is_empty())
    }

    /// `(name, raw value)` pairs, unencoded, in a stable order.
    pub(crate) fn pairs(&self) -> Result<Vec<(&'static str, String)>, Error> {
        let mut out = Vec::new();
        if !self.select.is_empty() {
            for s in &self.select {
                check_prop(s).map_err(Error::invalid_input)?;
            }
            out.push(("$select", self.select.join(",")));
        }
        if let Some(f) = &self.filter {
            out.push(("$filter", f.to_odata()?.to_string()));
        }
        if let Some(s) = &self.search {
            out.push(("$search", s.to_odata()?.to_string()));
        }
        if !self.order_by.is_empty() {
            let mut keys = Vec::new();
            for (p, o) in &self.order_by {
                check_prop(p).map_err(Error::invalid_input)?;
                keys.push(match o {
                    Order::Asc => p.clone(),
                    Order::Desc => format!("{p} desc"),
                });
            }
            out.push(("$orderby", keys.join(",")));
        }
        if self.count {
            out.push(("$count", "true".to_string()));
        }
        if let Some(t) = self.top {
            out.push(("$top", t.to_string()));
        }
        if let Some(e) = &self.expand {
            out.push(("$expand", e.clone()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn guid_literals_are_unquoted_and_only_ever_guids() {
        let sku = FilterValue::guid("C7DF2760-2C81-4EF7-B578-5B5392B571DF").unwrap();
        let f = Filter::any_sub_eq("assignedLicenses", "skuId", sku);
        assert_eq!(
            f.to_odata().unwrap(),
            "assignedLicenses/any(x:x/skuId eq c7df2760-2c81-4ef7-b578-5b5392b571df)"
        );
        assert_eq!(FilterValue::guid("c7df2760 or true"), None);
        assert_eq!(FilterValue::guid("'x'"), None);
    }

    use super::*;
    use crate::encode;

    #[test]
    fn string_literals_double_single_quotes() {
        let f = Filter::eq("displayName", "O'Brien");
        assert_eq!(f.to_odata().unwrap(), "displayName eq 'O''Brien'");
        assert!(!f.is_advanced());
    }

    #[test]
    fn hostile_values_are_strictly_percent_encoded() {
        let f = Filter::eq("userPrincipalName", "a+b_x.com#EXT#@y.com & 100% ünï");
        let q = encode::query([("$filter", f.to_odata().unwrap())]);
        assert_eq!(
            q,
            "$filter=userPrincipalName%20eq%20%27a%2Bb_x.com%23EXT%23%40y.com%20%26%20100%25%20%C3%BCn%C3%AF%27"
        );
        assert!(!q.contains('+') && !q.contains('#') && !q.contains(" "));
    }

    #[test]
    fn injection_through_property_names_is_refused() {
        let f = Filter::eq("displayName eq 'x' or true", "y");
        assert_eq!(f.to_odata().unwrap_err().kind(), crate::ErrorKind::Validation);
        let combined = Filter::eq("city", "Oslo").and(f);
        assert!(combined.to_odata().is_err());
    }

    #[test]
    fn combinators_and_advanced_detection() {
        let f = Filter::starts_with("givenName", "Ad")
            .and(Filter::eq("department", "Sales"))
            .and(Filter::eq("accountEnabled", true));
        assert_eq!(
            f.to_odata().unwrap(),
            "((startswith(givenName,'Ad')) and (department eq 'Sales')) and (accountEnabled eq true)"
        );
        assert!(!f.is_advanced());
        assert!(Filter::ne("userType", "Member").is_advanced());
        assert!(Filter::ends_with("mail", "@contoso.com").is_advanced());
        assert!(Filter::eq("a", 1i64).not().is_advanced());
        assert_eq!(
            Filter::any_eq("proxyAddresses", "SMTP:x@y.com").to_odata().unwrap(),
            "proxyAddresses/any(x:x eq 'SMTP:x@y.com')"
        );
        assert_eq!(
            Filter::any_sub_eq("emailAddresses", "address", "o'k@x.com")
                .to_odata()
                .unwrap(),
            "emailAddresses/any(x:x/address eq 'o''k@x.com')"
        );
    }

    #[test]
    fn search_clauses_are_quoted_and_escaped() {
        let s = Search::term("displayName", r#"say "hi" \o/"#).or(Search::term("mail", "ann"));
        assert_eq!(s.to_odata().unwrap(), r#""displayName:say \"hi\" \\o/" OR "mail:ann""#);
    }

    #[test]
    fn top_is_clamped_into_graph_range() {
        assert_eq!(ListQuery::new().top(0).top_value(), Some(1));
        assert_eq!(ListQuery::new().top(1000).top_value(), Some(999));
        assert_eq!(ListQuery::new().top(250).top_value(), Some(250));
    }

    #[test]
    fn eventual_consistency_is_needed_exactly_when_graph_says() {
        assert!(!ListQuery::new().select(&["id"]).top(999).needs_eventual_consistency());
        assert!(!ListQuery::new()
            .filter(Filter::eq("a", "b"))
            .needs_eventual_consistency());
        assert!(ListQuery::new().count(true).needs_eventual_consistency());
        assert!(ListQuery::new()
            .search(Search::term("displayName", "x"))
            .needs_eventual_consistency());
        assert!(ListQuery::new()
            .filter(Filter::ne("a", "b"))
            .needs_eventual_consistency());
        assert!(ListQuery::new()
            .filter(Filter::eq("a", "b"))
            .order_by("displayName", Order::Asc)
            .needs_eventual_consistency());
        assert!(!ListQuery::new()
            .order_by("displayName", Order::Asc)
            .needs_eventual_consistency());
    }
}
