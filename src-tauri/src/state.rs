//! AppState: what the app holds between commands — the accounts, the active account's Graph
//! client and watcher, and the practice tenant. Orchestration only: every decision about Graph,
//! identity or change detection lives in the crates.
//!
//! This module knows nothing of Tauri. What it has to tell the window and the desktop goes through
//! an [`EventSink`], and sign-in opens pages through a `signin::BrowserOpener`; the shell
//! (`crate::sink`, `crate::browser`) implements both with Tauri, and the tests (`tests/app_state.rs`)
//! with recorders and a scripted browser.

use std::path::PathBuf;
use std::sync::Arc;

use signin::{
    AccountsFile, BrowserOpener, CancelHandle, CloudLogin, Profile, ProfileKind, Session, Sessions, TokenStore,
};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::IpcError;
use crate::events::DeviceCodeShown;
use crate::view::{
    AccountView, ActivityEvent, AppSnapshot, CopyWindow, GroupChoice, GroupRow, KindSetting, MemberRow,
    OrganizationProfile, PersonChoice, PracticeSize, SignInRequest, UserRow, WatchSettings, WatchStatus,
};

/// The keyring service name under which refresh tokens are kept.
pub const KEYRING_SERVICE: &str = "app.entradesk.desktop";
/// A role's holders read from Graph this recently are shown from the copy without asking again
/// (Graph offers no change tracking for directory roles; this app's own changes are written
/// through at once).
const ROLE_HOLDERS_FRESH: time::Duration = time::Duration::minutes(5);
/// The practice tenant's profile id (one practice tenant per machine user).
const PRACTICE_PROFILE_ID: &str = "practice";
/// The remembered organisation profile's id.
const ORGANIZATION_PROFILE_ID: &str = "organization";

/// Settings that come from the environment, for tests and support (documented in README).
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `ENTRA_DESK_PRACTICE_PORT`: a fixed port for the practice tenant (the e2e test drives its
    /// admin API there).
    pub practice_port: Option<u16>,
    /// `ENTRA_DESK_WATCH_INTERVAL_SECS`: the poll interval saved into the watch rules at start.
    pub watch_interval_secs: Option<u64>,
    /// `ENTRA_DESK_PRACTICE_ADMIN_SECRET`: the practice tenant's admin API secret (the e2e test acts
    /// as another admin with it). Unset: a random one that never leaves this process.
    pub practice_admin_secret: Option<String>,
}

impl Overrides {
    pub fn from_env() -> Overrides {
        let num = |k: &str| std::env::var(k).ok().and_then(|v| v.trim().parse::<u64>().ok());
        Overrides {
            practice_port: num("ENTRA_DESK_PRACTICE_PORT").and_then(|p| u16::try_from(p).ok()),
            watch_interval_secs: num("ENTRA_DESK_WATCH_INTERVAL_SECS"),
            practice_admin_secret: std::env::var("ENTRA_DESK_PRACTICE_ADMIN_SECRET")
                .ok()
                .filter(|s| !s.is_empty()),
        }
    }
}

/// What the app tells the window and the desktop. Implemented by the Tauri shell with typed events
/// and OS notifications; by tests with a recorder.
pub trait EventSink: Send + Sync + 'static {
    /// Accounts were added, switched or signed out.
    fn session_changed(&self, snapshot: AppSnapshot);
    /// The active account's watcher changed state (or there is none any more).
    fn watch_status(&self, status: WatchStatus);
    /// A device-code sign-in started: the code to type, and where.
    fn device_code(&self, shown: DeviceCodeShown);
    /// The long waits Microsoft Graph asked the app's own actions for, now (empty: none).
    fn graph_waits(&self, waits: Vec<crate::events::GraphWait>);
    /// The watcher found (or this app made) changes: the window re-reads the copy; the desktop is
    /// told about the batch's notifiable events.
    fn directory_changed(&self, batch: &watch::ChangeBatch);
}

/// What the app needs from outside: where it tells things, how it opens the browser, where
/// sign-ins are kept.
pub struct Outside {
    pub sink: Arc<dyn EventSink>,
    pub browser: Arc<dyn BrowserOpener>,
    pub tokens: TokenStore,
}

/// How a sign-in reaches the person.
#[derive(Debug, Clone, Copy)]
enum Method {
    /// The system browser, back to a loopback listener.
    Browser,
    /// A code typed at microsoft.com/devicelogin on any device.
    DeviceCode,
}

/// The signed-in account the UI is looking at, with what works on its behalf.
struct Active {
    view: AccountView,
    graph: msgraph::Client,
    engine: watch::Engine,
    /// Read-only connections to the account's local copy, kept open between reads.
    readers: Arc<watch::Readers>,
    /// The journal of the changes made here with this account (none: it could not be opened).
    journal: Option<Arc<journal::Journal>>,
    forwarders: Vec<tokio::task::JoinHandle<()>>,
    /// The account's bulk jobs file (`jobs/{profile}-{account}.sqlite3` in the data folder).
    jobs_path: PathBuf,
}

/// Held while the active account changes (activate, sign-out, practice reset): stopping the old
/// watcher and installing the new one is one step, so two quick switches queue instead of
/// dropping an engine that was never stopped.
type Switching<'a> = MutexGuard<'a, ()>;

pub struct AppState {
    data_dir: PathBuf,
    accounts: AccountsFile,
    tokens: TokenStore,
    sink: Arc<dyn EventSink>,
    browser: Arc<dyn BrowserOpener>,
    sessions: Sessions,
    overrides: Overrides,
    practice: Mutex<Option<sandbox::Sandbox>>,
    switching: Mutex<()>,
    active: Mutex<Option<Active>>,
    sign_in: std::sync::Mutex<Option<CancelHandle>>,
    status: Arc<std::sync::Mutex<WatchStatus>>,
    /// What the person should know about this session's start (a damaged file set aside), shown
    /// until the app restarts. The accounts file keeps its own (`AccountsFile::set_aside_notice`).
    notices: std::sync::Mutex<Vec<String>>,
    /// Long waits of the app's own Graph calls: told to the window, stoppable (`stop_waiting`).
    waits: msgraph::Waits,
    /// Bulk jobs: their files (one per account) and the ones running now.
    bulk: crate::bulk::Bulk,
}

