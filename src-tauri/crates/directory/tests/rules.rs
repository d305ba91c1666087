//! The sign-in name and password rules, case by case from the table the New user form's tests run
//! too (`tests/rules/sign-in-rules.json`): both sides accept and refuse the same inputs, with the
//! same words.

use directory::validate;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    upn: Vec<UpnCase>,
    password: Vec<PasswordCase>,
}

#[derive(Deserialize)]
struct UpnCase {
    input: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct PasswordCase {
    password: String,
    alias: String,
    error: Option<String>,
}

fn cases() -> Cases {
    serde_json::from_str(include_str!("../../../../tests/rules/sign-in-rules.json")).expect("the rules table is JSON")
}

fn message<T>(r: Result<T, directory::Error>) -> Option<String> {
    r.err().map(|e| match e {
        directory::Error::Invalid { message, .. } => message,
        other => panic!("not a validation error: {other:?}"),
    })
}

#[test]
fn sign_in_names_are_accepted_and_refused_as_the_table_says() {
    let cases = cases().upn;
    assert!(cases.len() >= 20);
    for c in cases {
        let got = message(validate::upn("userPrincipalName", &c.input));
        assert_eq!(got, c.error, "sign-in name {:?}", c.input);
        if c.error.is_none() {
            assert_eq!(validate::upn("userPrincipalName", &c.input).unwrap(), c.input.trim());
        }
    }
}

#[test]
fn passwords_are_accepted_and_refused_as_the_table_says() {
    let cases = cases().password;
    assert!(cases.len() >= 20);
    for c in cases {
        let got = message(validate::password("password", &c.password, &c.alias));
        assert_eq!(got, c.error, "password {:?} for {:?}", c.password, c.alias);
    }
}

#[derive(Deserialize)]
struct ProfileCases {
    profile: Vec<ProfileCase>,
}

#[derive(Deserialize)]
struct ProfileCase {
    field: String,
    input: String,
    value: Option<String>,
    error: Option<String>,
}

#[test]
fn profile_values_are_accepted_tidied_and_refused_as_the_table_says() {
    let cases: ProfileCases = serde_json::from_str(include_str!("../../../../tests/rules/profile-rules.json"))
        .expect("the rules table is JSON");
    assert!(cases.profile.len() >= 20);
    for c in cases.profile {
        let field: &'static str = Box::leak(c.field.clone().into_boxed_str());
        match directory::profile::field(field, &c.input) {
            Ok(v) => {
                assert_eq!(c.error, None, "{} {:?} was accepted", c.field, c.input);
                assert_eq!(v, c.value, "{} {:?}", c.field, c.input);
            }
            Err(e) => assert_eq!(
                Some(message::<()>(Err(e)).unwrap()),
                c.error,
                "{} {:?}",
                c.field,
                c.input
            ),
        }
    }
}
