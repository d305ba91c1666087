//! A deterministic, realistic directory generator for scale tests (`--users N --groups M`); what it
//! draws is kept compact (`people`).

use crate::people::{GenGroup, GenUser, GroupTheme, DEPARTMENTS, FIRST, KINDS, LAST, OFFICES, PROJECTS};
use crate::store::{Rec, Tenant};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The seed tenant plus `generate` (users, groups) generated ones.
pub fn build_tenant(seed: u64, generate: Option<(usize, usize)>) -> Tenant {
    let mut t = Tenant::seeded(seed);
    if let Some((u, g)) = generate {
        populate(&mut t, u, g);
    }
    t
}

/// Adds `users` users and `groups` groups to the tenant, deterministically from the tenant's seed:
/// users, then groups (department groups first), drawn in order from one seeded random stream.
pub fn populate(t: &mut Tenant, users: usize, groups: usize) {
    let mut rng = StdRng::seed_from_u64(t.seed ^ 0x5eed_u64);
    let mut user_ids = Vec::with_capacity(users);
    let mut by_dept: Vec<Vec<String>> = vec![Vec::new(); DEPARTMENTS.len()];
    for i in 0..users {
        let user = draw_user(t, &mut rng, i);
        let id = user.id();
        by_dept[user.department as usize].push(id.clone());
        t.insert_generated_user(user);
        user_ids.push(id);
    }
    for g in 0..groups {
        let id = t.next_uuid();
        let (theme, unified, members) = match by_dept.get_mut(g) {
            Some(dept) => (GroupTheme::Department(g as u8), false, std::mem::take(dept)),
            None => draw_project(&mut rng, &user_ids),
        };
        let group = GenGroup {
            id: *id.as_bytes(),
            index: g as u32,
            theme,
            unified,
        };
        let id = group.id();
        for u in &members {
            t.member_of.entry(u.clone()).or_default().insert(id.clone());
        }
        t.groups.insert(id.clone(), Rec::generated_group(group));
        t.members.insert(id, members);
    }
}

/// The next generated user: its words drawn in the generator's fixed order.
fn draw_user(t: &mut Tenant, rng: &mut StdRng, i: usize) -> GenUser {
    let first = rng.gen_range(0..FIRST.len()) as u8;
    let last = rng.gen_range(0..LAST.len()) as u8;
    let department = rng.gen_range(0..DEPARTMENTS.len()) as u8;
    let title = rng.gen_range(0..DEPARTMENTS[department as usize].1.len()) as u8;
    let office = rng.gen_range(0..OFFICES.len()) as u8;
    let id = t.next_uuid();
    let enabled = rng.gen_range(0..50) != 0;
    // Drawn as i32, as the generator always has (the type decides the draw); both ranges fit.
    let floor = rng.gen_range(1..40i32) as u8;
    let room = rng.gen_range(1000..3999i32) as u16;
    GenUser {
        id: *id.as_bytes(),
        index: i as u32,
        first,
        last,
        department,
        title,
        office,
        floor,
        room,
        enabled,
    }
}

/// A project group's theme, kind and members (2–40 people drawn from everyone), in draw order.
fn draw_project(rng: &mut StdRng, user_ids: &[String]) -> (GroupTheme, bool, Vec<String>) {
    let project = rng.gen_range(0..PROJECTS.len()) as u8;
    let kind = rng.gen_range(0..KINDS.len()) as u8;
    let n = if user_ids.is_empty() {
        0
    } else {
        rng.gen_range(2..=40).min(user_ids.len())
    };
    let mut members: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let u = &user_ids[rng.gen_range(0..user_ids.len())];
        if !members.contains(u) {
            members.push(u.clone());
        }
    }
    (GroupTheme::Project { project, kind }, rng.gen_bool(0.5), members)
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
            .map(|u| u.data()["userPrincipalName"].as_str().unwrap().to_lowercase())
            .collect();
        assert_eq!(upns.len(), 508);
        assert!(a.upn.contains_key(
            &a.users.values().last().unwrap().data()["userPrincipalName"]
                .as_str()
                .unwrap()
                .to_lowercase()
        ));
        let sales = a
            .groups
            .values()
            .find(|g| g.data()["displayName"] == "Sales Department")
            .unwrap();
        let members = &a.members[sales.id().as_ref()];
        assert!(!members.is_empty());
        assert!(members.iter().all(|m| a.users[m].data()["department"] == "Sales"));
    }
    #[test]
    fn a_generated_user_changed_or_saved_answers_as_before() {
        let mut t = Tenant::seeded(3);
        populate(&mut t, 50, 12);
        let id = t
            .users
            .keys()
            .find(|k| {
                t.users[*k].created == 0
                    && t.users[*k].data()["userType"] == "Member"
                    && t.users[*k].data()["mailNickname"]
                        .as_str()
                        .is_some_and(|n| n.ends_with("7"))
            })
            .unwrap()
            .clone();
        let before = t.users[&id].data().into_owned();
        assert_eq!(t.users[&id].id(), id);
        assert_eq!(t.user_id(before["userPrincipalName"].as_str().unwrap()).unwrap(), id);
        // Saved and loaded (the state file): the same objects, now as maps.
        let loaded: Tenant = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        let objects = |t: &Tenant| serde_json::to_string(&(&t.users, &t.groups)).unwrap();
        assert!(
            objects(&loaded) == objects(&t),
            "a saved tenant loads with other objects"
        );
        // Changed: that property only.
        let body = serde_json::json!({"jobTitle": "Pilot"}).as_object().cloned().unwrap();
        t.update_user(&id, &body).unwrap();
        let after = t.users[&id].data().into_owned();
        assert_eq!(after["jobTitle"], "Pilot");
        let mut expected = before.clone();
        expected.insert("jobTitle".into(), "Pilot".into());
        assert_eq!(after, expected);
        // A generated group's members and its mail follow from what it was drawn as.
        let unified = t
            .groups
            .values()
            .find(|g| g.data()["groupTypes"] == serde_json::json!(["Unified"]))
            .unwrap();
        let nick = unified.data()["mailNickname"].as_str().unwrap().to_string();
        assert_eq!(unified.data()["mail"], format!("{nick}@contoso.com"));
        assert!(t.is_unified(&unified.id()));
    }
}
