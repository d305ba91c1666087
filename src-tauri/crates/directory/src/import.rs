//! CSV import, checked before anything is sent: the file is parsed with the `csv` crate (comma- or,
//! as Excel writes it in locales whose decimal mark is a comma, semicolon-separated; a byte-order
//! mark is ignored; quoted cells may hold commas and line breaks), and every row is checked with
//! the same rules as the single forms — Create User's [`users::checked_new_user`], Invite guest's
//! [`guests::checked_invitation`], the sign-in name rules for members, the licence and its
//! services as Assign licence finds them ([`licenses::find`], [`licenses::plans_to_switch_off`]) —
//! each bad row named by its line in the file, the column at fault and the reason. Then the rules
//! across rows: each person once per file, and one licence (with the same services off) per file.
//! Nothing here sends anything: the bulk-job engine (`jobs`) runs the good rows.
//! Each kind has a template (its header and an example row) to download and fill in.

use msgraph::{NewInvitation, NewUser, PasswordProfile};
use serde::{Deserialize, Serialize};

use crate::guests::{self, GuestInput};
use crate::licenses::{self, License};
use crate::{users, validate, Error};

/// What a file imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ImportKind {
    CreateUsers,
    InviteGuests,
    AddMembers,
    AssignLicences,
}

/// The template of "create users": its columns, in order.
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

/// The template of "invite guests": the Invite guest form's fields.
pub const INVITE_GUESTS: [&str; 5] = [
    "Email",
    "Display name",
    "Send invitation email",
    "Message",
    "Landing page",
];
const INVITE_GUESTS_EXAMPLE: [&str; 5] = [
    "sam.taylor@fabrikam.com",
    "Sam Taylor",
    "yes",
    "Welcome to the Contoso project site.",
    "https://myapplications.microsoft.com",
];

/// The template of "add members to a group": one person a line.
pub const ADD_MEMBERS: [&str; 1] = ["Sign-in name or email"];
const ADD_MEMBERS_EXAMPLE: [&str; 1] = ["kim.lee@contoso.com"];

/// The template of "assign licences": the person, the licence (its name as the Licences page shows
/// it, or its SKU part number such as ENTERPRISEPACK), and services to switch off (names or ids,
/// separated by commas or semicolons; empty: all on).
pub const ASSIGN_LICENCES: [&str; 3] = ["Sign-in name or email", "Licence", "Services to switch off"];
const ASSIGN_LICENCES_EXAMPLE: [&str; 3] = ["kim.lee@contoso.com", "Office 365 E3", ""];

impl ImportKind {
    /// The template's columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::CreateUsers => &CREATE_USERS,
            ImportKind::InviteGuests => &INVITE_GUESTS,
            ImportKind::AddMembers => &ADD_MEMBERS,
            ImportKind::AssignLicences => &ASSIGN_LICENCES,
        }
    }

    fn example(self) -> &'static [&'static str] {
        match self {
            ImportKind::CreateUsers => &CREATE_USERS_EXAMPLE,
            ImportKind::InviteGuests => &INVITE_GUESTS_EXAMPLE,
            ImportKind::AddMembers => &ADD_MEMBERS_EXAMPLE,
            ImportKind::AssignLicences => &ASSIGN_LICENCES_EXAMPLE,
        }
    }

    /// The template (header, example row) to download.
    pub fn template(self) -> Vec<Vec<String>> {
        vec![
            self.columns().iter().map(|c| c.to_string()).collect(),
            self.example().iter().map(|c| c.to_string()).collect(),
        ]
    }

    /// The template's suggested file name.
    pub fn file_name(self) -> &'static str {
        match self {
            ImportKind::CreateUsers => "create-users-template.csv",
            ImportKind::InviteGuests => "invite-guests-template.csv",
            ImportKind::AddMembers => "add-members-template.csv",
            ImportKind::AssignLicences => "assign-licences-template.csv",
        }
    }

    /// The column whose cells are secret — never shown back, never stored: the temporary password.
    pub fn secret_column(self) -> Option<usize> {
        matches!(self, ImportKind::CreateUsers).then_some(2)
    }
}

/// The create-users template (header, example).
pub fn create_users_template() -> Vec<Vec<String>> {
    ImportKind::CreateUsers.template()
}

/// The add-members template (header, example).
pub fn add_members_template() -> Vec<Vec<String>> {
    ImportKind::AddMembers.template()
}

/// What a good row will do.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportRow {
    NewUser(Box<NewUser>),
    Guest(Box<NewInvitation>),
    /// A member's sign-in name or email.
    Member(String),
    Licence(LicenceRow),
}