/// Waits that keep the list of those in progress and send it to the window on every change.
fn graph_waits(sink: Arc<dyn EventSink>) -> msgraph::Waits {
    let current = std::sync::Mutex::new(std::collections::BTreeMap::new());
    msgraph::Waits::new(move |event| {
        let mut current = current.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            msgraph::WaitEvent::Started(w) => {
                current.insert(w.id, crate::events::GraphWait::new(&w, time::OffsetDateTime::now_utc()));
            }
            msgraph::WaitEvent::Ended(id) => {
                current.remove(&id);
            }
        }
        sink.graph_waits(current.values().cloned().collect());
    })
}

impl AppState {
    pub fn new(config_dir: PathBuf, data_dir: PathBuf, overrides: Overrides, outside: Outside) -> AppState {
        let sink = outside.sink;
        AppState {
            accounts: AccountsFile::new(config_dir.join("accounts.json")),
            data_dir,
            tokens: outside.tokens,
            sink: sink.clone(),
            browser: outside.browser,
            sessions: Sessions::new(),
            overrides,
            practice: Mutex::new(None),
            switching: Mutex::new(()),
            active: Mutex::new(None),
            sign_in: std::sync::Mutex::new(None),
            status: Arc::new(std::sync::Mutex::new(WatchStatus::not_watching())),
            notices: std::sync::Mutex::new(Vec::new()),
            waits: graph_waits(sink.clone()),
            bulk: crate::bulk::Bulk::default(),
        }
    }

    /// Accounts, the active one and the remembered organisation form.
    pub async fn snapshot(&self) -> AppSnapshot {
        let active_id = self.active.lock().await.as_ref().map(|a| a.view.id.clone());
        let data = self.accounts.load().unwrap_or_default();
        let accounts = self
            .sessions
            .accounts()
            .into_iter()
            .filter_map(|a| {
                let profile = data.profiles.iter().find(|p| p.id == a.profile_id)?;
                Some(account_view(&a, profile))
            })
            .collect();
        // The organisation form as last sent (full or read-only: the profile saved last).
        let last_organization = data.profiles.iter().rev().find_map(organization_form);
        let notices = self
            .accounts
            .set_aside_notice()
            .into_iter()
            .chain(self.notices.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned())
            .collect();
        AppSnapshot {
            accounts,
            active_account_id: active_id,
            last_organization,
            notices,
        }
    }

