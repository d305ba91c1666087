//! Checks of a person's profile ([`msgraph::UserProfile`]) before Create or Update User sends it:
//! each text trimmed (empty = not set on a create, cleared on an update), Graph's length limits,
//! and the formats Graph refuses (language, hire date, email addresses, one business phone).
//! [`field`] checks one value by its property name; the New user and Edit forms check the same
//! cases with the same words (`tests/rules/profile-rules.json`, run by both sides).

use msgraph::UserProfile;

use crate::validate;
use crate::Error;

/// Graph's length limits of the free-text properties (Microsoft's user resource), with the
/// label a person sees.
const TEXT: &[(&str, &str, usize)] = &[
    ("givenName", "first name", 64),
    ("surname", "last name", 64),
    ("jobTitle", "job title", 128),
    ("department", "department", 64),
    ("companyName", "company name", 64),
    ("officeLocation", "office", 128),
    ("employeeId", "employee id", 16),
    ("employeeType", "employee type", 64),
    ("mobilePhone", "mobile phone", 64),
    ("businessPhones", "business phone", 64),
    ("faxNumber", "fax number", 64),
    ("streetAddress", "street address", 1024),
    ("city", "city", 128),
    ("state", "state or province", 128),
    ("postalCode", "postal code", 40),
    ("country", "country or region", 128),
    ("onPremisesImmutableId", "on-premises immutable id", 256),
    ("otherMails", "other email address", 256),
    ("aboutMe", "about me", 4000),
];

/// One profile value, by its Graph property name: `Ok(None)` when empty, else the value as it is
/// sent (trimmed; a hire date written as a day becomes Graph's date-time; a language code
/// gets its usual case; a usage location upper-cased).
pub fn field(name: &'static str, value: &str) -> Result<Option<String>, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if let Some((_, label, max)) = TEXT.iter().find(|(n, _, _)| *n == name) {
        if v.chars().count() > *max {
            return Err(Error::invalid(
                name,
                format!("The {label} can be at most {max} characters long."),
            ));
        }
    }
    match name {
        "preferredLanguage" => language(name, v).map(Some),
        "employeeHireDate" => hire_date(v).map(Some),
        "otherMails" => other_mail(v).map(Some),
        "usageLocation" => validate::usage_location(name, v).map(Some),
        _ => Ok(Some(v.to_string())),
    }
}

/// `en-US`, `fr`, `nb-NO`: a language code, then optionally a country code (its usual case
/// returned); refused for the form field `field`.
pub(crate) fn language(field: &'static str, v: &str) -> Result<String, Error> {
    let (lang, region) = v.split_once('-').unwrap_or((v, ""));
    let lang_ok = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_alphabetic());
    let region_ok =
        region.is_empty() && !v.contains('-') || region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic());
    if !lang_ok || !region_ok {
        return Err(Error::invalid(
            field,
            format!("“{v}” is not a language code. Use one such as en-US, fr-FR or de."),
        ));
    }
    Ok(if region.is_empty() {
        lang.to_ascii_lowercase()
    } else {
        format!("{}-{}", lang.to_ascii_lowercase(), region.to_ascii_uppercase())
    })
}

/// A day (`2026-03-01`) or Graph's date-time (`2026-03-01T00:00:00Z`).
fn hire_date(v: &str) -> Result<String, Error> {
    let day = v.split_once('T').map_or(v, |(d, _)| d);
    if !is_day(day) {
        return Err(Error::invalid(
            "employeeHireDate",
            format!("“{v}” is not a date. Write the hire date as year-month-day, for example 2026-03-01."),
        ));
    }
    Ok(if v.contains('T') {
        v.to_string()
    } else {
        format!("{day}T00:00:00Z")
    })
}

