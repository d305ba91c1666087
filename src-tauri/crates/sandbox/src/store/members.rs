//! Group members and owners.

use super::*;

impl Tenant {
    pub fn add_member(&mut self, gid: &str, mid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
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
