//! Test harness: the oidc-provider test IdP (tests/idp/server.mjs) and a scripted HTTP "browser".
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use signin::{BrowserOpener, Profile};
use url::Url;

pub struct Idp {
    child: Child,
    pub port: u16,
    pub authority: Url,
    pub issuer: String,
    pub client_id: String,
    pub tenant: String,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

impl Idp {
    /// Start the test IdP. `None` (with a message) only when `node` is not installed.
    pub fn start(env: &[(&str, &str)]) -> Option<Idp> {
        let root = repo_root();
        let mut cmd = Command::new("node");
        cmd.arg(root.join("tests/idp/server.mjs"))
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("SKIPPED: `node` is not installed, so the oidc-provider integration tests cannot run");
                return None;
            }
            Err(e) => panic!("could not start node: {e}"),
        };
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next()
            .expect("the IdP printed nothing (is oidc-provider installed in node_modules?)")
            .expect("read IdP stdout");
        // Keep draining stdout: a closed pipe would kill the IdP on its next write (EPIPE).
        std::thread::spawn(move || for _ in lines {});
        let v: serde_json::Value = serde_json::from_str(&first).expect("IdP start line is JSON");
        Some(Idp {
            child,
            port: v["port"].as_u64().unwrap() as u16,
            authority: Url::parse(v["authority"].as_str().unwrap()).unwrap(),
            issuer: v["issuer"].as_str().unwrap().to_string(),
            client_id: v["clientId"].as_str().unwrap().to_string(),
            tenant: v["tenant"].as_str().unwrap().to_string(),
        })
    }

    /// A Practice-kind profile pointing at this IdP, as the practice tenant's will.
    pub fn profile(&self) -> Profile {
        let mut p = Profile::practice(
            "test-idp",
            "Test IdP",
            self.authority.clone(),
            self.client_id.clone(),
            vec!["openid".into(), "profile".into(), "offline_access".into()],
        );
        // oidc-provider drops offline_access unless the consent prompt is requested (OIDC Core §11).
        p.extra_authorize_params.insert("prompt".into(), "consent".into());
        // oidc-provider compares the registered http://127.0.0.1/ literally (apart from the port).
        p.redirect_path = "/".into();
        p
    }

    pub fn token_endpoint(&self) -> String {
        format!("{}/token", self.issuer)
    }
}

/// What the scripted browser should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Log in, consent, follow the redirect back to the app.
    Complete,
    /// Log in, consent, but keep the final redirect (the code) instead of delivering it.
    Capture,
    /// Open nothing (the person walked away).
    Ignore,
}

#[derive(Default, Debug)]
pub struct Seen {
    /// Every authorization code the browser saw in a redirect.
    pub codes: Vec<String>,
    /// The final redirect URL (with code), if captured.
    pub captured_redirect: Option<String>,
    /// The page the loopback listener served.
    pub final_page: Option<String>,
    pub error: Option<String>,
}

/// A scripted "browser": reqwest with a cookie jar that walks the provider's login and consent
/// pages like a person would (fills login/password, presses the buttons).
pub struct ScriptedBrowser {
    pub login: String,
    pub script: Script,
    pub seen: Arc<Mutex<Seen>>,
    pub done: Arc<tokio::sync::Notify>,
}

impl ScriptedBrowser {
    pub fn new(login: &str, script: Script) -> ScriptedBrowser {
        ScriptedBrowser {
            login: login.into(),
            script,
            seen: Arc::default(),
            done: Arc::default(),
        }
    }
}

impl BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        if self.script == Script::Ignore {
            return Ok(());
        }
        let url = url.to_string();
        let login = self.login.clone();
        let script = self.script;
        let seen = self.seen.clone();
        let done = self.done.clone();
        tokio::spawn(async move {
            if let Err(e) = drive(&url, &login, script, &seen, None).await {
                seen.lock().unwrap().error = Some(e);
            }
            done.notify_one();
        });
        Ok(())
    }
}

pub fn browser_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Walk from `start` through redirects and forms. For the device flow, `user_code` fills the code form;
/// `abort_device` presses "Abort" on the confirmation page.
pub async fn drive(
    start: &str,
    login: &str,
    script: Script,
    seen: &Mutex<Seen>,
    device: Option<(&str, bool)>,
) -> Result<(), String> {
    let client = browser_client();
    let mut next: (reqwest::Method, String, Vec<(String, String)>) = (reqwest::Method::GET, start.to_string(), vec![]);
    for _ in 0..30 {
        let (method, url, form) = next.clone();
        let req = if method == reqwest::Method::POST {
            client.post(&url).form(&form)
        } else {
            client.get(&url)
        };
        let resp = req.send().await.map_err(|e| format!("{method} {url}: {e}"))?;
        let status = resp.status();
        let here = resp.url().clone();
        if status.is_redirection() {
            let loc = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or("redirect without location")?;
            let target = here.join(loc).map_err(|e| e.to_string())?;
            if let Some((_, code)) = target.query_pairs().find(|(k, _)| k == "code") {
                seen.lock().unwrap().codes.push(code.into_owned());
                if script == Script::Capture {
                    seen.lock().unwrap().captured_redirect = Some(target.to_string());
                    return Ok(());
                }
            }
            next = (reqwest::Method::GET, target.to_string(), vec![]);
            continue;
        }
        let body = resp.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!(
                "{status} at {here}: {}",
                body.chars().take(2000).collect::<String>()
            ));
        }
        if here.host_str() == Some("127.0.0.1") && !here.path().contains("/v2.0") {
            seen.lock().unwrap().final_page = Some(body);
            return Ok(());
        }
        let Some((action, mut fields)) = parse_form(&body) else {
            // A page without a form: the end of the device flow ("Sign-in Success").
            seen.lock().unwrap().final_page = Some(body);
            return Ok(());
        };
        for (k, v) in fields.iter_mut() {
            match k.as_str() {
                "login" => *v = login.to_string(),
                "password" => *v = "any-password".to_string(),
                "user_code" if v.is_empty() => *v = device.map(|d| d.0.to_string()).unwrap_or_default(),
                _ => {}
            }
        }
        if let Some((_, true)) = device {
            if fields.iter().any(|(k, _)| k == "confirm") {
                fields.retain(|(k, _)| k != "confirm");
                fields.push(("abort".into(), "yes".into()));
            }
        }
        let action = here.join(&action).map_err(|e| e.to_string())?;
        next = (reqwest::Method::POST, action.to_string(), fields);
    }
    Err("too many steps".into())
}