    /// At start-up: resume the organisation accounts whose refresh tokens are in the keyring.
    /// Practice-tenant sign-ins end with the app (the practice tenant signs with a key of its own
    /// that lives only as long as the process), so they are forgotten here.
    pub async fn restore(&self) {
        let data = match self.accounts.load() {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the accounts file");
                return;
            }
        };
        // The practice tenant's profiles, full and read-only.
        let practice: Vec<&str> = data
            .profiles
            .iter()
            .filter(|p| p.kind == ProfileKind::Practice)
            .map(|p| p.id.as_str())
            .collect();
        let _ = self
            .accounts
            .update(|d| d.accounts.retain(|a| !practice.contains(&a.profile_id.as_str())));
        for account in data
            .accounts
            .iter()
            .filter(|a| !practice.contains(&a.profile_id.as_str()))
        {
            let Some(profile) = data.profiles.iter().find(|p| p.id == account.profile_id) else {
                continue;
            };
            match signin::restore_session(profile, account, &self.tokens).await {
                Ok(session) => self.sessions.insert(session),
                Err(e) => tracing::info!(account = %account.username, error = %e, "saved sign-in not resumed"),
            }
        }
        let wanted = data.active_account.clone();
        let session = wanted
            .as_deref()
            .and_then(|id| self.sessions.get(id))
            .or_else(|| self.sessions.accounts().first().and_then(|a| self.sessions.get(&a.id)));
        if let Some(session) = session {
            let switching = self.switching.lock().await;
            if let Err(e) = self.activate(&switching, session).await {
                tracing::warn!(error = %e, "could not open the saved account");
            }
        }
        self.emit_session_changed().await;
    }

    /// Starts the practice tenant (once) and signs in to it through the system browser.
    /// `read_only`: sign in with read permissions only (the practice tenant then refuses every
    /// change with Graph's 403, and the app sends none).
    pub async fn open_practice_tenant(&self, read_only: bool) -> Result<AccountView, IpcError> {
        let (authority, client_id) = {
            let mut practice = self.practice.lock().await;
            if practice.is_none() {
                let started = self.start_practice_tenant().await?;
                tracing::info!(url = %started.base_url(), "practice tenant started");
                *practice = Some(started);
            }
            let sandbox = practice
                .as_ref()
                .ok_or_else(|| IpcError::internal("The practice tenant is not running."))?;
            (
                format!("{}/{}", sandbox.base_url(), sandbox.tenant_id()),
                sandbox.client_id(),
            )
        };
        let authority = url::Url::parse(&authority)
            .map_err(|e| IpcError::internal(format!("The practice tenant's address is not valid: {e}")))?;
        let profile = Profile::practice(
            PRACTICE_PROFILE_ID,
            "Practice tenant",
            authority,
            client_id,
            msgraph::Cloud::Global.default_scopes(),
        );
        let profile = if read_only { profile.read_only() } else { profile };
        self.sign_in_with(profile, Method::Browser).await
    }

    /// "Start over": the practice tenant goes back to its sample directory, and its activity
    /// history and local copy are cleared (a fresh sample is not news).
    pub async fn reset_practice_tenant(&self, size: PracticeSize) -> Result<(), IpcError> {
        let switching = self.switching.lock().await;
        let active_practice = {
            let active = self.active.lock().await;
            active
                .as_ref()
                .filter(|a| a.view.kind == ProfileKind::Practice)
                .map(|a| a.view.id.clone())
        };
        if active_practice.is_some() {
            self.deactivate(&switching).await;
        }
        {
            let practice = self.practice.lock().await;
            let sandbox = practice.as_ref().ok_or_else(|| IpcError::Validation {
                message: "The practice tenant is not open. Open it first, then reset it.".into(),
                field: None,
            })?;
            sandbox.reset_to(practice_generate(size)).map_err(IpcError::internal)?;
        }
        self.forget_practice_watch_state();
        if let Some(session) = active_practice.and_then(|id| self.sessions.get(&id)) {
            self.activate(&switching, session).await?;
        }
        Ok(())
    }

    /// Starts the practice tenant on the port it had last time: the watcher's saved position
    /// (a deltaLink) names that address. When the port is taken, it starts elsewhere and the
    /// practice tenant's local copy is rebuilt silently on the next check.
    async fn start_practice_tenant(&self) -> Result<sandbox::Sandbox, IpcError> {
        let port_file = self.data_dir.join("practice-tenant.port");
        let saved_port = std::fs::read_to_string(&port_file)
            .ok()
            .and_then(|t| t.trim().parse::<u16>().ok());
        let config = |port: u16| sandbox::Config {
            port,
            state_file: Some(self.data_dir.join("practice-tenant.json")),
            admin_secret: self.overrides.practice_admin_secret.clone(),
            ..sandbox::Config::default()
        };
        let wanted = self.overrides.practice_port.or(saved_port).unwrap_or(0);
        let started = match sandbox::Sandbox::start(config(wanted)).await {
            Err(sandbox::StartError::Bind { .. }) if wanted != 0 && self.overrides.practice_port.is_none() => {
                tracing::info!(
                    port = wanted,
                    "the practice tenant's usual port is taken; starting it on another"
                );
                self.forget_practice_watch_state();
                sandbox::Sandbox::start(config(0)).await
            }
            // Its saved state cannot be read: set it aside and start with the sample organisation.
            Err(sandbox::StartError::Damaged { path, reason }) => {
                let aside = localfiles::set_aside(&path, &[])
                    .map_err(|e| IpcError::internal(format!("The practice tenant's saved state could not be set aside: {e}")))?;
                tracing::warn!(%reason, aside = %aside.display(), "practice tenant state set aside");
                self.forget_practice_watch_state();
                self.notices.lock().unwrap_or_else(|p| p.into_inner()).push(format!(
                    "The practice tenant's saved directory could not be read, so it was set aside as {} and the practice tenant started again with the sample organisation.",
                    aside.display()
                ));
                sandbox::Sandbox::start(config(wanted)).await
            }
            other => other,
        }
        .map_err(|e| IpcError::internal(format!("The practice tenant could not start: {e}")))?;
        let port = started.base_url().rsplit(':').next().unwrap_or("").to_string();
        if let Err(e) = localfiles::write_private(&port_file, port.as_bytes()) {
            tracing::warn!(error = %e, "could not remember the practice tenant's port");
        }
        Ok(started)
    }

    /// Removes the practice tenant's local copies (never an organisation's).
    fn forget_practice_watch_state(&self) {
        let dir = self.data_dir.join("watch");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with(&format!("{PRACTICE_PROFILE_ID}-")) && name.contains(".sqlite3") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Signs in to an organisation in the system browser; remembers the form.
    pub async fn sign_in_organization(&self, request: SignInRequest) -> Result<AccountView, IpcError> {
        let profile = organization_profile(&request)?;
        self.sign_in_with(profile, Method::Browser).await
    }

    /// Signs in to an organisation with a code typed on another device (when no browser can be
    /// opened here). The code is sent to the window as a `DeviceCodeShown` event.
    pub async fn sign_in_organization_with_code(&self, request: SignInRequest) -> Result<AccountView, IpcError> {
        let profile = organization_profile(&request)?;
        self.sign_in_with(profile, Method::DeviceCode).await
    }

    async fn sign_in_with(&self, profile: Profile, method: Method) -> Result<AccountView, IpcError> {
        let cancel = CancelHandle::new();
        if let Some(previous) = self.lock_sign_in().replace(cancel.clone()) {
            previous.cancel();
        }
        self.accounts.upsert_profile(&profile).map_err(IpcError::from)?;
        let result = match method {
            Method::Browser => {
                signin::sign_in_interactive(&profile, &*self.browser, cancel, &self.tokens, &self.accounts).await
            }
            Method::DeviceCode => {
                let sink = self.sink.clone();
                let show = move |prompt: &signin::DeviceCodePrompt| {
                    sink.device_code(DeviceCodeShown {
                        user_code: prompt.user_code.clone(),
                        verification_uri: prompt.verification_uri.clone(),
                        expires_in_secs: u32::try_from(prompt.expires_in_secs).unwrap_or(u32::MAX),
                        message: prompt.message.clone(),
                    });
                };
                signin::sign_in_device_code(&profile, &show, cancel, &self.tokens, &self.accounts).await
            }
        };
        self.lock_sign_in().take();
        let session = result.map_err(IpcError::from)?;
        self.sessions.insert(session.clone());
        let view = {
            let switching = self.switching.lock().await;
            self.activate(&switching, session).await?
        };
        self.emit_session_changed().await;
        Ok(view)
    }

    /// Stops every wait for Microsoft Graph in progress: those calls end at once, nothing re-sent.
    pub fn stop_waiting(&self) {
        self.waits.stop();
    }

    pub fn cancel_sign_in(&self) {
        if let Some(cancel) = self.lock_sign_in().take() {
            cancel.cancel();
        }
    }

    fn lock_sign_in(&self) -> std::sync::MutexGuard<'_, Option<CancelHandle>> {
        self.sign_in.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn switch_account(&self, account_id: &str) -> Result<AccountView, IpcError> {
        let view = {
            let switching = self.switching.lock().await;
            let session = self.sessions.switch_to(account_id).map_err(IpcError::from)?;
            let view = self.activate(&switching, session).await?;
            let _ = self
                .accounts
                .update(|d| d.active_account = Some(account_id.to_string()));
            view
        };
        self.emit_session_changed().await;
        Ok(view)
    }

    /// Signs the account out (deleting its keyring entries); switches to another account if any.
    pub async fn sign_out(&self, account_id: &str) -> Result<(), IpcError> {
        let switching = self.switching.lock().await;
        let was_active = self
            .active
            .lock()
            .await
            .as_ref()
            .is_some_and(|a| a.view.id == account_id);
        if was_active {
            self.deactivate(&switching).await;
        }
        self.sessions
            .sign_out(account_id, &self.accounts)
            .await
            .map_err(IpcError::from)?;
        if was_active {
            if let Some(next) = self.sessions.accounts().first().and_then(|a| self.sessions.get(&a.id)) {
                self.activate(&switching, next).await?;
            }
        }
        drop(switching);
        self.emit_session_changed().await;
        Ok(())
    }

    /// The active account's Graph client.
    pub async fn graph(&self) -> Result<msgraph::Client, IpcError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| a.graph.clone())
            .ok_or_else(IpcError::not_signed_in)
    }

    /// Readers of the active account's local copy of the directory.
    async fn active_readers(&self) -> Result<Arc<watch::Readers>, IpcError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| a.readers.clone())
            .ok_or_else(IpcError::not_signed_in)
    }

    /// A window of the local copy, read off the async runtime, with how current the copy is.
    /// Before the first check has written the copy, it reads as empty (the watch status says why).
    async fn copy_page<T, F>(
        &self,
        resource: watch::Resource,
        what: &'static str,
        read: F,
    ) -> Result<CopyWindow<T>, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&watch::Mirror) -> Result<(u64, u32, Vec<T>), watch::WatchError> + Send + 'static,
    {
        self.copy_window(what, move |mirror| mirror.synced_at(resource), read)
            .await
    }

    /// A window of the local copy, read off the async runtime, with `as_of`: when what it shows
    /// was last read from Graph. No copy yet reads as empty.
    async fn copy_window<T, A, F>(&self, what: &'static str, as_of: A, read: F) -> Result<CopyWindow<T>, IpcError>
    where
        T: Send + 'static,
        A: FnOnce(&watch::Mirror) -> Result<Option<time::OffsetDateTime>, watch::WatchError> + Send + 'static,
        F: FnOnce(&watch::Mirror) -> Result<(u64, u32, Vec<T>), watch::WatchError> + Send + 'static,
    {
        let readers = self.active_readers().await?;
        let read = read_mirror(readers, what, move |mirror| Ok(Some((read(mirror)?, as_of(mirror)?)))).await?;
        let ((total, offset, rows), as_of) = read.unwrap_or_default();
        Ok(CopyWindow {
            total: u32::try_from(total).unwrap_or(u32::MAX),
            offset,
            rows,
            as_of: as_of.map(crate::view::rfc3339),
        })
    }

    /// Users and Groups tables: a window of the local copy.
    pub async fn query_directory<T, M>(
        &self,
        resource: watch::Resource,
        query: watch::ListQuery,
        row: M,
    ) -> Result<CopyWindow<T>, IpcError>
    where
        T: Send + 'static,
        M: Fn(&watch::Record) -> Result<T, watch::WatchError> + Send + 'static,
    {
        self.copy_page(resource, "Reading the local copy of the directory", move |mirror| {
            let page = mirror.list(resource, &query)?;
            let rows = page.rows.iter().map(row).collect::<Result<Vec<_>, _>>()?;
            Ok((page.total, page.offset, rows))
        })
        .await
    }

    /// A group's members: a window of the local copy.
    pub async fn query_group_members(
        &self,
        group_id: String,
        query: watch::ListQuery,
    ) -> Result<CopyWindow<MemberRow>, IpcError> {
        self.copy_page(watch::Resource::Groups, "Reading the group's members", move |mirror| {
            let page = mirror.group_members(group_id.trim(), &query)?;
            Ok((
                page.total,
                page.offset,
                page.rows.iter().map(MemberRow::from_record).collect(),
            ))
        })
        .await
    }

    /// A window of a group's owners, from the local copy.
    pub async fn query_group_owners(
        &self,
        group_id: String,
        query: watch::ListQuery,
    ) -> Result<CopyWindow<MemberRow>, IpcError> {
        self.copy_page(watch::Resource::Groups, "Reading the group's owners", move |mirror| {
            let page = mirror.group_owners(group_id.trim(), &query)?;
            Ok((
                page.total,
                page.offset,
                page.rows.iter().map(MemberRow::from_record).collect(),
            ))
        })
        .await
    }

    /// A window of a person's direct reports (the people whose manager they are), from the copy.
    pub async fn query_direct_reports(
        &self,
        user_id: String,
        query: watch::ListQuery,
    ) -> Result<CopyWindow<UserRow>, IpcError> {
        self.copy_page(watch::Resource::Users, "Reading the direct reports", move |mirror| {
            let page = mirror.direct_reports(user_id.trim(), &query)?;
            let rows = page.rows.iter().map(UserRow::from_record).collect::<Result<_, _>>()?;
            Ok((page.total, page.offset, rows))
        })
        .await
    }

    /// A window of the people holding a licence (directly or through a group), from the copy.
    pub async fn query_licence_holders(
        &self,
        sku_id: String,
        query: watch::ListQuery,
    ) -> Result<CopyWindow<UserRow>, IpcError> {
        self.copy_page(watch::Resource::Users, "Reading who holds the licence", move |mirror| {
            let page = mirror.licence_holders(sku_id.trim(), &query)?;
            let rows = page.rows.iter().map(UserRow::from_record).collect::<Result<_, _>>()?;
            Ok((page.total, page.offset, rows))
        })
        .await
    }

    /// A window of a role's holders from the copy; `as_of` is when they were last read from Graph
    /// (`None`: never yet, so an empty window means "not known", not "nobody").
    pub async fn query_role_holders(
        &self,
        role_id: String,
        query: watch::ListQuery,
    ) -> Result<CopyWindow<MemberRow>, IpcError> {
        let role_id = role_id.trim().to_owned();
        let key = role_id.clone();
        self.copy_window(
            "Reading who holds the role",
            move |mirror| mirror.role_holders_read_at(&key),
            move |mirror| {
                let page = mirror.role_holders(&role_id, &query)?;
                Ok((
                    page.total,
                    page.offset,
                    page.rows.iter().map(MemberRow::from_record).collect(),
                ))
            },
        )
        .await
    }

    /// Reads a role's holders from Graph into the copy when the copy's are older than
    /// `ROLE_HOLDERS_FRESH` (or `force`). Returns whether Graph was asked.
    pub async fn refresh_role_holders(&self, role_key: String, force: bool) -> Result<bool, IpcError> {
        let role = directory::roles::find("role", role_key.trim())?;
        if !force {
            let readers = self.active_readers().await?;
            let role_id = role.id.clone();
            let read_at = read_mirror(readers, "Reading who holds the role", move |mirror| {
                mirror.role_holders_read_at(&role_id)
            })
            .await?;
            let fresh = read_at.is_some_and(|t| time::OffsetDateTime::now_utc() - t < ROLE_HOLDERS_FRESH);
            if fresh {
                return Ok(false);
            }
        }
        let client = self.graph().await?;
        let (role, holders) = directory::roles::members(&client, &role.id).await?;
        let holders = holders
            .into_iter()
            .map(|o| (o.id.to_string(), watch::ObjectType::from_odata(o.odata_type.as_deref())))
            .collect();
        self.record_role_holders(watch::RoleHolders::Replace {
            role_id: role.id,
            holders,
        })
        .await;
        Ok(true)
    }

    /// Records role holders in the copy; never fails the command (Graph has the change).
    pub async fn record_role_holders(&self, change: watch::RoleHolders) {
        let active = self.active.lock().await;
        let Some(active) = active.as_ref() else { return };
        if let Err(e) = active.engine.record_role_holders(change).await {
            tracing::warn!(error = %e, "who holds a role could not be recorded in the local copy");
        }
    }

    /// The groups a person owns, from the copy.
    pub async fn owned_groups(&self, key: String) -> Result<Vec<GroupRow>, IpcError> {
        let readers = self.active_readers().await?;
        let groups = read_mirror(readers, "Reading the groups the person owns", move |mirror| {
            let Some(user) = mirror.find_user(&key)? else {
                return Ok(Vec::new());
            };
            mirror
                .groups_owned_by(&user.id)?
                .iter()
                .map(GroupRow::from_record)
                .collect()
        })
        .await?;
        Ok(groups)
    }

    /// The groups a person (id, sign-in name or address) is a direct member of, from the copy.
    pub async fn user_groups(&self, key: String) -> Result<Vec<GroupRow>, IpcError> {
        let readers = self.active_readers().await?;
        let groups = read_mirror(readers, "Reading the person's groups", move |mirror| {
            let Some(user) = mirror.find_user(&key)? else {
                return Ok(Vec::new());
            };
            mirror.groups_of(&user.id)?.iter().map(GroupRow::from_record).collect()
        })
        .await?;
        Ok(groups)
    }

    /// One user or group as the local copy has it (the detail drawers show it at once, then the
    /// live object from Graph). `None` when the copy does not hold it (yet).
    pub async fn copy_object<T, M>(
        &self,
        resource: watch::Resource,
        key: String,
        view: M,
    ) -> Result<Option<T>, IpcError>
    where
        T: Send + 'static,
        M: FnOnce(&watch::Record) -> Result<T, watch::WatchError> + Send + 'static,
    {
        let readers = self.active_readers().await?;
        read_mirror(readers, "Reading the local copy", move |mirror| {
            let key = key.trim();
            let record = match resource {
                watch::Resource::Users => mirror.find_user(key)?,
                watch::Resource::Groups => mirror.get(resource, key)?,
            };
            record.as_ref().map(view).transpose()
        })
        .await
    }

    /// Find a person by object id, sign-in name or any of their addresses, in the copy.
    pub async fn find_person(&self, key: String) -> Result<Option<UserRow>, IpcError> {
        let readers = self.active_readers().await?;
        read_mirror(readers, "Looking the person up", move |mirror| {
            mirror.find_user(&key)?.as_ref().map(UserRow::from_record).transpose()
        })
        .await
    }

    /// Records changes Graph accepted in the local copy now (write-through, adapters in `watch::own`).
    /// Never fails the command: Graph has the change, and the next check brings it anyway.
    pub async fn record_own(&self, changes: impl IntoIterator<Item = Option<watch::OwnChange>>) {
        let changes: Vec<watch::OwnChange> = changes.into_iter().flatten().collect();
        if changes.is_empty() {
            return;
        }
        let active = self.active.lock().await;
        let Some(active) = active.as_ref() else { return };
        if let Err(e) = active.engine.record_own(changes).await {
            tracing::warn!(error = %e, "a change made here could not be recorded in the local copy; the next check will");
        }
    }

    /// The Graph client for a command that changes the directory, and a handle that starts a
    /// check when the command ends: the tables (which read the local copy) and Activity then show
    /// the change within one delta walk instead of at the next scheduled check.
    pub async fn graph_for_change(&self) -> Result<(msgraph::Client, watch::CheckAfter), IpcError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| (a.graph.clone(), a.engine.check_after()))
            .ok_or_else(IpcError::not_signed_in)
    }

    /// The jobs files and the jobs running in this process, whichever account is active.
    pub fn bulk(&self) -> &crate::bulk::Bulk {
        &self.bulk
    }

    /// The active account's bulk jobs file, and the jobs of this process.
    pub async fn bulk_jobs(&self) -> Result<(PathBuf, &crate::bulk::Bulk), IpcError> {
        let active = self.active.lock().await;
        let path = active
            .as_ref()
            .map(|a| a.jobs_path.clone())
            .ok_or_else(IpcError::not_signed_in)?;
        Ok((path, &self.bulk))
    }

    /// Recorded directory events of the active tenant, newest first.
    pub async fn activity(&self, limit: u32) -> Result<Vec<ActivityEvent>, IpcError> {
        let readers = self.active_readers().await?;
        let limit = limit.clamp(1, 100_000) as usize;
        let events = read_mirror(readers, "Reading the activity history", move |mirror| {
            mirror.events(&watch::EventQuery {
                limit,
                ..Default::default()
            })
        })
        .await?;
        Ok(events.iter().map(ActivityEvent::from).collect())
    }

    /// The active tenant's watch rules, with watched groups named from the local copy.
    pub async fn watch_settings(&self) -> Result<WatchSettings, IpcError> {
        let (rules, readers) = {
            let active = self.active.lock().await;
            let active = active.as_ref().ok_or_else(IpcError::not_signed_in)?;
            (active.engine.rules(), active.readers.clone())
        };
        let names = watched_names(readers, &rules).await?;
        Ok(settings_view(&rules, &names))
    }

    pub async fn set_watch_settings(&self, settings: WatchSettings) -> Result<WatchSettings, IpcError> {
        validate_watch_settings(&settings)?;
        let rules = watch::WatchRules {
            kinds: settings
                .kinds
                .iter()
                .map(|k| {
                    (
                        k.kind,
                        watch::KindRule {
                            enabled: k.enabled,
                            notify: k.notify,
                        },
                    )
                })
                .collect(),
            groups: if settings.watch_all_groups {
                watch::GroupScope::All
            } else {
                watch::GroupScope::Only(settings.watched_groups.iter().map(|g| g.id.clone()).collect())
            },
            users: if settings.watch_all_users {
                watch::UserScope::All
            } else {
                watch::UserScope::Only(settings.watched_users.iter().map(|u| u.id.clone()).collect())
            },
            member_type: settings.member_type,
            poll_interval_secs: u64::from(settings.poll_interval_secs),
            retention_days: settings.retention_days,
        };
        let (saved, readers) = {
            let active = self.active.lock().await;
            let active = active.as_ref().ok_or_else(IpcError::not_signed_in)?;
            let saved = active
                .engine
                .set_rules(rules)
                .await
                .map_err(|e| IpcError::internal(format!("The watch settings could not be saved: {e}")))?;
            (saved, active.readers.clone())
        };
        let names = watched_names(readers, &saved).await?;
        Ok(settings_view(&saved, &names))
    }

    /// Groups whose name contains `text`, from the local copy of the directory.
    pub async fn search_watch_groups(&self, text: String) -> Result<Vec<GroupChoice>, IpcError> {
        let readers = self.active_readers().await?;
        let groups = read_mirror(readers, "Searching groups", move |mirror| {
            mirror.search_groups(text.trim(), 50)
        })
        .await?;
        Ok(groups
            .iter()
            .map(|g| GroupChoice {
                id: g.id.clone(),
                name: g.display(),
            })
            .collect())
    }

    pub async fn check_now(&self) -> Result<(), IpcError> {
        let active = self.active.lock().await;
        active.as_ref().ok_or_else(IpcError::not_signed_in)?.engine.poll_now();
        Ok(())
    }

    pub async fn watch_status(&self) -> WatchStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Pauses or resumes watching (tray menu). Returns true when now paused.
    pub async fn toggle_watch_pause(&self) -> bool {
        let active = self.active.lock().await;
        let Some(active) = active.as_ref() else { return false };
        let paused = matches!(active.engine.status().borrow().state, watch::WatchState::Paused);
        if paused {
            active.engine.resume();
        } else {
            active.engine.pause();
        }
        !paused
    }

    /// Makes `session` the active account: a Graph client for it and a watcher on its tenant. The
    /// old watcher is stopped first; `Switching` keeps anything else from activating meanwhile.
    async fn activate(&self, switching: &Switching<'_>, session: Session) -> Result<AccountView, IpcError> {
        self.deactivate(switching).await;
        let profile = session.profile().clone();
        let account = session.account().clone();
        let view = account_view(&account, &profile);
        let graph_base = match profile.kind {
            ProfileKind::Practice => {
                let practice = self.practice.lock().await;
                let sandbox = practice
                    .as_ref()
                    .ok_or_else(|| IpcError::internal("The practice tenant is not running."))?;
                url::Url::parse(&sandbox.graph_url())
                    .map_err(|e| IpcError::internal(format!("The practice tenant's address is not valid: {e}")))?
            }
            ProfileKind::Organization => profile.cloud.unwrap_or(msgraph::Cloud::Global).graph_base(),
        };
        let session = Arc::new(session);
        // The app's own actions wait visibly and can be stopped; the watcher's checks wait unseen.
        let graph = msgraph::Client::with_options(
            graph_base.clone(),
            session.clone(),
            msgraph::ClientOptions {
                waits: Some(self.waits.clone()),
                read_only: profile.read_only,
                ..Default::default()
            },
        );
        let checks = msgraph::Client::with_options(
            graph_base,
            session,
            msgraph::ClientOptions {
                read_only: profile.read_only,
                ..Default::default()
            },
        );

        let file_key = safe_file_name(&format!("{}-{}", profile.id, account.id));
        let db_path = self.data_dir.join("watch").join(format!("{file_key}.sqlite3"));
        let jobs_path = self.data_dir.join("jobs").join(format!("{file_key}.sqlite3"));
        let options = watch::EngineOptions::new(&db_path);
        if let Some(secs) = self.overrides.watch_interval_secs {
            // Saved before the engine starts, so that the very first wait already uses it.
            let saved = watch::load_rules(&options.rules_path).and_then(|rules| {
                watch::save_rules(
                    &options.rules_path,
                    watch::WatchRules {
                        poll_interval_secs: secs,
                        ..rules
                    },
                )
            });
            if let Err(e) = saved {
                tracing::warn!(error = %e, "could not set the poll interval");
            }
        }
        let (engine, batches) = watch::Engine::start(Arc::new(checks), options)
            .map_err(|e| IpcError::internal(format!("Watching the directory could not start: {e}")))?;
        let forwarders = vec![
            forward_batches(self.sink.clone(), batches),
            forward_status(self.sink.clone(), engine.status(), self.status.clone()),
        ];
        let mut active = self.active.lock().await;
        debug_assert!(active.is_none(), "deactivated above, under the same switching lock");
        *active = Some(Active {
            view: view.clone(),
            graph,
            engine,
            readers: Arc::new(watch::Readers::new(db_path)),
            jobs_path,
            journal: self.open_journal(&profile, &account),
            forwarders,
        });
        Ok(view)
    }

    /// The account's journal of changes made here (`journal/<profile>-<account>.sqlite3`); one that
    /// cannot be read is set aside with a notice, and one that cannot be opened at all leaves the
    /// app working without a journal (said in the notices), never blocking the sign-in.
    fn open_journal(&self, profile: &Profile, account: &signin::Account) -> Option<Arc<journal::Journal>> {
        let path = self.data_dir.join("journal").join(format!(
            "{}.sqlite3",
            safe_file_name(&format!("{}-{}", profile.id, account.id))
        ));
        let notice = match journal::Journal::open_or_set_aside(&path) {
            Ok((journal, notice)) => {
                if let Some(n) = notice {
                    self.notices.lock().unwrap_or_else(|p| p.into_inner()).push(n);
                }
                return Some(Arc::new(journal));
            }
            Err(e) => format!("Changes made here cannot be recorded in this session: {e}"),
        };
        tracing::warn!(%notice, "journal not opened");
        self.notices.lock().unwrap_or_else(|p| p.into_inner()).push(notice);
        None
    }

    /// The active account's journal and who it is (for the journal's entries).
    pub async fn journal(&self) -> Result<(Option<Arc<journal::Journal>>, journal::Account), IpcError> {
        let active = self.active.lock().await;
        let a = active.as_ref().ok_or_else(IpcError::not_signed_in)?;
        let account = journal::Account {
            id: a.view.id.clone(),
            name: if a.view.display_name.trim().is_empty() {
                a.view.username.clone()
            } else {
                a.view.display_name.clone()
            },
        };
        Ok((a.journal.clone(), account))
    }

    /// Stops the active account's watcher (waiting for it) and says nothing is watched any more.
    async fn deactivate(&self, _switching: &Switching<'_>) {
        let previous = self.active.lock().await.take();
        if let Some(active) = previous {
            for f in &active.forwarders {
                f.abort();
            }
            active.engine.stop().await;
        }
        let status = WatchStatus::not_watching();
        *self.status.lock().unwrap_or_else(|p| p.into_inner()) = status.clone();
        self.sink.watch_status(status);
    }

    async fn emit_session_changed(&self) {
        self.sink.session_changed(self.snapshot().await);
    }
}

