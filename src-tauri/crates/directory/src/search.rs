//! Search by property values (Search Users 1.27, Search Groups 1.25): exact or starts-with
//! criteria become one `$filter`; free text becomes `$search`. Always an advanced query.

use msgraph::{Filter, ListQuery, Search};

use crate::Error;

/// A search of users or groups: a free-text search, property criteria, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchInput {
    /// Words to look for in the name, email address and sign-in name (`$search`).
    pub text: Option<String>,
    /// Property criteria, all of which must match (`$filter … and …`).
    pub criteria: Vec<Criterion>,
    pub mode: MatchMode,
    /// Only the first match (Okta's "First Matching Record").
    pub first_only: bool,
}

/// Exact Match or Starts With (Okta's "Search By").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatchMode {
    #[default]
    Exact,
    StartsWith,
}

/// One criterion: `property` (Graph's name, e.g. `department`) must match `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub property: String,
    pub value: String,
}

/// How a property is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    /// `eq` or `startswith`.
    Text,
    /// A collection: `any(x: x eq …)` (exact only).
    List,
    /// `true` / `false`, always `eq`.
    Bool,
    /// One of the listed values, always `eq`.
    Choice(&'static [&'static str]),
    /// A collection holding one of the listed values: `any(x: x eq …)`.
    ChoiceList(&'static [&'static str]),
}

/// Builds the query; refuses unknown properties, bad booleans and choices, and an empty search.
pub(crate) fn build(
    input: &SearchInput,
    properties: &[(&str, PropertyKind)],
    text_properties: &[&str],
) -> Result<ListQuery, Error> {
    let mut clauses = Vec::new();
    for c in &input.criteria {
        let value = c.value.trim();
        let Some((prop, kind)) = properties
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(c.property.trim()))
        else {
            return Err(Error::invalid(
                "criteria",
                format!(
                    "“{}” cannot be searched. Choose one of: {}.",
                    c.property,
                    properties.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
                ),
            ));
        };
        if value.is_empty() {
            continue;
        }
        let clause = match kind {
            PropertyKind::Text => match input.mode {
                MatchMode::Exact => Filter::eq(prop, value),
                MatchMode::StartsWith => Filter::starts_with(prop, value),
            },
            PropertyKind::List => Filter::any_eq(prop, value),
            PropertyKind::Bool => match value.to_ascii_lowercase().as_str() {
                "true" | "yes" => Filter::eq(prop, true),
                "false" | "no" => Filter::eq(prop, false),
                _ => return Err(Error::invalid("criteria", format!("{prop} is either true or false."))),
            },
            PropertyKind::Choice(values) | PropertyKind::ChoiceList(values) => {
                match values.iter().find(|v| v.eq_ignore_ascii_case(value)) {
                    Some(v) if matches!(kind, PropertyKind::ChoiceList(_)) => Filter::any_eq(prop, *v),
                    Some(v) => Filter::eq(prop, *v),
                    None => {
                        return Err(Error::invalid(
                            "criteria",
                            format!("{prop} is one of: {}.", values.join(", ")),
                        ))
                    }
                }
            }
        };
        clauses.push(clause);
    }
    let text = input.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if clauses.is_empty() && text.is_none() {
        return Err(Error::invalid("text", "Enter something to search for."));
    }
    let mut query = ListQuery::new().top(999).count(true).advanced();
    if let Some(f) = Filter::all(clauses) {
        query = query.filter(f);
    }
    if let Some(t) = text {
        let mut terms = text_properties.iter().map(|p| Search::term(p, t));
        if let Some(first) = terms.next() {
            query = query.search(terms.fold(first, Search::or));
        }
    }
    Ok(query)
}
