//! Checks made before anything is sent, with messages that name the form field.

use crate::Error;

/// A required text field: trimmed, not empty, at most `max` characters.
pub fn required(field: &'static str, label: &str, value: &str, max: usize) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, format!("Enter the {label}.")));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("The {label} can be at most {max} characters long."),
        ));
    }
    Ok(v.to_string())
}

/// An optional text field: trimmed, empty means absent.
pub fn optional(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A user principal name (sign-in name): `alias@domain`, the alias using only
/// `A–Z a–z 0–9 ' . - _ ! # ^ ~` (Graph's rule, cards.md §0.2), at most 113 characters before
/// the `@` is not checked here (Graph's limits are 64 for the alias and 256 in total).
pub fn upn(field: &'static str, value: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter a sign-in name (user principal name) such as adele.vance@contoso.com.",
        ));
    }
    let Some((alias, domain)) = v.rsplit_once('@') else {
        return Err(Error::invalid(
            field,
            format!("“{v}” needs an @ and a domain, for example adele.vance@contoso.com."),
        ));
    };
    if alias.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter the part before the @ of the sign-in name.",
        ));
    }
    if let Some(bad) = alias
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "'.-_!#^~".contains(*c)))
    {
        return Err(Error::invalid(
            field,
            format!(
                "The sign-in name cannot contain “{bad}”. Use only letters A–Z without accents, digits and ' . - _ ! # ^ ~ before the @."
            ),
        ));
    }
    if alias.starts_with('.') || alias.ends_with('.') || alias.contains("..") {
        return Err(Error::invalid(
            field,
            "The part before the @ cannot start or end with a dot, or have two dots in a row.",
        ));
    }
    if alias.chars().count() > 64 {
        return Err(Error::invalid(
            field,
            "The part before the @ can be at most 64 characters long.",
        ));
    }
    if v.chars().count() > 113 {
        return Err(Error::invalid(
            field,
            "The sign-in name can be at most 113 characters long.",
        ));
    }
    domain_name(field, domain)?;
    Ok(v.to_string())
}

fn domain_name(field: &'static str, domain: &str) -> Result<(), Error> {
    let ok = !domain.is_empty()
        && domain.contains('.')
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("“{domain}” is not a domain name. After the @ write one of your organisation's domains, such as contoso.com."),
        ))
    }
}

/// A mail nickname (the alias part of mail addresses): 1–64 printable ASCII characters except
/// `@ ( ) \ [ ] " ; : < > ,` and spaces; `.` only for people (not first, last or doubled) — groups
/// may not use it at all (Graph's rule for groups, cards.md §1.7).
pub fn mail_nickname(field: &'static str, value: &str, dots_allowed: bool) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter a mail nickname (the part of the email address before the @).",
        ));
    }
    if v.chars().count() > 64 {
        return Err(Error::invalid(
            field,
            "The mail nickname can be at most 64 characters long.",
        ));
    }
    if let Some(bad) = v.chars().find(|c| {
        !c.is_ascii() || c.is_ascii_control() || " @()\\[]\";:<>,".contains(*c) || (*c == '.' && !dots_allowed)
    }) {
        let what = if bad == ' ' {
            "spaces".to_string()
        } else {
            format!("“{bad}”")
        };
        return Err(Error::invalid(
            field,
            format!("The mail nickname cannot contain {what}. Use letters, digits, - and _ (for example sales-team)."),
        ));
    }
    if v.starts_with('.') || v.ends_with('.') || v.contains("..") {
        return Err(Error::invalid(
            field,
            "The mail nickname cannot start or end with a dot, or have two dots in a row.",
        ));
    }
    Ok(v.to_string())
}

/// A new password, checked against Entra's default policy: 8–256 characters, and at least three
/// of: lower-case letters, upper-case letters, digits, symbols. It must not contain the alias.
pub fn password(field: &'static str, value: &str, alias: &str) -> Result<(), Error> {
    let n = value.chars().count();
    if n < 8 {
        return Err(Error::invalid(
            field,
            "The password must be at least 8 characters long.",
        ));
    }
    if n > 256 {
        return Err(Error::invalid(
            field,
            "The password can be at most 256 characters long.",
        ));
    }
    let kinds = [
        value.chars().any(|c| c.is_lowercase()),
        value.chars().any(|c| c.is_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_alphanumeric()),
    ]
    .iter()
    .filter(|k| **k)
    .count();
    if kinds < 3 {
        return Err(Error::invalid(
            field,
            "The password needs at least three of these: lower-case letters, upper-case letters, digits, symbols.",
        ));
    }
    if alias.len() >= 3 && value.to_lowercase().contains(&alias.to_lowercase()) {
        return Err(Error::invalid(
            field,
            "The password must not contain the person's sign-in name.",
        ));
    }
    Ok(())
}

