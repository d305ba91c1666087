//! `/directory/deletedItems`: restore and purge.

use super::*;

impl Tenant {
    pub fn restore(&mut self, id: &str) -> Result<Map<String, Value>, GErr> {
        let d = self.deleted.get(id).ok_or_else(|| GErr::not_found(id))?;
        if d.kind == Kind::User {
            if let Some(upn) = d.rec.data().get("userPrincipalName").and_then(Value::as_str) {
                if self.upn.contains_key(&fold(upn)) {
                    return Err(GErr::bad_request(format!(
                        "Request to restore object {id} failed due to conflicts with property userPrincipalName: another object with the same value already exists."
                    )));
                }
            }
        }
        let Some(mut d) = self.deleted.remove(id) else {
            return Err(GErr::not_found(id));
        };
        d.rec.data_mut().insert("deletedDateTime".into(), Value::Null);
        let seq = self.log(Change::Touch {
            kind: d.kind,
            id: id.to_string(),
        });
        d.rec.created = seq;
        d.rec.props.clear();
        let data = d.rec.data().into_owned();
        match d.kind {
            Kind::User => {
                self.insert_user(d.rec.into_data(), seq);
                for g in d.links {
                    if self.groups.contains_key(&g) {
                        let _ = self.add_member(&g, id);
                    }
                }
            }
            Kind::Group => {
                self.groups.insert(id.to_string(), d.rec);
                for m in d.links {
                    if self.kind_of(&m).is_some() {
                        let _ = self.add_member(id, &m);
                    }
                }
                if !d.owners.is_empty() {
                    self.owners.insert(id.to_string(), d.owners);
                }
            }
        }
        Ok(data)
    }

    pub fn purge(&mut self, id: &str) -> Result<(), GErr> {
        let d = self.deleted.remove(id).ok_or_else(|| GErr::not_found(id))?;
        self.purged.insert(id.to_string());
        self.log(Change::Removed {
            kind: d.kind,
            id: id.to_string(),
        });
        Ok(())
    }
}
