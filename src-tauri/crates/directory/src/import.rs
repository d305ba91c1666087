//! CSV import, checked before anything is sent: the file is parsed with the `csv` crate, and every
//! row is checked with the same rules as the single forms (Create User's [`users::checked_new_user`],
//! the sign-in name rules for members), each bad row named by its line in the file with the reason.
//! Nothing here sends anything: what runs the good rows is the caller's (the bulk-job engine).
//! Each kind has a template (its header and an example row) to download and fill in.

use msgraph::{NewUser, PasswordProfile};

use crate::{users, validate, Error};

/// The template of "create users": its columns, in order, and an example row.
pub const CREATE_USERS: [&str; 6] = [
    "Display name",
    "Sign-in name",
    "Temporary password",
    "Job title",
    "Department",
    "Usage location",
];
const CREATE_USERS_EXAMPLE: [&str; 6] = [
    "Kim Lee",
    "kim.lee@contoso.com",
    "Maple-Harbour-72",
    "Buyer",
    "Purchasing",
    "GB",
];

/// The template of "add members to a group": one person a line.
pub const ADD_MEMBERS: [&str; 1] = ["Sign-in name or email"];
const ADD_MEMBERS_EXAMPLE: [&str; 1] = ["kim.lee@contoso.com"];

/// A template as CSV text (header and example row) for `columns`.
pub fn template(columns: &[&str], example: &[&str]) -> Vec<Vec<String>> {
    vec![
        columns.iter().map(|c| c.to_string()).collect(),
        example.iter().map(|c| c.to_string()).collect(),
    ]
}

/// The create-users template (header, example).
pub fn create_users_template() -> Vec<Vec<String>> {
    template(&CREATE_USERS, &CREATE_USERS_EXAMPLE)
}

/// The add-members template (header, example).
pub fn add_members_template() -> Vec<Vec<String>> {
    template(&ADD_MEMBERS, &ADD_MEMBERS_EXAMPLE)
}

/// A row that passed the checks, with its line in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct GoodRow<T> {
    pub line: u64,
    pub value: T,
}

/// A row that did not, with its line, the column at fault (when one is) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub column: Option<String>,
    pub reason: String,
}

/// Every row of a file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T> {
    pub good: Vec<GoodRow<T>>,
    pub bad: Vec<BadRow>,
}

/// Reads `text` (a CSV file with the template's header) into rows of cells by column, checking
/// the header first: a file whose header lacks a column is refused whole.
fn rows(text: &str, columns: &[&str]) -> Result<Vec<(u64, Vec<String>)>, Error> {
    let text = text.trim_start_matches('\u{FEFF}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid("file", format!("The file is not a CSV file: {e}")))?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    let mut at = Vec::with_capacity(columns.len());
    for c in columns {
        let i = header.iter().position(|h| *h == c.to_lowercase()).ok_or_else(|| {
            Error::invalid(
                "file",
                format!(
                    "The file has no “{c}” column. Start from the template: its first line names the columns {}.",
                    columns.join(", ")
                ),
            )
        })?;
        at.push(i);
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::invalid("file", format!("The file could not be read: {e}")))?;
        // The line a text editor or spreadsheet shows: counted from the record's first byte
        // (blank lines and line breaks inside quoted cells included).
        let bytes = text.as_bytes();
        let mut start = record.position().map_or(0, |p| p.byte() as usize).min(bytes.len());
        // The reader's position of a record after blank lines is where the blank lines begin.
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        out.push((
            line,
            at.iter().map(|&i| record.get(i).unwrap_or("").to_string()).collect(),
        ));
    }
    Ok(out)
}

/// The reason in the words the single form shows, and the template column it is about.
fn bad(line: u64, columns: &[(&str, &str)], e: Error) -> BadRow {
    let column = e
        .field()
        .and_then(|f| columns.iter().find(|(field, _)| *field == f))
        .map(|(_, column)| column.to_string());
    BadRow {
        line,
        column,
        reason: e.to_string(),
    }
}

/// Create users: each row as Create User checks its form (display name, sign-in name, mail
/// nickname from it, temporary password, job title, department, usage location).
pub fn create_users(text: &str) -> Result<Checked<NewUser>, Error> {
    let fields = [
        ("displayName", "Display name"),
        ("userPrincipalName", "Sign-in name"),
        ("mailNickname", "Sign-in name"),
        ("password", "Temporary password"),
        ("jobTitle", "Job title"),
        ("department", "Department"),
        ("usageLocation", "Usage location"),
    ];
    let mut checked = Checked {
        good: Vec::new(),
        bad: Vec::new(),
    };
    for (line, cells) in rows(text, &CREATE_USERS)? {
        let [name, upn, password, job, department, location] = <[String; 6]>::try_from(cells).unwrap_or_default();
        let mut user = NewUser::new(
            name,
            "",
            upn,
            PasswordProfile {
                password,
                force_change_password_next_sign_in: true,
                force_change_password_next_sign_in_with_mfa: None,
            },
        );
        let set = |v: String| (!v.is_empty()).then_some(Some(v));
        user.profile.job_title = set(job);
        user.profile.department = set(department);
        user.profile.usage_location = (!location.is_empty()).then_some(location);
        match users::checked_new_user(&user) {
            Ok(value) => checked.good.push(GoodRow { line, value }),
            Err(e) => checked.bad.push(bad(line, &fields, e)),
        }
    }
    Ok(checked)
}

