//! The path templates of Microsoft's description, and matching concrete request paths to them.
//!
//! Only the `paths:` keys and their HTTP methods are needed, so the YAML is scanned line by line
//! (the file is machine-written: two-space indent for a path, four for a method) instead of pulling
//! a YAML parser into xtask.

use std::collections::BTreeSet;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// One `paths:` entry: `/v1.0/users/{user-id}` and the methods it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathItem {
    pub template: String,
    pub methods: BTreeSet<String>,
    segments: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub paths: Vec<PathItem>,
}

/// What a concrete request maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The description has this path and this method.
    Described(String),
    /// The path is described but not with this method.
    MethodNotDescribed(String),
    /// No path of the description matches.
    NotDescribed,
}

fn unquote(key: &str) -> String {
    let k = key.trim();
    if k.len() >= 2 && k.starts_with('\'') && k.ends_with('\'') {
        k[1..k.len() - 1].replace("''", "'")
    } else if k.len() >= 2 && k.starts_with('"') && k.ends_with('"') {
        k[1..k.len() - 1].to_string()
    } else {
        k.to_string()
    }
}

impl Spec {
    pub fn parse(yaml: &str) -> Result<Spec, String> {
        let mut paths: Vec<PathItem> = Vec::new();
        let mut in_paths = false;
        for line in yaml.lines() {
            if !line.starts_with(' ') && !line.trim().is_empty() {
                in_paths = line.trim_end() == "paths:";
                continue;
            }
            if !in_paths {
                continue;
            }
            if let Some(rest) = line.strip_prefix("  ") {
                if !rest.starts_with(' ') {
                    let key = rest
                        .trim_end()
                        .strip_suffix(':')
                        .ok_or_else(|| format!("unexpected line under paths: {line}"))?;
                    let template = unquote(key);
                    let segments = template
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    paths.push(PathItem {
                        template,
                        methods: BTreeSet::new(),
                        segments,
                    });
                    continue;
                }
                if let Some(m) = rest.strip_prefix("  ") {
                    if !m.starts_with(' ') {
                        let name = m.trim_end().trim_end_matches(':');
                        if METHODS.contains(&name) {
                            if let Some(p) = paths.last_mut() {
                                p.methods.insert(name.to_ascii_uppercase());
                            }
                        }
                    }
                }
            }
        }
        if paths.is_empty() {
            return Err("the description has no paths".into());
        }
        Ok(Spec { paths })
    }

    /// Maps a concrete, still percent-encoded path (`/v1.0/users/AdeleV%40contoso.com`) to the
    /// description's template. When several templates match, the one with the most literal
    /// characters wins (`/users/delta` over `/users/{user-id}`).
    /// For a path the description lacks, a readable template: its longest described prefix
    /// plus the rest (`/users/{user-id}/memberOf/microsoft.graph.directoryRole`).
    pub fn undescribed_template(&self, path: &str) -> String {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for cut in (1..segs.len()).rev() {
            let prefix = format!("/{}", segs[..cut].join("/"));
            let known = match self.find("GET", &prefix) {
                Match::Described(t) | Match::MethodNotDescribed(t) => Some(t),
                Match::NotDescribed => None,
            };
            if let Some(t) = known {
                let rest: Vec<String> = segs[cut..].iter().map(|s| decode(s)).collect();
                return format!("{t}/{}", rest.join("/"));
            }
        }
        path.to_string()
    }

    pub fn find(&self, method: &str, path: &str) -> Match {
        let segs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(decode).collect();
        let mut best: Option<(&PathItem, usize)> = None;
        for item in &self.paths {
            if item.segments.len() != segs.len() {
                continue;
            }
            let mut literal = 0;
            let mut ok = true;
            for (t, c) in item.segments.iter().zip(&segs) {
                match segment_matches(t, c) {
                    Some(n) => literal += n,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && best.is_none_or(|(_, l)| literal > l) {
                best = Some((item, literal));
            }
        }
        match best {
            None => Match::NotDescribed,
            Some((item, _)) if item.methods.contains(&method.to_ascii_uppercase()) => {
                Match::Described(item.template.clone())
            }
            Some((item, _)) => Match::MethodNotDescribed(item.template.clone()),
        }
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A template segment is literal text with at most one `{param}` inside
/// (`directoryRoles(roleTemplateId='{roleTemplateId}')`). Returns the number of literal
/// characters matched, or `None`.
fn segment_matches(template: &str, concrete: &str) -> Option<usize> {
    match (template.find('{'), template.find('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, suffix) = (&template[..open], &template[close + 1..]);
            let ok = concrete.len() > prefix.len() + suffix.len()
                && concrete.starts_with(prefix)
                && concrete.ends_with(suffix);
            ok.then_some(prefix.len() + suffix.len())
        }
        _ => (template == concrete).then_some(template.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.1\npaths:\n  /v1.0/users:\n    get:\n      x: 1\n    post:\n      x: 1\n  /v1.0/users/delta:\n    get:\n      x: 1\n  /v1.0/users/{user-id}:\n    get:\n      x: 1\n    patch:\n      x: 1\n  '/v1.0/directoryRoles(roleTemplateId=''{roleTemplateId}'')':\n    get:\n      x: 1\n  /v1.0/users/{user-id}/manager/$ref:\n    put:\n      x: 1\ncomponents:\n  schemas: {}\n";

    #[test]
    fn templates_and_methods_are_read_and_matched() {
        let spec = Spec::parse(YAML).unwrap();
        assert_eq!(spec.paths.len(), 5);
        assert_eq!(
            spec.find("GET", "/v1.0/users/delta"),
            Match::Described("/v1.0/users/delta".into())
        );
        assert_eq!(
            spec.find("PATCH", "/v1.0/users/AdeleV%40contoso.com"),
            Match::Described("/v1.0/users/{user-id}".into())
        );
        assert_eq!(
            spec.find("DELETE", "/v1.0/users/abc"),
            Match::MethodNotDescribed("/v1.0/users/{user-id}".into())
        );
        assert_eq!(
            spec.find("GET", "/v1.0/directoryRoles(roleTemplateId='62e90394')"),
            Match::Described("/v1.0/directoryRoles(roleTemplateId='{roleTemplateId}')".into())
        );
        assert_eq!(
            spec.find("PUT", "/v1.0/users/abc/manager/%24ref"),
            Match::Described("/v1.0/users/{user-id}/manager/$ref".into())
        );
        assert_eq!(
            spec.find("GET", "/v1.0/users/abc/memberOf/microsoft.graph.directoryRole"),
            Match::NotDescribed
        );
    }
}
