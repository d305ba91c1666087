//! Dynamic membership rules: what is accepted and how it is said, what is refused and why.

use directory::membership_rule::check;

#[test]
fn accepted_rules_are_said_in_plain_words() {
    let cases: &[(&str, &str)] = &[
        (r#"(user.department -eq "Sales")"#, "people whose department is “Sales”"),
        (r#"user.department -eq "Sales""#, "people whose department is “Sales”"),
        (
            r#"(user.department -eq "Sales") -and (user.city -eq "London")"#,
            "people whose department is “Sales” and whose city is “London”",
        ),
        (
            r#"(user.jobTitle -startsWith "Sales") -or (user.jobTitle -contains "Account")"#,
            "people whose job title starts with “Sales” or whose job title contains “Account”",
        ),
        (
            r#"(user.country -in ["GB", "FR"])"#,
            "people whose country is one of “GB”, “FR”",
        ),
        (r#"(user.userType -ne "Guest")"#, "people whose user type (Member or Guest) is not “Guest”"),
        (r#"(user.accountEnabled -eq true)"#, "people whose account is enabled is true"),
        (r#"(user.department -eq null)"#, "people whose department is empty"),
        (r#"(user.mail -match ".*@contoso\.com$")"#, r#"people whose email address matches the pattern “.*@contoso\.com$”"#),
        (r#"-not (user.department -eq "Sales")"#, "people except those whose department is “Sales”"),
        (
            r#"(user.proxyAddresses -any (_ -startsWith "smtp:sales"))"#,
            "people with at least one of their email addresses (proxy addresses) that starts with “smtp:sales”",
        ),
        (
            r#"user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")"#,
            "people with at least one of their licensed services where its servicePlanId is “efb87545-963c-4e0d-99df-69c6916d9eb0” and its capabilityStatus is “Enabled”",
        ),
        (
            r#"(user.department -eq "Sales") -and (user.city -eq "Paris") -or (user.city -eq "Lyon")"#,
            "people (whose department is “Sales” and whose city is “Paris”) or whose city is “Lyon”",
        ),
        (r#"(user.DEPARTMENT -EQ "Sales")"#, "people whose department is “Sales”"),
        (r#"(user.department -eq "Sa`"les")"#, "people whose department is “Sa\"les”"),
        (r#"(user.extensionAttribute7 -eq "A")"#, "people whose extension attribute 7 is “A”"),
        (r#"(device.deviceOSType -eq "Windows")"#, "devices whose operating system is “Windows”"),
    ];
    for (rule, said) in cases {
        let checked = check(rule).unwrap_or_else(|e| panic!("{rule} was refused: {e}"));
        assert_eq!(checked.explanation, *said, "{rule}");
        assert_eq!(checked.devices, rule.contains("device."), "{rule}");
    }
}

#[test]
fn refused_rules_say_what_is_wrong_and_where() {
    let cases: &[(&str, &str)] = &[
        ("", "needs a membership rule"),
        ("   ", "needs a membership rule"),
        (
            r#"(user.department -eq "Sales""#,
            "The “(” at character 1 is never closed",
        ),
        (
            r#"(user.department -eq "Sales)"#,
            "The quote at character 22 is never closed",
        ),
        (r#"user.department -eq "Sales")"#, "Unexpected “)” at character 28"),
        (
            r#"(user.departmant -eq "Sales")"#,
            "user.departmant at character 2 is not a property",
        ),
        (
            r#"(department -eq "Sales")"#,
            "is not a property: write user.<property>",
        ),
        (r#"(group.department -eq "Sales")"#, "start with user. or device."),
        (r#"(user.department -equals "Sales")"#, "-equals is not an operator"),
        (r#"(user.department -eq Sales)"#, "needs quotes: write \"Sales\""),
        (r#"(user.department -eq)"#, "Expected a value after -eq"),
        (r#"(user.department "Sales")"#, "Expected an operator such as -eq"),
        (
            r#"(user.department -in "Sales")"#,
            "takes a list of values in square brackets",
        ),
        (r#"(user.department -eq ["Sales"])"#, "Only -in and -notIn take a list"),
        (r#"(user.department -in [])"#, "The list of values is empty"),
        (r#"(user.department -eq “Sales”)"#, "not curly quotes"),
        (
            r#"(user.department -eq "Sales") (user.city -eq "X")"#,
            "join expressions with -and or -or",
        ),
        (r#"(user.department -eq "Sales") -and"#, "ends too early"),
        (
            r#"(user.city -eq "X") -and (device.deviceOSType -eq "Windows")"#,
            "either people (user.…) or devices",
        ),
        (
            r#"(user.department -any (_ -eq "x"))"#,
            "-any works only on properties with several values",
        ),
    ];
    for (rule, says) in cases {
        match check(rule) {
            Ok(c) => panic!("{rule:?} was accepted as {:?}", c.explanation),
            Err(e) => {
                assert_eq!(e.field(), Some("membershipRule"), "{rule}");
                assert!(e.to_string().contains(says), "{rule:?}: {e}");
            }
        }
    }
}
