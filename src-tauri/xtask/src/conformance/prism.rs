//! Prism 5 in `proxy --errors` mode, in its own process group, killed with the group on drop.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `prism proxy`. Dropping it kills Prism's whole process group (node spawns
/// children), also when the run fails or panics.
pub struct Prism {
    child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Prism {
    /// Starts `prism proxy SPEC UPSTREAM -h 127.0.0.1 -p PORT --errors`; stdout and stderr go
    /// to `log` (the kernel drains them into the file, so Prism never blocks on a full pipe).
    pub fn start(root: &Path, spec: &Path, upstream: &str, log: &Path) -> Result<Prism, String> {
        let prism = root.join("node_modules/.bin/prism");
        if !prism.exists() {
            return Err(format!(
                "Prism is not installed ({} is missing); run `npm ci` at the repository root",
                prism.display()
            ));
        }
        let port = free_port()?;
        let out = File::create(log).map_err(|e| format!("could not create {}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(&prism);
        command
            .arg("proxy")
            .arg(spec)
            .arg(upstream)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "--errors"])
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err));
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        // Its own process group keeps Ctrl-C in a terminal from reaching Prism, and Drop does not
        // run when xtask is killed; on Linux the kernel ends Prism when xtask dies.
        #[cfg(target_os = "linux")]
        // SAFETY: prctl(PR_SET_PDEATHSIG) is async-signal-safe and touches no memory of the
        // parent; it runs in the forked child between fork and exec.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .map_err(|e| format!("could not start Prism ({}): {e}", prism.display()))?;
        Ok(Prism {
            child,
            port,
            log: log.to_path_buf(),
        })
    }

    /// Waits until Prism accepts connections and answers HTTP (any status), or fails with the
    /// end of its log.
    pub async fn wait_ready(&mut self, timeout: Duration) -> Result<(), String> {
        let started = Instant::now();
        let http = reqwest::Client::new();
        let url = format!("http://127.0.0.1:{}/", self.port);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("Prism exited early ({status}); its log:\n{}", self.log_tail()));
            }
            if http.get(&url).send().await.is_ok() {
                return Ok(());
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "Prism did not answer within {} s; its log:\n{}",
                    timeout.as_secs(),
                    self.log_tail()
                ));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group we created for Prism
        // (process_group(0) made the child its leader); it touches no memory.
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above; SIGKILL whatever is left of the group.
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// A free loopback port (bound, read, released; Prism binds it right after).
fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}