/// An email address for an invitation: `local@domain`, the local part without
/// `~ ! # $ % ^ & * ( ) + = [ ] { } \ / | ; : ' < > ? ,` and with `.`/`-` not at its start or end
/// (the invitation's documented rule, cards.md §1.8).
pub fn email(field: &'static str, value: &str) -> Result<String, Error> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(field, "Enter an email address."));
    }
    let Some((local, domain)) = v.rsplit_once('@') else {
        return Err(Error::invalid(
            field,
            format!("“{v}” is not an email address: it needs an @ and a domain."),
        ));
    };
    if local.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter the part of the email address before the @.",
        ));
    }
    if let Some(bad) = local
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "~!#$%^&*()+=[]{}\\/|;:'<>?,\"@".contains(*c))
    {
        return Err(Error::invalid(
            field,
            format!("An email address for an invitation cannot contain “{bad}” before the @."),
        ));
    }
    if local.starts_with(['.', '-']) || local.ends_with(['.', '-']) {
        return Err(Error::invalid(
            field,
            "The part of the email address before the @ cannot start or end with . or -.",
        ));
    }
    domain_name(field, domain)?;
    Ok(v.to_string())
}

/// A usage location: a two-letter ISO 3166 country code, upper-cased.
pub fn usage_location(field: &'static str, value: &str) -> Result<String, Error> {
    let v = value.trim().to_ascii_uppercase();
    if v.len() != 2 || !v.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(Error::invalid(
            field,
            "Usage location is a two-letter country code, for example US, GB or DE.",
        ));
    }
    Ok(v)
}

/// A GUID (object id, SKU id, service plan id), lower-cased.
pub fn is_guid(s: &str) -> bool {
    msgraph::is_guid(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
        r.unwrap_err().field().unwrap()
    }

    #[test]
    fn upn_rules_name_the_offending_character() {
        assert_eq!(
            upn("upn", " adele.vance@contoso.com ").unwrap(),
            "adele.vance@contoso.com"
        );
        assert!(upn("upn", "o'brien#1@contoso.com").is_ok());
        let e = upn("upn", "zoë@contoso.com").unwrap_err();
        assert!(e.to_string().contains("“ë”"), "{e}");
        let e = upn("upn", "anna smith@contoso.com").unwrap_err();
        assert!(e.to_string().contains("“ ”"), "{e}");
        assert_eq!(field(upn("userPrincipalName", "adele")), "userPrincipalName");
        assert!(upn("upn", "adele@contoso").is_err());
        assert!(upn("upn", ".adele@contoso.com").is_err());
        assert!(upn("upn", "@contoso.com").is_err());
    }

    #[test]
    fn mail_nicknames_refuse_spaces_and_symbols() {
        assert_eq!(mail_nickname("n", "sales-team", false).unwrap(), "sales-team");
        assert!(mail_nickname("n", "sales team", false)
            .unwrap_err()
            .to_string()
            .contains("spaces"));
        assert!(mail_nickname("n", "sales.team", false).is_err());
        assert_eq!(mail_nickname("n", "kim.lee", true).unwrap(), "kim.lee");
        assert!(mail_nickname("n", "kim.", true).is_err());
        assert!(mail_nickname("n", "équipe", true).is_err());
        assert!(mail_nickname("n", &"a".repeat(65), true).is_err());
    }

    #[test]
    fn passwords_need_three_kinds_and_eight_characters() {
        assert!(password("p", "xWwvJ]6NMw+bWH-d", "adele").is_ok());
        assert!(password("p", "Short1!", "x").is_err());
        assert!(password("p", "alllowercase", "x").is_err());
        assert!(password("p", "lowerUPPER", "x").is_err());
        assert!(password("p", "lowerUPPER1", "x").is_ok());
        assert!(password("p", "Adele2024!", "adele")
            .unwrap_err()
            .to_string()
            .contains("sign-in name"));
    }

    #[test]
    fn invitation_emails_follow_the_documented_rule() {
        assert!(email("e", "kim@fabrikam.com").is_ok());
        assert!(email("e", "kim.lee-x_y@fabrikam.co.uk").is_ok());
        assert!(email("e", "kim+test@fabrikam.com").is_err());
        assert!(email("e", ".kim@fabrikam.com").is_err());
        assert!(email("e", "kim@").is_err());
        assert!(email("e", "kim").is_err());
    }

    #[test]
    fn usage_location_is_two_letters() {
        assert_eq!(usage_location("u", " gb ").unwrap(), "GB");
        assert!(usage_location("u", "GBR").is_err());
        assert!(usage_location("u", "1A").is_err());
    }
}
