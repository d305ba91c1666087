//! A deterministic, realistic directory generator for scale tests (`--users N --groups M`).

use crate::store::{Kind, Rec, Tenant};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

const FIRST: &[&str] = &[
    "Aaliyah",
    "Aarav",
    "Abigail",
    "Adrian",
    "Aisha",
    "Alejandro",
    "Alice",
    "Amara",
    "Amelia",
    "Andrei",
    "Anika",
    "Arjun",
    "Astrid",
    "Ava",
    "Benjamin",
    "Bianca",
    "Camila",
    "Carlos",
    "Chen",
    "Chloe",
    "Daniel",
    "Dmitri",
    "Elena",
    "Elias",
    "Emma",
    "Ethan",
    "Fatima",
    "Felix",
    "Freya",
    "Gabriel",
    "Grace",
    "Hana",
    "Hannah",
    "Hiroshi",
    "Ibrahim",
    "Ines",
    "Isabella",
    "Ivan",
    "Jack",
    "Jamal",
    "Javier",
    "Jin",
    "Julia",
    "Kai",
    "Karim",
    "Keira",
    "Lars",
    "Layla",
    "Leo",
    "Lina",
    "Lucas",
    "Lucia",
    "Maya",
    "Mateo",
    "Mei",
    "Mia",
    "Mohammed",
    "Nadia",
    "Nina",
    "Noah",
    "Olivia",
    "Omar",
    "Oscar",
    "Priya",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Samuel",
    "Sara",
    "Sebastian",
    "Sofia",
    "Sven",
    "Tariq",
    "Thomas",
    "Uma",
    "Valentina",
    "Victor",
    "Wei",
    "Yara",
    "Yusuf",
    "Zara",
    "Zoe",
];
const LAST: &[&str] = &[
    "Abara",
    "Ahmed",
    "Andersson",
    "Bauer",
    "Becker",
    "Bianchi",
    "Brown",
    "Campbell",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fernandez",
    "Fischer",
    "Garcia",
    "Gomez",
    "Gupta",
    "Hansen",
    "Hoffmann",
    "Ivanova",
    "Jansen",
    "Johnson",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lee",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Müller",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "O'Brien",
    "Olsen",
    "Patel",
    "Perez",
    "Petrov",
    "Popescu",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thompson",
    "Van Dijk",
    "Wagner",
    "Wang",
    "Williams",
    "Wilson",
    "Yamamoto",
    "Zhang",
    "Zimmermann",
];
const DEPARTMENTS: &[(&str, &[&str])] = &[
    ("Sales", &["Account Executive", "Sales Manager", "Sales Associate"]),
    (
        "Marketing",
        &["Marketing Specialist", "Brand Manager", "Content Strategist"],
    ),
    ("Finance", &["Accountant", "Financial Analyst", "Controller"]),
    (
        "Human Resources",
        &["HR Generalist", "Recruiter", "HR Business Partner"],
    ),
    (
        "Engineering",
        &["Software Engineer", "Senior Software Engineer", "Engineering Manager"],
    ),
    ("IT", &["Systems Administrator", "Service Desk Analyst", "IT Manager"]),
    (
        "Operations",
        &["Operations Coordinator", "Logistics Planner", "Operations Manager"],
    ),
    ("Legal", &["Paralegal", "Counsel", "Compliance Officer"]),
    (
        "Customer Support",
        &["Support Specialist", "Support Team Lead", "Customer Success Manager"],
    ),
    ("Research", &["Research Scientist", "Lab Technician", "Research Lead"]),
];
const OFFICES: &[(&str, &str, &str)] = &[
    ("Redmond", "United States", "US"),
    ("New York", "United States", "US"),
    ("London", "United Kingdom", "GB"),
    ("Dublin", "Ireland", "IE"),
    ("Berlin", "Germany", "DE"),
    ("Paris", "France", "FR"),
    ("Amsterdam", "Netherlands", "NL"),
    ("Stockholm", "Sweden", "SE"),
    ("Toronto", "Canada", "CA"),
    ("Sydney", "Australia", "AU"),
    ("Tokyo", "Japan", "JP"),
    ("Bengaluru", "India", "IN"),
];
const PROJECTS: &[&str] = &[
    "Falcon",
    "Horizon",
    "Atlas",
    "Nimbus",
    "Aurora",
    "Polaris",
    "Everest",
    "Cascade",
    "Orion",
    "Summit",
    "Lighthouse",
    "Harbor",
    "Meridian",
    "Quartz",
    "Zephyr",
    "Beacon",
    "Redwood",
    "Sapphire",
    "Tundra",
    "Vertex",
];
const KINDS: &[&str] = &[
    "Project",
    "Team",
    "Committee",
    "Working Group",
    "Community",
    "Programme",
];