/// Sends every batch of changes to the sink until the watcher stops.
fn forward_batches(
    sink: Arc<dyn EventSink>,
    mut batches: tokio::sync::mpsc::Receiver<watch::ChangeBatch>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(batch) = batches.recv().await {
            sink.directory_changed(&batch);
        }
    })
}

/// Sends the watcher's status to the sink as it changes, and keeps the latest for `get_watch_status`.
fn forward_status(
    sink: Arc<dyn EventSink>,
    mut status: tokio::sync::watch::Receiver<watch::WatchStatus>,
    latest: Arc<std::sync::Mutex<WatchStatus>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let view = WatchStatus::from(&*status.borrow_and_update());
            *latest.lock().unwrap_or_else(|p| p.into_inner()) = view.clone();
            sink.watch_status(view);
            if status.changed().await.is_err() {
                break;
            }
        }
    })
}

fn account_view(account: &signin::Account, profile: &Profile) -> AccountView {
    AccountView {
        id: account.id.clone(),
        display_name: account.display_name.clone(),
        username: account.username.clone(),
        tenant_id: account.tenant_id.clone(),
        kind: profile.kind,
        cloud: profile.cloud.unwrap_or(msgraph::Cloud::Global),
        read_only: profile.read_only,
    }
}

fn organization_form(profile: &Profile) -> Option<OrganizationProfile> {
    (profile.kind == ProfileKind::Organization).then(|| OrganizationProfile {
        tenant: profile.tenant().to_string(),
        client_id: profile.client_id.clone(),
        cloud: profile.cloud.unwrap_or(msgraph::Cloud::Global),
        read_only: profile.read_only,
    })
}

