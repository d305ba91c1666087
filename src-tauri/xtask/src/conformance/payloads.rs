//! The second oracle: every JSON body the sandbox produced in the run, checked with
//! `../shared/graph/tools/validate_payload.py --strict` against the full (non-lean) description.
//! Optional: without `../shared` or without python3 + pyyaml + jsonschema the check is skipped
//! and says why.

use super::spec::{Match, Spec};
use super::tap::{strip_version, RawBody, KNOWN_DRIFT};
use std::path::{Path, PathBuf};
use std::process::Command;

pub enum Outcome {
    Skipped(String),
    /// `problems`: real findings; `canary`: findings on the deliberately corrupted answer (the
    /// self-test wants at least one); `unchecked`: bodies of paths whose type the description
    /// subset lacks entirely (`NOT_IN_SUBSET` in validate_bodies.py), each with why.
    Checked {
        bodies: usize,
        problems: Vec<String>,
        canary: Vec<String>,
        unchecked: Vec<String>,
    },
}

fn failed(problem: String) -> Outcome {
    Outcome::Checked {
        bodies: 0,
        problems: vec![problem],
        canary: vec![],
        unchecked: vec![],
    }
}

pub fn check(root: &Path, out_dir: &Path, spec: &Spec, bodies: &[RawBody]) -> Outcome {
    let shared = root.join("../shared/graph");
    let tool = shared.join("tools/validate_payload.py");
    let full_spec = shared.join("openapi/graph-v1.0-subset.yaml");
    if let Some(why) = unavailable(&tool, &full_spec) {
        return Outcome::Skipped(why);
    }
    let manifest_path = match write_bodies(out_dir, spec, bodies) {
        Ok(path) => path,
        Err(problem) => return failed(problem),
    };
    let mut cmd = Command::new("python3");
    cmd.arg(root.join("tests/conformance/validate_bodies.py"))
        .arg(&tool)
        .arg(&full_spec)
        .arg(&manifest_path);
    for extra in KNOWN_DRIFT {
        cmd.args(["--allow-extra", extra]);
    }
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => return failed(format!("could not run validate_bodies.py: {e}")),
    };
    read_verdict(&out)
}

/// Why the oracle cannot run here (`None`: it can): the tool, the full description or python3's
/// modules are missing.
fn unavailable(tool: &Path, full_spec: &Path) -> Option<String> {
    if !tool.exists() || !full_spec.exists() {
        return Some(format!(
            "{} is not there (it is reference material outside the repository)",
            tool.display()
        ));
    }
    match Command::new("python3").args(["-c", "import yaml, jsonschema"]).output() {
        Ok(o) if o.status.success() => None,
        Ok(_) => Some("python3 lacks pyyaml or jsonschema (pip install pyyaml==6.0.3 jsonschema==4.26.0)".into()),
        Err(e) => Some(format!("python3 is not available ({e})")),
    }
}

/// Writes each body to `bodies/NNNN.json` and the manifest that names them; returns its path.
fn write_bodies(out_dir: &Path, spec: &Spec, bodies: &[RawBody]) -> Result<PathBuf, String> {
    let dir = out_dir.join("bodies");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let mut manifest = Vec::new();
    for (i, b) in bodies.iter().enumerate() {
        let (path, described) = match spec.find(&b.method, &b.path) {
            Match::Described(t) => (strip_version(&t), true),
            _ => (strip_version(&b.path), false),
        };
        let file = dir.join(format!("{i:04}.json"));
        std::fs::write(&file, &b.body).map_err(|e| format!("could not write {}: {e}", file.display()))?;
        manifest.push(serde_json::json!({
            "file": file.to_string_lossy(), "operation": b.operation, "method": b.method, "path": path, "described": described, "status": b.status,
        }));
    }
    let manifest_path = out_dir.join("bodies.json");
    std::fs::write(&manifest_path, serde_json::Value::Array(manifest).to_string())
        .map_err(|e| format!("could not write {}: {e}", manifest_path.display()))?;
    Ok(manifest_path)
}

/// validate_bodies.py's answer: its problems, those on the deliberately corrupted answer apart.
fn read_verdict(out: &std::process::Output) -> Outcome {
    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out.stdout);
    match parsed {
        Ok(v) => {
            let (mut problems, mut canary) = (Vec::new(), Vec::new());
            for p in v["problems"].as_array().into_iter().flatten() {
                let text = p["text"].as_str().unwrap_or_default().to_string();
                if p["operation"]
                    .as_str()
                    .is_some_and(|o| o.starts_with(super::drive::CANARY))
                {
                    canary.push(text);
                } else {
                    problems.push(text);
                }
            }
            Outcome::Checked {
                bodies: v["checked"].as_u64().unwrap_or(0) as usize,
                problems,
                canary,
                unchecked: v["unchecked"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|u| u.as_str().map(str::to_string))
                    .collect(),
            }
        }
        Err(_) => failed(format!(
            "validate_bodies.py failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or_default()
        )),
    }
}