/// Add members to a group: each row a sign-in name or email address, checked as the sign-in name
/// rules check one (whether such a person exists is Graph's to say when the rows run).
pub fn add_members(text: &str) -> Result<Checked<String>, Error> {
    let mut checked = Checked {
        good: Vec::new(),
        bad: Vec::new(),
    };
    for (line, cells) in rows(text, &ADD_MEMBERS)? {
        let key = cells.into_iter().next().unwrap_or_default();
        match validate::upn("member", &key) {
            Ok(value) => checked.good.push(GoodRow { line, value }),
            Err(e) => checked.bad.push(bad(line, &[("member", ADD_MEMBERS[0])], e)),
        }
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_of(rows: &[Vec<String>]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn five_users_with_one_bad_row_name_the_line_and_the_reason_and_keep_the_good_ones() {
        let mut rows = vec![CREATE_USERS.map(String::from).to_vec()];
        for (name, upn) in [
            ("Kim Lee", "kim.lee@contoso.com"),
            ("Ana Ruiz", "ana.ruiz@contoso.com"),
            ("Pavel Bansky", "pavel bansky@contoso.com"),
            ("Zoë Ng", "zoe.ng@contoso.com"),
            ("Li Wei", "li.wei@contoso.com"),
        ] {
            rows.push(
                [name, upn, "Maple-Harbour-72", "Buyer", "Purchasing", "GB"]
                    .map(String::from)
                    .to_vec(),
            );
        }
        let checked = create_users(&csv_of(&rows)).unwrap();
        assert_eq!(checked.good.len(), 4);
        assert_eq!(checked.good.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5, 6]);
        assert_eq!(
            checked.good[0].value.mail_nickname, "kim.lee",
            "the nickname comes from the sign-in name, as in the form"
        );
        assert_eq!(checked.bad.len(), 1);
        let bad = &checked.bad[0];
        assert_eq!(bad.line, 4, "the header is line 1");
        assert_eq!(bad.column.as_deref(), Some("Sign-in name"));
        assert!(
            bad.reason.starts_with("The sign-in name cannot contain"),
            "{}",
            bad.reason
        );
    }

    #[test]
    fn a_weak_password_and_a_missing_name_are_reported_as_the_form_words_them() {
        let rows = vec![
            CREATE_USERS.map(String::from).to_vec(),
            ["", "kim.lee@contoso.com", "Maple-Harbour-72", "", "", ""]
                .map(String::from)
                .to_vec(),
            ["Ana Ruiz", "ana.ruiz@contoso.com", "short", "", "", ""]
                .map(String::from)
                .to_vec(),
        ];
        let checked = create_users(&csv_of(&rows)).unwrap();
        assert!(checked.good.is_empty());
        assert_eq!(checked.bad[0].column.as_deref(), Some("Display name"));
        assert_eq!(checked.bad[1].column.as_deref(), Some("Temporary password"));
        let single_form = users::checked_new_user(&NewUser::new(
            "Ana Ruiz",
            "",
            "ana.ruiz@contoso.com",
            PasswordProfile {
                password: "short".into(),
                force_change_password_next_sign_in: true,
                force_change_password_next_sign_in_with_mfa: None,
            },
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            checked.bad[1].reason, single_form,
            "the same words as the New user form"
        );
    }

    #[test]
    fn a_file_without_the_templates_columns_is_refused_whole_and_quoted_cells_are_read_whole() {
        let err = create_users("Name,Email\nKim,kim@contoso.com\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no “Display name” column"), "{err}");
        let text = "\u{FEFF}Sign-in name or email\n\"kim.lee@contoso.com\"\n\nnot an address\n";
        let checked = add_members(text).unwrap();
        assert_eq!(checked.good.len(), 1);
        assert_eq!(checked.bad.len(), 1);
        assert_eq!(checked.bad[0].line, 4, "blank lines are skipped but still counted");
        assert_eq!(create_users_template()[0], CREATE_USERS.map(String::from).to_vec());
        assert!(
            create_users(&csv_of(&create_users_template())).unwrap().bad.is_empty(),
            "the template's example passes"
        );
        assert!(add_members(&csv_of(&add_members_template())).unwrap().bad.is_empty());
    }
}