/// The first POST form on a page: (action, [(name, value)]).
pub fn parse_form(html: &str) -> Option<(String, Vec<(String, String)>)> {
    let start = html.find("<form")?;
    let rest = &html[start..];
    let end = rest.find("</form>").unwrap_or(rest.len());
    let form = &rest[..end];
    let tag_end = form.find('>')?;
    let action = attr(&form[..tag_end], "action")?;
    let mut fields = Vec::new();
    let mut s = form;
    while let Some(i) = s.find("<input") {
        s = &s[i..];
        let close = s.find('>').unwrap_or(s.len());
        let tag = &s[..close];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
        s = &s[close..];
    }
    Some((action.replace("&amp;", "&"), fields))
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let i = tag.find(&needle)? + needle.len();
    let j = tag[i..].find('"')?;
    Some(tag[i..i + j].to_string())
}

pub fn mock_token_store() -> signin::TokenStore {
    signin::TokenStore::with_store("com.entradesk.test", keyring_core::mock::Store::new().unwrap())
}

/// Sign in `login` through the scripted browser and return the session.
pub async fn sign_in(
    idp: &Idp,
    login: &str,
    store: &signin::TokenStore,
    accounts: &signin::AccountsFile,
) -> signin::Session {
    let browser = ScriptedBrowser::new(login, Script::Complete);
    let options = signin::InteractiveOptions {
        timeout: std::time::Duration::from_secs(30),
        ..Default::default()
    };
    signin::sign_in_interactive_with(
        &idp.profile(),
        &browser,
        signin::CancelHandle::new(),
        store,
        accounts,
        &options,
    )
    .await
    .unwrap_or_else(|e| panic!("{e:?} / browser: {:?}", browser.seen.lock().unwrap()))
}

/// Answer a device-code prompt like a person on another device: open the verification page, type
/// the code, log in, consent, and confirm (or abort).
pub fn device_responder(login: &str, abort: bool) -> impl Fn(&signin::DeviceCodePrompt) + Send + Sync {
    let login = login.to_string();
    move |prompt: &signin::DeviceCodePrompt| {
        let login = login.clone();
        let prompt = prompt.clone();
        tokio::spawn(async move {
            let seen = Mutex::new(Seen::default());
            if let Err(e) = drive(
                &prompt.verification_uri,
                &login,
                Script::Complete,
                &seen,
                Some((&prompt.user_code, abort)),
            )
            .await
            {
                panic!("device browser failed: {e}");
            }
        });
    }
}

/// One answer of the `Responder`'s token endpoint.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(status: u16, body: impl Into<String>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A tiny local server playing Entra: discovery for `/{tenant}/v2.0/...` on any GET, and the given
/// answers to POSTs in order (the last one repeats). Counts the POSTs.
pub struct Responder {
    pub port: u16,
    pub task: tokio::task::JoinHandle<()>,
    pub posts: Arc<std::sync::atomic::AtomicUsize>,
}

impl Responder {
    pub async fn start(answers: Vec<Answer>) -> Responder {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let answers = Arc::new(answers);
        let posts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = posts.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut s, _)) = listener.accept().await else {
                    return;
                };
                let answers = answers.clone();
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 8192];
                    let mut n = 0;
                    loop {
                        let r = s.read(&mut buf[n..]).await.unwrap_or(0);
                        if r == 0 {
                            break;
                        }
                        n += r;
                        let head = String::from_utf8_lossy(&buf[..n]).to_string();
                        if let Some(end) = head.find("\r\n\r\n") {
                            let len = head
                                .lines()
                                .find_map(|l| {
                                    l.to_ascii_lowercase()
                                        .strip_prefix("content-length:")
                                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                                })
                                .unwrap_or(0);
                            if n >= end + 4 + len {
                                break;
                            }
                        }
                    }
                    let head = String::from_utf8_lossy(&buf[..n]).to_string();
                    let base = format!("http://127.0.0.1:{port}/contoso.onmicrosoft.com");
                    let answer = if head.starts_with("GET ") {
                        Answer::json(
                            200,
                            serde_json::json!({
                                "issuer": format!("http://127.0.0.1:{port}/{{tenantid}}/v2.0"),
                                "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
                                "token_endpoint": format!("{base}/oauth2/v2.0/token"),
                                "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
                            })
                            .to_string(),
                        )
                    } else {
                        let i = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        answers[i.min(answers.len() - 1)].clone()
                    };
                    let extra: String = answer.headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
                    let resp = format!(
                        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{}",
                        answer.status,
                        answer.body.len(),
                        answer.body
                    );
                    let _ = s.write_all(resp.as_bytes()).await;
                });
            }
        });
        Responder { port, task, posts }
    }

    pub fn posts(&self) -> usize {
        self.posts.load(std::sync::atomic::Ordering::SeqCst)
    }
}