impl ImportRow {
    /// Who the row is about, folded, to find a person twice in one file.
    fn key(&self) -> String {
        match self {
            ImportRow::NewUser(u) => u.user_principal_name.to_lowercase(),
            ImportRow::Guest(g) => g.invited_user_email_address.to_lowercase(),
            ImportRow::Member(m) => m.to_lowercase(),
            ImportRow::Licence(l) => l.user.to_lowercase(),
        }
    }
}

/// An assign-licences row, its licence and services found in the organisation's subscriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicenceRow {
    /// The person's sign-in name or email.
    pub user: String,
    pub sku_id: String,
    /// The licence's name as people read it.
    pub licence: String,
    /// Service plan ids to switch off.
    pub disabled_plans: Vec<String>,
}

/// Why a row is bad: the column at fault (when one is) and the reason in the single form's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub column: Option<String>,
    pub reason: String,
}

/// One line of the file, checked: its cells in the template's column order, and the row it makes
/// or why it cannot. Its `Debug` leaves the cells out (one may be a temporary password).
#[derive(Clone, PartialEq)]
pub struct Entry {
    pub line: u64,
    pub cells: Vec<String>,
    pub outcome: Result<ImportRow, Fault>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("line", &self.line)
            .field("cells", &self.cells.len())
            .field("outcome", &self.outcome)
            .finish()
    }
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

/// Semicolons when the header has more of them than commas (Excel's CSV where the decimal mark
/// is a comma), else commas.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    if count(';') > count(',') {
        b';'
    } else {
        b','
    }
}

/// Reads `text` (a CSV file with the template's header) into rows of cells in the template's
/// column order, each with its line, checking the header first: a file whose header lacks a
/// column is refused whole.
pub fn read(kind: ImportKind, text: &str) -> Result<Vec<(u64, Vec<String>)>, Error> {
    let columns = kind.columns();
    let text = text.trim_start_matches('\u{FEFF}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter(text))
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
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let start = record.position().map_or(0, |p| p.byte() as usize);
        out.push((
            line_at(text, start),
            at.iter().map(|&i| record.get(i).unwrap_or("").to_string()).collect(),
        ));
    }
    Ok(out)
}

/// The line a text editor or spreadsheet shows for the record starting at byte `start`: blank
/// lines and line breaks inside quoted cells counted.
fn line_at(text: &str, start: usize) -> u64 {
    let bytes = text.as_bytes();
    let mut start = start.min(bytes.len());
    // The reader's position of a record after blank lines is where the blank lines begin.
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

/// The reason in the words the single form shows, and the template column it is about.
fn fault(fields: &[(&str, &str)], e: Error) -> Fault {
    let column = e
        .field()
        .and_then(|f| fields.iter().find(|(field, _)| *field == f))
        .map(|(_, column)| column.to_string());
    Fault {
        column,
        reason: e.to_string(),
    }
}

/// The cell at `i`, empty when the row is short.
fn cell(cells: &[String], i: usize) -> String {
    cells.get(i).map(|c| c.trim().to_string()).unwrap_or_default()
}

/// Checks one row's cells (in the template's column order) with the single form's rules.
/// `licences`: the organisation's subscriptions (assign licences only).
pub fn check_row(kind: ImportKind, cells: &[String], licences: &[License]) -> Result<ImportRow, Fault> {
    match kind {
        ImportKind::CreateUsers => check_new_user(cells),
        ImportKind::InviteGuests => check_guest(cells),
        ImportKind::AddMembers => validate::upn("member", &cell(cells, 0))
            .map(ImportRow::Member)
            .map_err(|e| fault(&[("member", ADD_MEMBERS[0])], e)),
        ImportKind::AssignLicences => check_licence(cells, licences),
    }
}

/// Create User's checks (display name, sign-in name, mail nickname from it, temporary password,
/// job title, department, usage location).
fn check_new_user(cells: &[String]) -> Result<ImportRow, Fault> {
    let fields = [
        ("displayName", "Display name"),
        ("userPrincipalName", "Sign-in name"),
        ("mailNickname", "Sign-in name"),
        ("password", "Temporary password"),
        ("jobTitle", "Job title"),
        ("department", "Department"),
        ("usageLocation", "Usage location"),
    ];
    let mut user = NewUser::new(
        cell(cells, 0),
        "",
        cell(cells, 1),
        PasswordProfile {
            password: cells.get(2).cloned().unwrap_or_default(),
            force_change_password_next_sign_in: true,
            force_change_password_next_sign_in_with_mfa: None,
        },
    );
    let set = |v: String| (!v.is_empty()).then_some(Some(v));
    user.profile.job_title = set(cell(cells, 3));
    user.profile.department = set(cell(cells, 4));
    let location = cell(cells, 5);
    user.profile.usage_location = (!location.is_empty()).then_some(location);
    users::checked_new_user(&user)
        .map(|u| ImportRow::NewUser(Box::new(u)))
        .map_err(|e| fault(&fields, e))
}

/// Invite guest's checks (email, display name, landing page, message), and the yes/no of the email.
fn check_guest(cells: &[String]) -> Result<ImportRow, Fault> {
    let send = match cell(cells, 2).to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => false,
        "yes" | "y" | "true" | "1" => true,
        other => {
            return Err(Fault {
                column: Some(INVITE_GUESTS[2].to_string()),
                reason: format!("Write yes or no (not “{other}”): whether Microsoft emails the invitation."),
            })
        }
    };
    let optional = |i: usize| Some(cell(cells, i)).filter(|c| !c.is_empty());
    let input = GuestInput {
        email: cell(cells, 0),
        display_name: optional(1),
        send_invitation_message: send,
        message: optional(3),
        redirect_url: optional(4),
        ..GuestInput::default()
    };
    let fields = [
        ("email", "Email"),
        ("displayName", "Display name"),
        ("message", "Message"),
        ("redirectUrl", "Landing page"),
    ];
    guests::checked_invitation(&input)
        .map(|i| ImportRow::Guest(Box::new(i)))
        .map_err(|e| fault(&fields, e))
}