/// A file name from an account key (`oid.tid`): letters, digits, `-`, `.`, `_` only.
fn safe_file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Refresh tokens in the OS keyring. On Windows they stay on this machine (no roaming profile).
/// Generated (people, groups) on top of the sample organisation for each size.
fn practice_generate(size: PracticeSize) -> Option<(usize, usize)> {
    match size {
        PracticeSize::Sample => None,
        PracticeSize::People2000 => Some((2_000, 200)),
        PracticeSize::People100000 => Some((100_000, 10_000)),
    }
}

pub fn token_store() -> TokenStore {
    let store = TokenStore::new(KEYRING_SERVICE);
    #[cfg(target_os = "windows")]
    let store = store.with_entry_modifiers(&[("persistence", "Local")]);
    store
}

/// Every group's name in the local copy, by id (for naming the watch-list).
/// The names the copy knows for the groups and people the rules name.
async fn watched_names(
    readers: Arc<watch::Readers>,
    rules: &watch::WatchRules,
) -> Result<std::collections::HashMap<String, String>, IpcError> {
    let mut wanted: Vec<(String, watch::ObjectType)> = Vec::new();
    if let watch::GroupScope::Only(ids) = &rules.groups {
        wanted.extend(ids.iter().map(|id| (id.clone(), watch::ObjectType::Group)));
    }
    if let watch::UserScope::Only(ids) = &rules.users {
        wanted.extend(ids.iter().map(|id| (id.clone(), watch::ObjectType::User)));
    }
    read_mirror(readers, "Reading the watched groups and people", move |mirror| {
        let mut names = std::collections::HashMap::new();
        for (id, object_type) in wanted {
            if let Some(name) = mirror.resolve(&id, object_type)?.name {
                names.insert(id, name);
            }
        }
        Ok(names)
    })
    .await
}