fn ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'ü' => Some('u'),
            'ö' => Some('o'),
            'ä' => Some('a'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

fn into_map(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

/// The seed tenant plus `generate` (users, groups) generated ones.
pub fn build_tenant(seed: u64, generate: Option<(usize, usize)>) -> Tenant {
    let mut t = Tenant::seeded(seed);
    if let Some((u, g)) = generate {
        populate(&mut t, u, g);
    }
    t
}

// Long: users, then groups (department groups first), drawn in order from one seeded random stream.
/// Adds `users` users and `groups` groups to the tenant, deterministically from the tenant's seed.
pub fn populate(t: &mut Tenant, users: usize, groups: usize) {
    let mut rng = StdRng::seed_from_u64(t.seed ^ 0x5eed_u64);
    let mut user_ids = Vec::with_capacity(users);
    let mut by_dept: Vec<Vec<String>> = vec![Vec::new(); DEPARTMENTS.len()];
    for i in 0..users {
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let d = rng.gen_range(0..DEPARTMENTS.len());
        let (dept, titles) = DEPARTMENTS[d];
        let title = titles[rng.gen_range(0..titles.len())];
        let (city, country, loc) = OFFICES[rng.gen_range(0..OFFICES.len())];
        let nick = format!(
            "{}.{}{}",
            ascii(first).to_lowercase(),
            ascii(last).to_lowercase(),
            i + 1
        );
        let upn = format!("{nick}@contoso.com");
        let id = t.next_id();
        let enabled = rng.gen_range(0..50) != 0;
        let m = json!({
            "id": id, "displayName": format!("{first} {last}"), "givenName": first, "surname": last,
            "userPrincipalName": upn, "mail": upn, "mailNickname": nick, "jobTitle": title, "department": dept,
            "officeLocation": format!("{}/{}", rng.gen_range(1..40), rng.gen_range(1000..3999)), "city": city, "country": country,
            "usageLocation": loc, "accountEnabled": enabled, "userType": "Member", "businessPhones": [format!("+1 425 555 {:04}", i % 10000)],
            "preferredLanguage": "en-US", "employeeId": format!("E{:06}", i + 1),
            "createdDateTime": format!("20{:02}-{:02}-{:02}T09:00:00Z", 15 + i % 10, 1 + i % 12, 1 + i % 28), "assignedLicenses": [],
        });
        let m = into_map(m);
        t.insert_user(m, 0);
        by_dept[d].push(id.clone());
        user_ids.push(id);
    }
    for g in 0..groups {
        let id = t.next_id();
        let (name, desc, unified, members): (String, String, bool, Vec<String>) = if g < DEPARTMENTS.len() {
            let dept = DEPARTMENTS[g].0;
            (
                format!("{dept} Department"),
                format!("Everyone in {dept}"),
                false,
                by_dept[g].clone(),
            )
        } else {
            let p = PROJECTS[rng.gen_range(0..PROJECTS.len())];
            let k = KINDS[rng.gen_range(0..KINDS.len())];
            let n = if user_ids.is_empty() {
                0
            } else {
                rng.gen_range(2..=40).min(user_ids.len())
            };
            let mut mem: Vec<String> = Vec::with_capacity(n);
            for _ in 0..n {
                let u = &user_ids[rng.gen_range(0..user_ids.len())];
                if !mem.contains(u) {
                    mem.push(u.clone());
                }
            }
            (
                format!("{p} {k} {}", g + 1),
                format!("{k} for {p}"),
                rng.gen_bool(0.5),
                mem,
            )
        };
        let nick: String = ascii(&name).to_lowercase();
        let m = json!({
            "id": id, "displayName": name, "description": desc, "mailNickname": nick, "mailEnabled": unified, "securityEnabled": !unified,
            "groupTypes": if unified { json!(["Unified"]) } else { json!([]) },
            "mail": if unified { json!(format!("{nick}@contoso.com")) } else { json!(null) },
            "visibility": if unified { json!("Private") } else { json!(null) },
            "createdDateTime": format!("20{:02}-{:02}-{:02}T10:00:00Z", 16 + g % 9, 1 + g % 12, 1 + g % 28),
            "proxyAddresses": if unified { json!([format!("SMTP:{nick}@contoso.com")]) } else { json!([]) },
            "securityIdentifier": format!("S-1-12-1-{}-{}", 1_000_000 + g, 2_000_000 + g), "deletedDateTime": null,
        });
        t.groups.insert(id.clone(), Rec::new(into_map(m), 0));
        for u in &members {
            t.member_of.entry(u.clone()).or_default().insert(id.clone());
        }
        t.members.insert(id, members);
    }
    let _ = Kind::User;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_and_realistic() {
        let mut a = Tenant::seeded(3);
        populate(&mut a, 500, 30);
        let mut b = Tenant::seeded(3);
        populate(&mut b, 500, 30);
        assert_eq!(a.users.len(), 508);
        assert_eq!(a.groups.len(), 8 + 30);
        assert_eq!(
            serde_json::to_string(&a.users).unwrap(),
            serde_json::to_string(&b.users).unwrap()
        );
        // UPNs are unique and valid; department groups hold their department.
        let upns: std::collections::HashSet<_> = a
            .users
            .values()
            .map(|u| u.data["userPrincipalName"].as_str().unwrap().to_lowercase())
            .collect();
        assert_eq!(upns.len(), 508);
        assert!(a.upn.contains_key(
            &a.users.values().last().unwrap().data["userPrincipalName"]
                .as_str()
                .unwrap()
                .to_lowercase()
        ));
        let sales = a
            .groups
            .values()
            .find(|g| g.data["displayName"] == "Sales Department")
            .unwrap();
        let members = &a.members[sales.id()];
        assert!(!members.is_empty());
        assert!(members.iter().all(|m| a.users[m].data["department"] == "Sales"));
    }
}
