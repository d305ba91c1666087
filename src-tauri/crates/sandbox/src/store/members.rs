//! Group members and owners.

use super::*;

impl Tenant {
    pub fn add_member(&mut self, gid: &str, mid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        refuse_dynamic(self, gid)?;
        let kind = self.kind_of(mid).ok_or_else(|| GErr::not_found(mid))?;
        if kind == Kind::Group && self.is_unified(gid) {
            return Err(GErr::bad_request(
                "Microsoft 365 groups can only have users as members.",
            ));
        }
        if gid == mid {
            return Err(GErr::bad_request("A group cannot be a member of itself."));
        }
        let list = self.members.entry(gid.to_string()).or_default();
        if list.iter().any(|x| x == mid) {
            return Err(already_exists());
        }
        list.push(mid.to_string());
        self.member_of
            .entry(mid.to_string())
            .or_default()
            .insert(gid.to_string());
        self.log(Change::Member {
            group: gid.to_string(),
            member: mid.to_string(),
            member_kind: kind,
            added: true,
        });
        Ok(())
    }

    pub fn remove_member(&mut self, gid: &str, mid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        refuse_dynamic(self, gid)?;
        let list = self.members.entry(gid.to_string()).or_default();
        let before = list.len();
        list.retain(|x| x != mid);
        if list.len() == before {
            return Err(GErr::not_found(mid));
        }
        if let Some(s) = self.member_of.get_mut(mid) {
            s.remove(gid);
        }
        let kind = self.kind_of(mid).unwrap_or(Kind::User);
        self.log(Change::Member {
            group: gid.to_string(),
            member: mid.to_string(),
            member_kind: kind,
            added: false,
        });
        Ok(())
    }

    pub fn add_owner(&mut self, gid: &str, oid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        if self.kind_of(oid).is_none() {
            return Err(GErr::not_found(oid));
        }
        let list = self.owners.entry(gid.to_string()).or_default();
        if list.iter().any(|x| x == oid) {
            return Err(GErr::bad_request(
                "One or more added object references already exist for the following modified properties: 'owners'.",
            ));
        }
        list.push(oid.to_string());
        self.log(Change::Owner {
            group: gid.to_string(),
            owner: oid.to_string(),
            added: true,
        });
        Ok(())
    }

    pub fn remove_owner(&mut self, gid: &str, oid: &str) -> Result<(), GErr> {
        let people = self
            .owners
            .get(gid)
            .map(|l| l.iter().filter(|o| self.kind_of(o) == Some(Kind::User)).count())
            .unwrap_or(0);
        let is_owner = self.owners.get(gid).is_some_and(|l| l.iter().any(|x| x == oid));
        if is_owner && people <= 1 && self.kind_of(oid) == Some(Kind::User) {
            // group-delete-owners: "the last owner (a user object) of the group cannot be removed";
            // the message as Graph gives it (microsoft-graph-docs-contrib#3741).
            return Err(GErr::bad_request(
                "The group must have at least one owner, hence this owner cannot be removed.",
            ));
        }
        let list = self.owners.entry(gid.to_string()).or_default();
        let before = list.len();
        list.retain(|x| x != oid);
        if before == list.len() {
            return Err(GErr::not_found(oid));
        }
        self.log(Change::Owner {
            group: gid.to_string(),
            owner: oid.to_string(),
            added: false,
        });
        Ok(())
    }
}

/// Members of a dynamic group come from its rule: Graph refuses adding or removing them by hand
/// (group-post-members / group-delete-members: "You can't … dynamic groups"). The text of
/// Graph's message was not captured; the code is its generic Request_BadRequest.
fn refuse_dynamic(t: &Tenant, gid: &str) -> Result<(), GErr> {
    if t.is_dynamic(gid) {
        return Err(GErr::bad_request(
            "The members of a group with dynamic membership are managed by its membership rule and cannot be added or removed.",
        ));
    }
    Ok(())
}