/// Reads the local copy off the async runtime (SQLite blocks), on a kept connection. No copy yet
/// reads as empty.
async fn read_mirror<T, F>(readers: Arc<watch::Readers>, what: &'static str, read: F) -> Result<T, IpcError>
where
    T: Default + Send + 'static,
    F: FnOnce(&watch::Mirror) -> Result<T, watch::WatchError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || readers.read(read))
        .await
        .map_err(|e| IpcError::internal(format!("{what} failed: {e}")))?
        .map(Option::unwrap_or_default)
        .map_err(|e| match e {
            watch::WatchError::BadQuery(message) => IpcError::Validation {
                message,
                field: Some("criteria".into()),
            },
            e => IpcError::internal(format!("{what} failed: {e}")),
        })
}

fn settings_view(rules: &watch::WatchRules, names: &std::collections::HashMap<String, String>) -> WatchSettings {
    let (watch_all_groups, watched_groups) = match &rules.groups {
        watch::GroupScope::All => (true, vec![]),
        watch::GroupScope::Only(ids) => (
            false,
            ids.iter()
                .map(|id| GroupChoice {
                    id: id.clone(),
                    // A group deleted since it was chosen keeps its id so the person sees what it was.
                    name: names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| format!("Group {id} (no longer in the directory)")),
                })
                .collect(),
        ),
    };
    let (watch_all_users, watched_users) = match &rules.users {
        watch::UserScope::All => (true, vec![]),
        watch::UserScope::Only(ids) => (
            false,
            ids.iter()
                .map(|id| PersonChoice {
                    id: id.clone(),
                    name: names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| format!("User {id} (no longer in the directory)")),
                })
                .collect(),
        ),
    };
    WatchSettings {
        poll_interval_secs: u32::try_from(rules.poll_interval_secs).unwrap_or(u32::MAX),
        retention_days: rules.retention_days,
        kinds: watch::EventKind::ALL
            .iter()
            .map(|k| {
                let rule = rules.kinds.get(k).copied().unwrap_or_default();
                KindSetting {
                    kind: *k,
                    enabled: rule.enabled,
                    notify: rule.notify,
                }
            })
            .collect(),
        watch_all_groups,
        watched_groups,
        member_type: rules.member_type,
        watch_all_users,
        watched_users,
    }
}

