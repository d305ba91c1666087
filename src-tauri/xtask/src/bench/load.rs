//! How busy the machine was while the bench ran: the 1-minute load average (`/proc/loadavg`)
//! sampled every 30 s on a thread of its own, and the run's start and end (UTC), written at the
//! top of BENCHMARKS.md so that a reader can tell a quiet run from a shared one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(30);

pub struct Sampler {
    started: time::OffsetDateTime,
    samples: Arc<Mutex<Vec<f64>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn one_minute() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Sampler {
    /// Starts sampling now (the first sample is taken at once).
    pub fn start() -> Sampler {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, halt) = (samples.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut waited = EVERY;
            while !halt.load(Ordering::Relaxed) {
                if waited >= EVERY {
                    if let (Some(v), Ok(mut all)) = (one_minute(), s.lock()) {
                        all.push(v);
                    }
                    waited = Duration::ZERO;
                }
                std::thread::sleep(Duration::from_millis(500));
                waited += Duration::from_millis(500);
            }
        });
        Sampler {
            started: time::OffsetDateTime::now_utc(),
            samples,
            stop,
            thread: Some(thread),
        }
    }

    /// Stops sampling; says when the run was and how loaded the machine was, in one sentence.
    pub fn finish(mut self) -> String {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let mut v = self.samples.lock().map(|s| s.clone()).unwrap_or_default();
        v.sort_by(f64::total_cmp);
        let ended = time::OffsetDateTime::now_utc();
        let hm = |t: time::OffsetDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
        let when = format!("{} {}–{} UTC", self.started.date(), hm(self.started), hm(ended));
        match (v.first(), v.last()) {
            (Some(min), Some(max)) => format!(
                "{when}; load average (1 min, {} samples every 30 s): median {:.2}, min {min:.2}, max {max:.2} on {} cores",
                v.len(),
                v[v.len() / 2],
                std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
            ),
            _ => format!("{when}; load average not readable"),
        }
    }
}
