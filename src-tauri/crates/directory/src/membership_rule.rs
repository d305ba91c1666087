//! Dynamic membership rules (Create Group 1.7): checked before anything is sent, and said in
//! plain words as they are typed ("people whose department is “Sales”").
//!
//! The syntax is Microsoft's ("Dynamic membership rules for groups", entra-docs
//! `docs/identity/users/groups-dynamic-membership.md`): `(user.department -eq "Sales")`,
//! expressions joined by `-and` / `-or`, negated by `-not`; strings in double quotes (a backtick
//! escapes a quote), `true`, `false`, `null`, numbers, lists `["a", "b"]` for `-in`; multi-valued
//! properties with `-any` / `-all` and `_` for "each value". A rule is about people (`user.`) or
//! about devices (`device.`), never both.

use crate::Error;

/// Where the form shows a rule's problems.
pub const FIELD: &str = "membershipRule";

/// A rule that passed the checks: what it selects, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRule {
    /// Whether the rule selects devices (a Microsoft 365 group can only hold people).
    pub devices: bool,
    /// "people whose department is “Sales”".
    pub explanation: String,
}

/// The people properties a rule can use: (name as Microsoft writes it, plain words, multi-valued).
const USER_PROPERTIES: &[(&str, &str, bool)] = &[
    ("accountEnabled", "account is enabled", false),
    ("city", "city", false),
    ("companyName", "company", false),
    ("country", "country", false),
    ("department", "department", false),
    ("dirSyncEnabled", "account is synced from on-premises", false),
    ("displayName", "name", false),
    ("employeeHireDate", "hire date", false),
    ("employeeId", "employee ID", false),
    ("employeeType", "employee type", false),
    ("facsimileTelephoneNumber", "fax number", false),
    ("givenName", "first name", false),
    ("jobTitle", "job title", false),
    ("mail", "email address", false),
    ("mailNickName", "mail nickname", false),
    ("memberOf", "group membership", true),
    ("mobile", "mobile phone", false),
    ("objectId", "object ID", false),
    ("onPremisesDistinguishedName", "on-premises distinguished name", false),
    ("onPremisesSecurityIdentifier", "on-premises security identifier", false),
    ("passwordPolicies", "password policies", false),
    ("physicalDeliveryOfficeName", "office", false),
    ("postalCode", "postal code", false),
    ("preferredLanguage", "preferred language", false),
    ("sipProxyAddress", "SIP address", false),
    ("state", "state or province", false),
    ("streetAddress", "street address", false),
    ("surname", "last name", false),
    ("telephoneNumber", "office phone", false),
    ("usageLocation", "usage location", false),
    ("userPrincipalName", "sign-in name", false),
    ("userType", "user type (Member or Guest)", false),
    ("otherMails", "other email addresses", true),
    ("proxyAddresses", "email addresses (proxy addresses)", true),
    ("assignedPlans", "licensed services", true),
];

/// The device properties a rule can use.
const DEVICE_PROPERTIES: &[(&str, &str, bool)] = &[
    ("accountEnabled", "account is enabled", false),
    ("deviceCategory", "category", false),
    ("deviceId", "device ID", false),
    ("deviceManagementAppId", "management app", false),
    ("deviceManufacturer", "manufacturer", false),
    ("deviceModel", "model", false),
    ("deviceOSType", "operating system", false),
    ("deviceOSVersion", "operating system version", false),
    ("deviceOwnership", "ownership (Personal or Company)", false),
    ("devicePhysicalIds", "physical IDs", true),
    ("displayName", "name", false),
    ("enrollmentProfileName", "enrollment profile", false),
    ("isRooted", "is rooted or jailbroken", false),
    ("managementType", "management type", false),
    ("memberOf", "group membership", true),
    ("objectId", "object ID", false),
    ("profileType", "profile type", false),
    ("systemLabels", "system labels", true),
];