/// Assign licence's checks: the person's sign-in name, the licence among the organisation's
/// (active), the services to switch off among the licence's.
fn check_licence(cells: &[String], licences: &[License]) -> Result<ImportRow, Fault> {
    let fields = [
        ("user", ASSIGN_LICENCES[0]),
        ("skuId", ASSIGN_LICENCES[1]),
        ("disabledPlans", ASSIGN_LICENCES[2]),
    ];
    let user = validate::upn("user", &cell(cells, 0)).map_err(|e| fault(&fields, e))?;
    let licence = licenses::find(licences, "skuId", &cell(cells, 1)).map_err(|e| fault(&fields, e))?;
    licenses::check_assignable(licence, true).map_err(|e| fault(&fields, e))?;
    let services: Vec<String> = cell(cells, 2)
        .split([',', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let (plans, _) = licenses::plans_to_switch_off(licence, &services).map_err(|e| fault(&fields, e))?;
    let mut disabled_plans: Vec<String> = plans.iter().map(|p| p.as_str().to_string()).collect();
    disabled_plans.sort();
    Ok(ImportRow::Licence(LicenceRow {
        user,
        sku_id: licence.sku.sku_id.as_str().to_string(),
        licence: licence.name.clone(),
        disabled_plans,
    }))
}

/// Checks every row of `text` as `kind` (see [`check_all`]); a file that cannot be read, or whose
/// header lacks a column, is refused whole.
pub fn check_file(kind: ImportKind, text: &str, licences: &[License]) -> Result<Vec<Entry>, Error> {
    Ok(check_all(kind, read(kind, text)?, licences))
}

/// Checks each row, then the rules across rows: a person named on an earlier line makes the later
/// line bad, and (assign licences) every row gives the licence of the first good row with the same
/// services off. Run again over all rows after a row is fixed.
pub fn check_all(kind: ImportKind, rows: Vec<(u64, Vec<String>)>, licences: &[License]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(|(line, cells)| Entry {
            outcome: check_row(kind, &cells, licences),
            line,
            cells,
        })
        .collect();
    let first_column = kind.columns()[0].to_string();
    let mut seen: Vec<(String, u64)> = Vec::new();
    let mut first_licence: Option<(LicenceRow, u64)> = None;
    for e in entries.iter_mut() {
        let Ok(row) = &e.outcome else { continue };
        let key = row.key();
        if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
            e.outcome = Err(Fault {
                column: Some(first_column.clone()),
                reason: format!("Line {line} already has {key}: each person once per file."),
            });
            continue;
        }
        seen.push((key, e.line));
        if let ImportRow::Licence(l) = row {
            match &first_licence {
                None => first_licence = Some((l.clone(), e.line)),
                Some((first, line)) if first.sku_id != l.sku_id || first.disabled_plans != l.disabled_plans => {
                    e.outcome = Err(Fault {
                        column: Some(ASSIGN_LICENCES[1].to_string()),
                        reason: format!("Line {line} gives {} with its own choice of services; one file gives one licence, with the same services switched off. Put this row in a file of its own, or skip it.", first.licence),
                    });
                }
                Some(_) => {}
            }
        }
    }
    entries
}

/// The entries as good rows (each mapped by `good`) and bad rows.
fn split<T>(entries: Vec<Entry>, good: impl Fn(ImportRow) -> Option<T>) -> Checked<T> {
    let mut checked = Checked {
        good: Vec::new(),
        bad: Vec::new(),
    };
    for e in entries {
        match e.outcome {
            Ok(row) => {
                if let Some(value) = good(row) {
                    checked.good.push(GoodRow { line: e.line, value });
                }
            }
            Err(f) => checked.bad.push(BadRow {
                line: e.line,
                column: f.column,
                reason: f.reason,
            }),
        }
    }
    checked
}

/// Create users: each row as Create User checks its form.
pub fn create_users(text: &str) -> Result<Checked<NewUser>, Error> {
    let entries = check_file(ImportKind::CreateUsers, text, &[])?;
    Ok(split(entries, |r| match r {
        ImportRow::NewUser(u) => Some(*u),
        _ => None,
    }))
}

/// Add members to a group: each row a sign-in name or email address, checked as the sign-in name
/// rules check one (whether such a person exists is Graph's to say when the rows run).
pub fn add_members(text: &str) -> Result<Checked<String>, Error> {
    let entries = check_file(ImportKind::AddMembers, text, &[])?;
    Ok(split(entries, |r| match r {
        ImportRow::Member(m) => Some(m),
        _ => None,
    }))
}

/// Invite guests: each row as the Invite guest form checks it.
pub fn invite_guests(text: &str) -> Result<Checked<NewInvitation>, Error> {
    let entries = check_file(ImportKind::InviteGuests, text, &[])?;
    Ok(split(entries, |r| match r {
        ImportRow::Guest(g) => Some(*g),
        _ => None,
    }))
}

/// Assign licences: each row's person, licence (among `licences`, the organisation's) and services.
pub fn assign_licences(text: &str, licences: &[License]) -> Result<Checked<LicenceRow>, Error> {
    let entries = check_file(ImportKind::AssignLicences, text, licences)?;
    Ok(split(entries, |r| match r {
        ImportRow::Licence(l) => Some(l),
        _ => None,
    }))
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

    fn licences() -> Vec<License> {
        let sku: msgraph::SubscribedSku = serde_json::from_value(serde_json::json!({
            "id": "contoso_6fd2c87f-b296-42f0-b197-1e91e994b900",
            "skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900",
            "skuPartNumber": "ENTERPRISEPACK",
            "capabilityStatus": "Enabled",
            "consumedUnits": 1,
            "prepaidUnits": { "enabled": 25, "suspended": 0, "warning": 0 },
            "servicePlans": [
                { "servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0", "servicePlanName": "EXCHANGE_S_ENTERPRISE" },
                { "servicePlanId": "57ff2da0-773e-42df-b2af-ffb7a2317929", "servicePlanName": "TEAMS1" }
            ]
        }))
        .unwrap();
        vec![License {
            sku,
            name: "Office 365 E3".into(),
            free: 24,
        }]
    }

    #[test]
    fn every_kind_has_a_template_whose_example_passes_its_own_checks() {
        for kind in [
            ImportKind::CreateUsers,
            ImportKind::InviteGuests,
            ImportKind::AddMembers,
            ImportKind::AssignLicences,
        ] {
            let template = kind.template();
            assert_eq!(
                template[0],
                kind.columns().iter().map(|c| c.to_string()).collect::<Vec<_>>()
            );
            let entries = check_file(kind, &csv_of(&template), &licences()).unwrap();
            assert_eq!(entries.len(), 1, "{kind:?}");
            assert!(entries[0].outcome.is_ok(), "{kind:?}: {:?}", entries[0].outcome);
            assert_eq!(entries[0].line, 2);
            assert!(kind.file_name().ends_with("-template.csv"));
        }
    }

    #[test]
    fn guests_are_checked_as_the_invite_form_checks_them_with_the_column_at_fault() {
        let text = "Email,Display name,Send invitation email,Message,Landing page\n\
                    sam@fabrikam.com,Sam,yes,Hello,\n\
                    not-an-address,Bad,no,,\n\
                    ana@fabrikam.com,Ana,perhaps,,\n\
                    li@fabrikam.com,Li,,,ftp://files.fabrikam.com\n";
        let checked = invite_guests(text).unwrap();
        assert_eq!(checked.good.len(), 1);
        let good = &checked.good[0].value;
        assert_eq!(good.invited_user_email_address, "sam@fabrikam.com");
        assert!(good.send_invitation_message);
        assert_eq!(good.invite_redirect_url, guests::DEFAULT_REDIRECT);
        let bad: Vec<(u64, Option<&str>)> = checked.bad.iter().map(|b| (b.line, b.column.as_deref())).collect();
        assert_eq!(
            bad,
            [
                (3, Some("Email")),
                (4, Some("Send invitation email")),
                (5, Some("Landing page"))
            ]
        );
        assert!(
            checked.bad[2]
                .reason
                .starts_with("The landing page must be a web address"),
            "{}",
            checked.bad[2].reason
        );
    }

    #[test]
    fn licences_are_found_by_name_or_part_number_and_their_services_by_plan_name() {
        let text = "Sign-in name or email,Licence,Services to switch off\n\
                    kim@contoso.com,Office 365 E3,\n\
                    ana@contoso.com,enterprisepack,\n\
                    li@contoso.com,Microsoft 365 E5,\n\
                    zoe@contoso.com,Office 365 E3,SKYPE\n\
                    pat@contoso.com,Office 365 E3,\"TEAMS1; EXCHANGE_S_ENTERPRISE\"\n";
        let checked = assign_licences(text, &licences()).unwrap();
        assert_eq!(checked.good.iter().map(|g| g.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(checked.good[1].value.sku_id, "6fd2c87f-b296-42f0-b197-1e91e994b900");
        assert_eq!(checked.good[1].value.licence, "Office 365 E3");
        let bad: Vec<(u64, Option<&str>)> = checked.bad.iter().map(|b| (b.line, b.column.as_deref())).collect();
        assert_eq!(
            bad,
            [
                (4, Some("Licence")),
                (5, Some("Services to switch off")),
                (6, Some("Licence")),
            ]
        );
        assert!(
            checked.bad[0]
                .reason
                .contains("no subscription called Microsoft 365 E5"),
            "{}",
            checked.bad[0].reason
        );
        assert!(
            checked.bad[1]
                .reason
                .contains("SKYPE is not a service plan of Office 365 E3"),
            "{}",
            checked.bad[1].reason
        );
        assert!(
            checked.bad[2]
                .reason
                .starts_with("Line 2 gives Office 365 E3 with its own choice of services"),
            "a file gives one licence with the same services off: {}",
            checked.bad[2].reason
        );
    }

    #[test]
    fn a_person_twice_in_one_file_names_the_earlier_line() {
        let checked =
            add_members("Sign-in name or email\nkim@contoso.com\nana@contoso.com\nKIM@contoso.com\n").unwrap();
        assert_eq!(checked.good.len(), 2);
        assert_eq!(checked.bad.len(), 1);
        assert_eq!(checked.bad[0].line, 4);
        assert_eq!(
            checked.bad[0].reason,
            "Line 2 already has kim@contoso.com: each person once per file."
        );
    }

    #[test]
    fn semicolon_files_from_excel_a_bom_and_line_breaks_inside_quoted_cells_keep_the_line_numbers() {
        let text = "\u{FEFF}Email;Display name;Send invitation email;Message;Landing page\r\n\
                    sam@fabrikam.com;Sam;no;\"Hello,\r\nsee you on Monday\";\r\n\
                    bad address;Bad;no;;\r\n";
        let checked = invite_guests(text).unwrap();
        assert_eq!(checked.good.len(), 1, "{:?}", checked.bad);
        assert_eq!(
            checked.good[0]
                .value
                .invited_user_message_info
                .as_ref()
                .and_then(|m| m.customized_message_body.as_deref()),
            Some("Hello,\r\nsee you on Monday"),
            "a comma and a line break inside a quoted cell stay in it"
        );
        assert_eq!(checked.bad.len(), 1);
        assert_eq!(checked.bad[0].line, 4, "the quoted cell's line break counts as a line");
        assert_eq!(checked.bad[0].column.as_deref(), Some("Email"));
    }

    #[test]
    fn a_fixed_row_is_checked_again_with_the_same_rules() {
        let kind = ImportKind::CreateUsers;
        let mut cells: Vec<String> = [
            "Pavel Bansky",
            "pavel bansky@contoso.com",
            "Maple-Harbour-72",
            "",
            "",
            "",
        ]
        .map(String::from)
        .to_vec();
        assert!(check_row(kind, &cells, &[]).is_err());
        cells[1] = "pavel.bansky@contoso.com".into();
        match check_row(kind, &cells, &[]) {
            Ok(ImportRow::NewUser(u)) => assert_eq!(u.user_principal_name, "pavel.bansky@contoso.com"),
            other => panic!("{other:?}"),
        }
        assert_eq!(kind.secret_column(), Some(2));
        assert_eq!(kind.columns()[2], "Temporary password");
    }
}