/// Settings are checked before anything is saved; the message names what to change.
fn validate_watch_settings(settings: &WatchSettings) -> Result<(), IpcError> {
    if !(u64::from(settings.poll_interval_secs) >= watch::MIN_POLL_SECS && settings.poll_interval_secs <= 86_400) {
        return Err(IpcError::Validation {
        message: format!(
            "Check the directory every {} seconds to 24 hours (86,400 seconds). Checking more often does not find changes sooner than Microsoft Graph records them.",
            watch::MIN_POLL_SECS
        ),
        field: Some("pollIntervalSecs".into()),
        });
    }
    if !(1..=3650).contains(&settings.retention_days) {
        return Err(IpcError::Validation {
            message: "Keep the history for 1 to 3,650 days.".into(),
            field: Some("retentionDays".into()),
        });
    }
    if !settings.watch_all_groups && settings.watched_groups.is_empty() {
        return Err(IpcError::Validation {
            message: "Choose at least one group to watch, or watch all groups.".into(),
            field: Some("watchedGroups".into()),
        });
    }
    if !settings.watch_all_users && settings.watched_users.is_empty() {
        return Err(IpcError::Validation {
            message: "Choose at least one person to watch for changes, or watch everyone.".into(),
            field: Some("watchedUsers".into()),
        });
    }
    Ok(())
}

