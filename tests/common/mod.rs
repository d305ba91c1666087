//! What the shell's integration tests share: a scripted "browser" for the practice tenant's
//! sign-in page.

use std::sync::Mutex;

/// Opens the sign-in page like a person would: fetch it, click the account (or, for someone the
/// page does not list, sign in with a login hint), follow the redirects back to the app's loopback
/// listener.
pub struct ScriptedBrowser {
    upn: Mutex<String>,
}

impl ScriptedBrowser {
    pub fn new(upn: &str) -> ScriptedBrowser {
        ScriptedBrowser {
            upn: Mutex::new(upn.to_string()),
        }
    }

    /// The account the next sign-in chooses.
    #[allow(dead_code)]
    pub fn choose(&self, upn: &str) {
        *self.upn.lock().unwrap() = upn.to_string();
    }
}

impl signin::BrowserOpener for ScriptedBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        let url = url.to_string();
        let upn = self.upn.lock().unwrap().clone();
        tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let page = http.get(&url).send().await.unwrap().text().await.unwrap();
            let marker = format!("data-upn=\"{upn}\"");
            let mut next = match page.find(&marker) {
                Some(tag_start) => {
                    let tag = &page[page[..tag_start].rfind("<a ").unwrap()..];
                    let href = tag
                        .split("href=\"")
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                        .replace("&amp;", "&");
                    reqwest::Url::parse(&url).unwrap().join(&href).unwrap()
                }
                None => {
                    let mut hinted = reqwest::Url::parse(&url).unwrap();
                    hinted.query_pairs_mut().append_pair("login_hint", &upn);
                    hinted
                }
            };
            for _ in 0..5 {
                let resp = http.get(next.clone()).send().await.unwrap();
                match resp.headers().get("location") {
                    Some(loc) => next = next.join(loc.to_str().unwrap()).unwrap(),
                    None => break,
                }
            }
        });
        Ok(())
    }
}
