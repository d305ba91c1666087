//! Long waits, made visible and stoppable. When Graph answers 429 or 503 with `Retry-After: 120`, the
//! client waits before sending again (at most `RetryPolicy::max_total_wait` per call). A person looking
//! at a form that says "Saving…" for two minutes deserves to know why, and to stop: [`Waits`] tells a
//! listener when a wait of [`VISIBLE_AFTER`] or more starts and ends, and [`Waits::stop`] ends every wait
//! now in progress — each such call then returns an error of kind `Stopped` without sending again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Shorter waits (the usual backoff of a retry) pass without being shown.
pub const VISIBLE_AFTER: Duration = Duration::from_secs(3);

/// One wait in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    /// Tells the start and the end of one wait apart from others at the same time.
    pub id: u64,
    /// "PATCH /users/…" (the path only: ids, no query).
    pub request: String,
    /// The status Graph answered (429, 503), or `None` after a dropped connection.
    pub status: Option<u16>,
    /// How long, in whole seconds (rounded up).
    pub seconds: u64,
}

/// A wait started (with what it is) or ended (its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitEvent {
    Started(Waiting),
    Ended(u64),
}

type Listener = Box<dyn Fn(WaitEvent) + Send + Sync>;

/// Shared by every clone of a client built with it (`ClientOptions::waits`).
#[derive(Clone, Default)]
pub struct Waits {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    listener: Mutex<Option<Listener>>,
    stop: tokio::sync::Notify,
    next_id: AtomicU64,
}

impl std::fmt::Debug for Waits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waits").finish_non_exhaustive()
    }
}

impl Waits {
    /// Waits that tell `listener` when a long one starts and ends.
    pub fn new(listener: impl Fn(WaitEvent) + Send + Sync + 'static) -> Waits {
        let waits = Waits::default();
        *waits.inner.listener.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(listener));
        waits
    }

    /// Ends every wait now in progress: each returns at once, and its call fails with `Stopped`.
    pub fn stop(&self) {
        self.inner.stop.notify_waiters();
    }

    fn tell(&self, event: WaitEvent) {
        if let Some(listener) = self.inner.listener.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            listener(event);
        }
    }

    /// Sleeps `wait`; a long one is told to the listener and can be stopped. `false`: stopped.
    pub(crate) async fn sleep(&self, wait: Duration, request: &str, status: Option<u16>) -> bool {
        if wait < VISIBLE_AFTER {
            tokio::time::sleep(wait).await;
            return true;
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        // Registered before the listener hears of the wait, so a stop that follows at once is seen.
        let stopped = self.inner.stop.notified();
        tokio::pin!(stopped);
        stopped.as_mut().enable();
        self.tell(WaitEvent::Started(Waiting {
            id,
            request: request.to_string(),
            status,
            seconds: wait.as_millis().div_ceil(1000) as u64,
        }));
        let finished = tokio::select! {
            _ = tokio::time::sleep(wait) => true,
            _ = &mut stopped => false,
        };
        self.tell(WaitEvent::Ended(id));
        finished
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn short_waits_pass_quietly_and_long_ones_are_told_and_can_be_stopped() {
        let events = Arc::new(Mutex::new(Vec::new()));
        let seen = events.clone();
        let waits = Waits::new(move |e| seen.lock().unwrap().push(e));
        assert!(waits.sleep(Duration::from_secs(2), "GET /users", Some(503)).await);
        assert!(events.lock().unwrap().is_empty(), "a 2 s backoff is not shown");

        assert!(
            waits
                .sleep(Duration::from_millis(4_500), "PATCH /users/1", Some(429))
                .await
        );
        assert_eq!(
            *events.lock().unwrap(),
            vec![
                WaitEvent::Started(Waiting {
                    id: 1,
                    request: "PATCH /users/1".into(),
                    status: Some(429),
                    seconds: 5
                }),
                WaitEvent::Ended(1)
            ]
        );

        let stopper = waits.clone();
        let long = tokio::spawn(async move { stopper.sleep(Duration::from_secs(120), "POST /users", Some(429)).await });
        tokio::time::sleep(Duration::from_secs(10)).await;
        waits.stop();
        assert!(!long.await.unwrap(), "stopped, not waited in full");
        assert_eq!(events.lock().unwrap().last(), Some(&WaitEvent::Ended(2)));
    }
}