/// `YYYY-MM-DD`, a day that exists, from 1900 on.
pub(crate) fn is_day(day: &str) -> bool {
    let parts: Vec<&str> = day.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => y >= 1900 && (1..=12).contains(&m) && (1..=days_in(y, m)).contains(&d),
                _ => false,
            }
        }
        _ => false,
    }
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An address in "other email addresses": `local@domain.tld`, no spaces.
fn other_mail(v: &str) -> Result<String, Error> {
    let ok = v.rsplit_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !v.chars().any(char::is_whitespace)
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    });
    if !ok {
        return Err(Error::invalid(
            "otherMails",
            format!("“{v}” is not an email address, such as kim@fabrikam.com."),
        ));
    }
    Ok(v.to_string())
}

/// A text property of a change: absent stays absent; empty becomes "not set" on a create
/// (`None`) and "cleared" on an update (`Some(None)`).
fn text(name: &'static str, v: &mut Option<Option<String>>, creating: bool) -> Result<(), Error> {
    if let Some(inner) = v.take() {
        let checked = match inner {
            Some(s) => field(name, &s)?,
            None => None,
        };
        *v = match (checked, creating) {
            (Some(s), _) => Some(Some(s)),
            (None, true) => None,
            (None, false) => Some(None),
        };
    }
    Ok(())
}

/// A list property: each entry checked, empty entries dropped.
fn list(name: &'static str, v: &mut Option<Vec<String>>, creating: bool) -> Result<(), Error> {
    if let Some(items) = v.take() {
        let mut out = Vec::new();
        for i in &items {
            if let Some(s) = field(name, i)? {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        *v = if out.is_empty() && creating { None } else { Some(out) };
    }
    Ok(())
}

/// Checks and tidies a profile before it is sent; `creating`: for Create User (empty = not sent)
/// rather than Update User (empty = cleared).
pub fn check(p: &UserProfile, creating: bool) -> Result<UserProfile, Error> {
    let mut p = p.clone();
    for (name, v) in [
        ("givenName", &mut p.given_name),
        ("surname", &mut p.surname),
        ("jobTitle", &mut p.job_title),
        ("department", &mut p.department),
        ("companyName", &mut p.company_name),
        ("officeLocation", &mut p.office_location),
        ("employeeId", &mut p.employee_id),
        ("employeeType", &mut p.employee_type),
        ("employeeHireDate", &mut p.employee_hire_date),
        ("mobilePhone", &mut p.mobile_phone),
        ("faxNumber", &mut p.fax_number),
        ("streetAddress", &mut p.street_address),
        ("city", &mut p.city),
        ("state", &mut p.state),
        ("postalCode", &mut p.postal_code),
        ("country", &mut p.country),
        ("preferredLanguage", &mut p.preferred_language),
        ("onPremisesImmutableId", &mut p.on_premises_immutable_id),
    ] {
        text(name, v, creating)?;
    }
    list("businessPhones", &mut p.business_phones, creating)?;
    list("otherMails", &mut p.other_mails, creating)?;
    if p.business_phones.as_ref().is_some_and(|b| b.len() > 1) {
        return Err(Error::invalid(
            "businessPhones",
            "Only one business phone number can be set.",
        ));
    }
    if let Some(l) = &p.usage_location {
        p.usage_location = field("usageLocation", l)?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_is_not_sent_on_a_create_and_clears_on_an_update() {
        let p = UserProfile {
            city: Some(Some("  ".into())),
            department: Some(Some(" Sales ".into())),
            other_mails: Some(vec![" ".into()]),
            ..UserProfile::default()
        };
        let created = check(&p, true).unwrap();
        assert_eq!(created.city, None);
        assert_eq!(created.department, Some(Some("Sales".into())));
        assert_eq!(created.other_mails, None);
        let updated = check(&p, false).unwrap();
        assert_eq!(updated.city, Some(None));
        assert_eq!(updated.other_mails, Some(vec![]));
    }

    #[test]
    fn a_hire_date_written_as_a_day_is_sent_as_graphs_date_time() {
        let p = UserProfile {
            employee_hire_date: Some(Some("2026-03-01".into())),
            ..UserProfile::default()
        };
        assert_eq!(
            check(&p, true).unwrap().employee_hire_date,
            Some(Some("2026-03-01T00:00:00Z".into()))
        );
    }
}