/// The comparison operators: (as written, plain words).
const OPERATORS: &[(&str, &str)] = &[
    ("-eq", "is"),
    ("-ne", "is not"),
    ("-startsWith", "starts with"),
    ("-notStartsWith", "does not start with"),
    ("-contains", "contains"),
    ("-notContains", "does not contain"),
    ("-match", "matches the pattern"),
    ("-notMatch", "does not match the pattern"),
    ("-in", "is one of"),
    ("-notIn", "is not one of"),
    ("-ge", "is at least"),
    ("-le", "is at most"),
];

/// Checks a membership rule and says what it selects. Errors name the field `membershipRule`
/// and say where the problem is, in plain words; nothing is changed.
pub fn check(rule: &str) -> Result<CheckedRule, Error> {
    let text = rule.trim();
    if text.is_empty() {
        return Err(Error::invalid(
            FIELD,
            "A dynamic group needs a membership rule, for example (user.department -eq \"Sales\").",
        ));
    }
    if text.chars().count() > 3072 {
        return Err(Error::invalid(
            FIELD,
            "A membership rule can be at most 3,072 characters long.",
        ));
    }
    let tokens = lex(text).map_err(|m| Error::invalid(FIELD, m))?;
    let mut p = Parser {
        tokens,
        at: 0,
        subject: None,
    };
    let expr = p.expression().map_err(|m| Error::invalid(FIELD, m))?;
    if let Some(t) = p.tokens.get(p.at) {
        return Err(Error::invalid(
            FIELD,
            format!(
                "Unexpected {} at character {}: join expressions with -and or -or.",
                t.kind.describe(),
                t.at + 1
            ),
        ));
    }
    let devices = p.subject == Some(Subject::Device);
    let who = if devices { "devices" } else { "people" };
    Ok(CheckedRule {
        devices,
        explanation: format!("{who} {}", expr.say()),
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
    Text(String),
    Word(String),
    Operator(String),
}

impl Kind {
    fn describe(&self) -> String {
        match self {
            Kind::Open => "“(”".into(),
            Kind::Close => "“)”".into(),
            Kind::OpenList => "“[”".into(),
            Kind::CloseList => "“]”".into(),
            Kind::Comma => "“,”".into(),
            Kind::Text(s) => format!("“\"{s}\"”"),
            Kind::Word(w) | Kind::Operator(w) => format!("“{w}”"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: Kind,
    /// Character position in the rule (0-based).
    at: usize,
}

/// Splits a rule into tokens; unbalanced quotes are reported where the text starts.
fn lex(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let single = match c {
            '(' => Some(Kind::Open),
            ')' => Some(Kind::Close),
            '[' => Some(Kind::OpenList),
            ']' => Some(Kind::CloseList),
            ',' => Some(Kind::Comma),
            _ => None,
        };
        if let Some(kind) = single {
            out.push(Token { kind, at: i });
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' || c == '“' || c == '”' {
            let (s, next) = quoted(&chars, i)?;
            out.push(Token {
                kind: Kind::Text(s),
                at: i,
            });
            i = next;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && !"()[],\"'".contains(chars[i]) {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            let kind = if w.starts_with('-') {
                Kind::Operator(w)
            } else {
                Kind::Word(w)
            };
            out.push(Token { kind, at: start });
        }
    }
    Ok(out)
}

/// A quoted value starting at `start`; a backtick escapes the next character.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let open = chars[start];
    if open == '“' || open == '”' {
        return Err(format!(
            "Character {}: use straight quotes (\") around values, not curly quotes (“ ”) — word processors put those in.",
            start + 1
        ));
    }
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '`' if i + 1 < chars.len() => {
                s.push(chars[i + 1]);
                i += 2;
            }
            c if c == open => return Ok((s, i + 1)),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    Err(format!(
        "The quote at character {} is never closed: add the closing {open}.",
        start + 1
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    User,
    Device,
}

/// A parsed rule, kept only to be said in words.
#[derive(Debug, Clone, PartialEq)]
enum Expr {
    /// `phrase` is complete: "whose department is", "starts with" (inside -any), "its servicePlanId is".
    Compare {
        phrase: String,
        value: Value,
    },
    /// `user.proxyAddresses -any (_ -startsWith "smtp")`; `each_value`: the condition uses `_`.
    Each {
        property: String,
        all: bool,
        each_value: bool,
        inner: Box<Expr>,
    },
    Not(Box<Expr>),
    Join {
        and: bool,
        parts: Vec<Expr>,
    },
    Group(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Bool(bool),
    Null,
    Number(String),
    List(Vec<String>),
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    subject: Option<Subject>,
}

impl Parser {
    fn peek(&self) -> Option<&Kind> {
        self.tokens.get(self.at).map(|t| &t.kind)
    }

    /// Where the next token is, for messages ("at character 12", or "at the end").
    fn here(&self) -> String {
        match self.tokens.get(self.at) {
            Some(t) => format!("at character {}", t.at + 1),
            None => "at the end of the rule".into(),
        }
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    /// `-or` joins `-and` groups (`-and` binds tighter, as in Microsoft's precedence table).
    fn expression(&mut self) -> Result<Expr, String> {
        self.joined(false)
    }

    fn joined(&mut self, and: bool) -> Result<Expr, String> {
        let mut parts = vec![self.part(and)?];
        let word = if and { "-and" } else { "-or" };
        while matches!(self.peek(), Some(Kind::Operator(o)) if o.eq_ignore_ascii_case(word)) {
            self.at += 1;
            parts.push(self.part(and)?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::Join { and, parts }
        })
    }

    fn part(&mut self, and: bool) -> Result<Expr, String> {
        if and {
            self.term()
        } else {
            self.joined(true)
        }
    }

    fn term(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(Kind::Operator(o)) if o.eq_ignore_ascii_case("-not") => {
                self.at += 1;
                Ok(Expr::Not(Box::new(self.term()?)))
            }
            Some(Kind::Open) => {
                let open_at = self.tokens[self.at].at;
                self.at += 1;
                let inner = self.expression()?;
                match self.next() {
                    Some(Token { kind: Kind::Close, .. }) => Ok(Expr::Group(Box::new(inner))),
                    Some(t) => Err(format!(
                        "Expected “)” at character {} to close the “(” at character {}, found {}.",
                        t.at + 1,
                        open_at + 1,
                        t.kind.describe()
                    )),
                    None => Err(format!(
                        "The “(” at character {} is never closed: add a “)”.",
                        open_at + 1
                    )),
                }
            }
            Some(Kind::Word(_)) => self.comparison(),
            Some(other) => Err(format!(
                "Expected a property such as user.department {}, found {}.",
                self.here(),
                other.describe()
            )),
            None => Err("The rule ends too early: a property, an operator and a value are missing.".into()),
        }
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let Some(Token {
            kind: Kind::Word(word),
            at,
        }) = self.next()
        else {
            unreachable!("comparison starts with a word")
        };
        let (property, multi) = self.property(&word, at)?;
        let op = match self.next() {
            Some(Token {
                kind: Kind::Operator(o),
                ..
            }) => o,
            Some(t) => {
                return Err(format!(
                    "Expected an operator such as -eq after {word} at character {}, found {}.",
                    t.at + 1,
                    t.kind.describe()
                ))
            }
            None => return Err(format!("An operator such as -eq and a value are missing after {word}.")),
        };
        let lower = op.to_ascii_lowercase();
        if lower == "-any" || lower == "-all" {
            if !multi {
                return Err(format!("{op} works only on properties with several values (such as user.proxyAddresses); {word} has one value."));
            }
            return self.each(property, lower == "-all");
        }
        let (_, words) = operator(&op)?;
        let value = self.value(&op)?;
        Ok(Expr::Compare {
            phrase: format!("whose {property} {words}"),
            value,
        })
    }

    /// `user.department` → "department"; checks the prefix and the name.
    fn property(&mut self, word: &str, at: usize) -> Result<(String, bool), String> {
        let Some((prefix, name)) = word.split_once('.') else {
            return Err(format!(
                "“{word}” at character {} is not a property: write user.<property> or device.<property>, for example user.department.",
                at + 1
            ));
        };
        let (subject, table) = match prefix.to_ascii_lowercase().as_str() {
            "user" => (Subject::User, USER_PROPERTIES),
            "device" => (Subject::Device, DEVICE_PROPERTIES),
            _ => {
                return Err(format!(
                    "“{word}” at character {}: a rule's properties start with user. or device.",
                    at + 1
                ))
            }
        };
        match self.subject {
            Some(s) if s != subject => {
                return Err("A rule selects either people (user.…) or devices (device.…), not both.".into())
            }
            _ => self.subject = Some(subject),
        }
        if let Some(n) = name.strip_prefix("extensionAttribute") {
            return Ok((format!("extension attribute {n}"), false));
        }
        if name.starts_with("extension_") {
            return Ok((name.to_string(), false));
        }
        table
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, words, multi)| (words.to_string(), *multi))
            .ok_or_else(|| {
                format!(
                    "{prefix}.{name} at character {} is not a property dynamic rules can use. Check the spelling (for example {prefix}.{}).",
                    at + 1,
                    table[4].0
                )
            })
    }

    /// `-any ( _ -contains "x" )` / `-all (...)`.
    fn each(&mut self, property: String, all: bool) -> Result<Expr, String> {
        match self.next() {
            Some(Token { kind: Kind::Open, .. }) => {}
            _ => {
                return Err(format!(
                    "-any and -all need a condition in parentheses {}, for example (_ -startsWith \"smtp:\").",
                    self.here()
                ))
            }
        }
        let (inner, each_value) = self.each_condition()?;
        match self.next() {
            Some(Token { kind: Kind::Close, .. }) => Ok(Expr::Each {
                property,
                all,
                each_value,
                inner: Box::new(inner),
            }),
            _ => Err(format!(
                "Expected “)” {} to close the condition of -any/-all.",
                self.here()
            )),
        }
    }

    /// The condition inside `-any (...)`: `_ op value` or `plan.field op value` joined by -and.
    fn each_condition(&mut self) -> Result<(Expr, bool), String> {
        let mut parts = Vec::new();
        let mut each_value = false;
        loop {
            let Some(Token {
                kind: Kind::Word(w), ..
            }) = self.next()
            else {
                return Err(format!(
                    "Expected _ (each value) or a field such as assignedPlan.servicePlanId {}.",
                    self.here()
                ));
            };
            let Some(Token {
                kind: Kind::Operator(op),
                ..
            }) = self.next()
            else {
                return Err(format!("Expected an operator such as -eq after {w}."));
            };
            let (_, words) = operator(&op)?;
            let value = self.value(&op)?;
            let phrase = if w == "_" {
                each_value = true;
                words.to_string()
            } else {
                format!("its {} {words}", w.split('.').next_back().unwrap_or(&w))
            };
            parts.push(Expr::Compare { phrase, value });
            match self.peek() {
                Some(Kind::Operator(o)) if o.eq_ignore_ascii_case("-and") => self.at += 1,
                _ => break,
            }
        }
        let expr = if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::Join { and: true, parts }
        };
        Ok((expr, each_value))
    }

    fn value(&mut self, op: &str) -> Result<Value, String> {
        let list_op = matches!(op.to_ascii_lowercase().as_str(), "-in" | "-notin");
        let value = match self.next() {
            Some(Token {
                kind: Kind::Text(s), ..
            }) => Value::Text(s),
            Some(Token {
                kind: Kind::OpenList, ..
            }) => Value::List(self.list()?),
            Some(Token {
                kind: Kind::Word(w),
                at,
            }) => match w.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ if w.parse::<f64>().is_ok() => Value::Number(w),
                _ => {
                    return Err(format!(
                        "The value “{w}” at character {} needs quotes: write \"{w}\".",
                        at + 1
                    ))
                }
            },
            Some(t) => {
                return Err(format!(
                    "Expected a value after {op} at character {}, found {}.",
                    t.at + 1,
                    t.kind.describe()
                ))
            }
            None => return Err(format!("A value is missing after {op}, for example \"Sales\".")),
        };
        match (&value, list_op) {
            (Value::List(_), false) => Err(format!(
                "Only -in and -notIn take a list of values; {op} takes one value."
            )),
            (Value::List(_), true) => Ok(value),
            (_, true) => Err(format!(
                "{op} takes a list of values in square brackets, for example [\"Sales\", \"Marketing\"]."
            )),
            _ => Ok(value),
        }
    }

    /// The values of `[...]`, after the opening bracket.
    fn list(&mut self) -> Result<Vec<String>, String> {
        let mut values = Vec::new();
        loop {
            match self.next() {
                Some(Token {
                    kind: Kind::Text(s), ..
                }) => values.push(s),
                Some(Token {
                    kind: Kind::Word(w), ..
                }) if w.parse::<f64>().is_ok() => values.push(w),
                Some(Token {
                    kind: Kind::CloseList, ..
                }) if values.is_empty() => {
                    return Err("The list of values is empty: put at least one value between [ and ].".into())
                }
                _ => return Err(format!("Expected a quoted value in the list {}.", self.here())),
            }
            match self.next() {
                Some(Token { kind: Kind::Comma, .. }) => {}
                Some(Token {
                    kind: Kind::CloseList, ..
                }) => return Ok(values),
                _ => return Err(format!("Expected “,” or “]” in the list {}.", self.here())),
            }
        }
    }
}

/// A comparison operator and its plain words, or why it is not one.
fn operator(op: &str) -> Result<(&'static str, &'static str), String> {
    OPERATORS
        .iter()
        .find(|(o, _)| o.eq_ignore_ascii_case(op))
        .copied()
        .ok_or_else(|| {
            format!(
                "{op} is not an operator of membership rules. Use one of -eq, -ne, -startsWith, -notStartsWith, -contains, -notContains, -match, -notMatch, -in, -notIn, -ge, -le (and -any / -all on lists)."
            )
        })
}

impl Value {
    fn say(&self) -> String {
        match self {
            Value::Text(s) => format!("“{s}”"),
            Value::Bool(b) => if *b { "true" } else { "false" }.into(),
            Value::Null => "empty".into(),
            Value::Number(n) => n.clone(),
            Value::List(v) => v.iter().map(|s| format!("“{s}”")).collect::<Vec<_>>().join(", "),
        }
    }
}

impl Expr {
    /// "whose department is “Sales” and whose city is “London”".
    fn say(&self) -> String {
        match self {
            Expr::Compare { phrase, value } => format!("{phrase} {}", value.say()),
            Expr::Each {
                property,
                all,
                each_value,
                inner,
            } => {
                let which = if *all { "all of" } else { "at least one of" };
                let link = if *each_value { "that" } else { "where" };
                format!("with {which} their {property} {link} {}", inner.say())
            }
            Expr::Not(inner) => format!("except those {}", inner.say()),
            Expr::Join { and, parts } => {
                let joiner = if *and { " and " } else { " or " };
                let say = |p: &Expr| match p {
                    Expr::Join { .. } => format!("({})", p.say()),
                    _ => p.say(),
                };
                parts.iter().map(say).collect::<Vec<_>>().join(joiner)
            }
            Expr::Group(inner) => match inner.as_ref() {
                Expr::Join { .. } => format!("({})", inner.say()),
                _ => inner.say(),
            },
        }
    }
}