/// The organisation profile from the sign-in form, or a validation error naming the field.
fn organization_profile(request: &SignInRequest) -> Result<Profile, IpcError> {
    Profile::organization(
        ORGANIZATION_PROFILE_ID,
        "Organization",
        request.cloud,
        &request.tenant,
        request.client_id.clone(),
    )
    .map(|p| if request.read_only { p.read_only() } else { p })
    .map_err(|e| {
        let field = if request.client_id.trim().is_empty() {
            "clientId"
        } else {
            "tenant"
        };
        IpcError::Validation {
            message: format!("{} {}", e.message, e.next_step),
            field: Some(field.into()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use watch::EventKind;

    fn settings() -> WatchSettings {
        settings_view(&watch::WatchRules::default(), &Default::default())
    }

    #[test]
    fn default_rules_watch_every_kind_of_every_group_every_minute() {
        let s = settings();
        assert_eq!(s.poll_interval_secs, 60);
        assert_eq!(s.retention_days, 180);
        assert!(s.watch_all_groups);
        assert_eq!(s.kinds.len(), 10);
        assert!(s.kinds.iter().all(|k| k.enabled && k.notify));
        assert!(validate_watch_settings(&s).is_ok());
    }

    #[test]
    fn bad_settings_are_refused_with_the_field_named() {
        let field = |s: WatchSettings| match validate_watch_settings(&s) {
            Err(IpcError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(
            field(WatchSettings {
                poll_interval_secs: 5,
                ..settings()
            })
            .as_deref(),
            Some("pollIntervalSecs")
        );
        assert_eq!(
            field(WatchSettings {
                poll_interval_secs: 90_000,
                ..settings()
            })
            .as_deref(),
            Some("pollIntervalSecs")
        );
        assert_eq!(
            field(WatchSettings {
                retention_days: 0,
                ..settings()
            })
            .as_deref(),
            Some("retentionDays")
        );
        assert_eq!(
            field(WatchSettings {
                watch_all_groups: false,
                watched_groups: vec![],
                ..settings()
            })
            .as_deref(),
            Some("watchedGroups")
        );
        assert_eq!(
            field(WatchSettings {
                watch_all_users: false,
                watched_users: vec![],
                ..settings()
            })
            .as_deref(),
            Some("watchedUsers")
        );
    }

    #[test]
    fn a_watched_group_that_was_deleted_keeps_its_id_visible() {
        let rules = watch::WatchRules {
            groups: watch::GroupScope::Only(vec!["g1".into(), "g2".into()]),
            users: watch::UserScope::Only(vec!["u1".into(), "u9".into()]),
            member_type: watch::MemberType::Both,
            kinds: [(
                watch::EventKind::UserUpdated,
                watch::KindRule {
                    enabled: true,
                    notify: false,
                },
            )]
            .into(),
            ..Default::default()
        };
        let names = [
            ("g1".to_string(), "Sales".to_string()),
            ("u1".to_string(), "Adele Vance".to_string()),
        ]
        .into();
        let s = settings_view(&rules, &names);
        assert!(!s.watch_all_groups);
        assert_eq!(s.watched_groups[0].name, "Sales");
        assert!(s.watched_groups[1].name.contains("g2"));
        assert!(!s.watch_all_users);
        assert_eq!(s.watched_users[0].name, "Adele Vance");
        assert_eq!(s.watched_users[1].name, "User u9 (no longer in the directory)");
        assert_eq!(s.member_type, watch::MemberType::Both);
        let updated = s.kinds.iter().find(|k| k.kind == EventKind::UserUpdated).unwrap();
        assert!(updated.enabled && !updated.notify);
    }
}
