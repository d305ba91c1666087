//! The generated people and groups of a scale tenant (`--users N --groups M`), kept compact.
//!
//! A generated user or group is a handful of small numbers — indexes into the word lists below and
//! its place in the generation order — from which its Graph object is rebuilt whenever it is read
//! ([`GenUser::object`], [`GenGroup::object`]). 100,000 people then cost a few MiB instead of a JSON map
//! each; a generated object that is changed becomes an ordinary map (`store::Rec::data_mut`).

use serde_json::{json, Map, Value};

pub const FIRST: &[&str] = &[
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
pub const LAST: &[&str] = &[
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
pub const DEPARTMENTS: &[(&str, &[&str])] = &[
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
pub const OFFICES: &[(&str, &str, &str)] = &[
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
pub const PROJECTS: &[&str] = &[
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
pub const KINDS: &[&str] = &[
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

/// One generated user: everything its object is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenUser {
    /// The object id's 16 bytes.
    pub id: [u8; 16],
    /// Its place in the generation order (0-based): the number in its sign-in name and employee id.
    pub index: u32,
    pub first: u8,
    pub last: u8,
    pub department: u8,
    pub title: u8,
    pub office: u8,
    pub floor: u8,
    pub room: u16,
    pub enabled: bool,
}

impl GenUser {
    pub fn id(&self) -> String {
        uuid::Uuid::from_bytes(self.id).to_string()
    }

    /// `first.last{n}`: the mail nickname, the local part of the sign-in name and mail.
    pub fn nickname(&self) -> String {
        format!(
            "{}.{}{}",
            ascii(FIRST[self.first as usize]).to_lowercase(),
            ascii(LAST[self.last as usize]).to_lowercase(),
            self.index + 1
        )
    }

    pub fn user_principal_name(&self) -> String {
        format!("{}@contoso.com", self.nickname())
    }

    /// The user's Graph object, as the generator has always made it.
    pub fn object(&self) -> Map<String, Value> {
        let i = self.index as usize;
        let (first, last) = (FIRST[self.first as usize], LAST[self.last as usize]);
        let (dept, titles) = DEPARTMENTS[self.department as usize];
        let (city, country, loc) = OFFICES[self.office as usize];
        let nick = self.nickname();
        let upn = format!("{nick}@contoso.com");
        into_map(json!({
            "id": self.id(), "displayName": format!("{first} {last}"), "givenName": first, "surname": last,
            "userPrincipalName": upn, "mail": upn, "mailNickname": nick, "jobTitle": titles[self.title as usize], "department": dept,
            "officeLocation": format!("{}/{}", self.floor, self.room), "city": city, "country": country,
            "usageLocation": loc, "accountEnabled": self.enabled, "userType": "Member", "businessPhones": [format!("+1 425 555 {:04}", i % 10000)],
            "preferredLanguage": "en-US", "employeeId": format!("E{:06}", i + 1),
            "createdDateTime": format!("20{:02}-{:02}-{:02}T09:00:00Z", 15 + i % 10, 1 + i % 12, 1 + i % 28), "assignedLicenses": [],
        }))
    }
}

/// What a generated group is named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupTheme {
    /// "Sales Department": everyone in that department (an index into [`DEPARTMENTS`]).
    Department(u8),
    /// "Falcon Project 42": indexes into [`PROJECTS`] and [`KINDS`].
    Project { project: u8, kind: u8 },
}

/// One generated group: everything its object is made of (its members are kept by the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenGroup {
    pub id: [u8; 16],
    /// Its place in the generation order (0-based).
    pub index: u32,
    pub theme: GroupTheme,
    /// A Microsoft 365 group (mail-enabled, "Unified") rather than a security group.
    pub unified: bool,
}

impl GenGroup {
    pub fn id(&self) -> String {
        uuid::Uuid::from_bytes(self.id).to_string()
    }

    /// The group's Graph object, as the generator has always made it.
    pub fn object(&self) -> Map<String, Value> {
        let g = self.index as usize;
        let (name, desc) = match self.theme {
            GroupTheme::Department(d) => {
                let dept = DEPARTMENTS[d as usize].0;
                (format!("{dept} Department"), format!("Everyone in {dept}"))
            }
            GroupTheme::Project { project, kind } => {
                let (p, k) = (PROJECTS[project as usize], KINDS[kind as usize]);
                (format!("{p} {k} {}", g + 1), format!("{k} for {p}"))
            }
        };
        let unified = self.unified;
        let nick: String = ascii(&name).to_lowercase();
        into_map(json!({
            "id": self.id(), "displayName": name, "description": desc, "mailNickname": nick, "mailEnabled": unified, "securityEnabled": !unified,
            "groupTypes": if unified { json!(["Unified"]) } else { json!([]) },
            "mail": if unified { json!(format!("{nick}@contoso.com")) } else { json!(null) },
            "visibility": if unified { json!("Private") } else { json!(null) },
            "createdDateTime": format!("20{:02}-{:02}-{:02}T10:00:00Z", 16 + g % 9, 1 + g % 12, 1 + g % 28),
            "proxyAddresses": if unified { json!([format!("SMTP:{nick}@contoso.com")]) } else { json!([]) },
            "securityIdentifier": format!("S-1-12-1-{}-{}", 1_000_000 + g, 2_000_000 + g), "deletedDateTime": null,
        }))
    }
}

fn into_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
