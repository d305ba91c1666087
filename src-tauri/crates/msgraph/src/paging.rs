//! Lazy paging over `@odata.nextLink`.

use std::collections::{HashSet, VecDeque};
use std::marker::PhantomData;

use futures::stream::{self, BoxStream, StreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::client::{Client, Req};
use crate::error::Error;

#[derive(Deserialize)]
pub(crate) struct Page<T> {
    #[serde(default = "Vec::new")]
    pub(crate) value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    pub(crate) next_link: Option<String>,
    #[serde(rename = "@odata.count")]
    pub(crate) count: Option<u64>,
}

/// Graph sent a next-page link it had sent before: following it would never end.
pub(crate) fn repeated_link() -> Error {
    Error::decode(
        "Graph sent the same next-page link twice; stopped to avoid an endless loop",
        None,
        None,
    )
}

enum State {
    First(Req),
    Next(Req),
    Done,
}

/// A lazy, `'static` pager over a Graph collection. It owns a [`Client`] clone, sends nothing
/// until asked, holds at most one page, follows `@odata.nextLink` to the end (also across empty
/// pages), repeats the first request's headers (e.g. `ConsistencyLevel`) on every page, and stops
/// with an error if Graph sends the same link twice.
pub struct Pager<T> {
    client: Client,
    state: State,
    seen: HashSet<String>,
    count: Option<u64>,
    pages: u64,
    pending_error: Option<Error>,
    _t: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("pages", &self.pages)
            .field("done", &matches!(self.state, State::Done))
            .finish()
    }
}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    pub(crate) fn new(client: Client, first: Req) -> Self {
        Pager {
            client,
            state: State::First(first),
            seen: HashSet::new(),
            count: None,
            pages: 0,
            pending_error: None,
            _t: PhantomData,
        }
    }

    /// A pager that fails on first use (input was rejected before anything was sent).
    pub(crate) fn failed(client: Client, err: Error) -> Self {
        let mut p = Pager::new(client, Req::get(""));
        p.state = State::Done;
        p.pending_error = Some(err);
        p
    }

    /// The next non-empty page, or `None` at the end. Empty intermediate pages are skipped,
    /// never treated as the end.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, Error> {
        if let Some(e) = self.pending_error.take() {
            return Err(e);
        }
        loop {
            let req = match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(None),
                State::First(r) | State::Next(r) => r,
            };
            let resp = self.client.execute(&req).await?;
            let page: Page<T> = resp.decode()?;
            self.pages += 1;
            if self.count.is_none() {
                self.count = page.count;
            }
            if let Some(link) = page.next_link {
                if !self.seen.insert(link.clone()) {
                    return Err(repeated_link());
                }
                let mut next = Req::absolute(Method::GET, link);
                next.headers = req.headers.clone();
                self.state = State::Next(next);
            }
            if !page.value.is_empty() {
                return Ok(Some(page.value));
            }
        }
    }

    /// `@odata.count` from the first page, when `$count=true` was asked for.
    pub fn count(&self) -> Option<u64> {
        self.count
    }

    /// How many pages have been fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// A stream of pages (each non-empty).
    pub fn pages(self) -> BoxStream<'static, Result<Vec<T>, Error>> {
        stream::unfold((self, false), |(mut p, failed)| async move {
            if failed {
                return None;
            }
            match p.next_page().await {
                Ok(Some(v)) => Some((Ok(v), (p, false))),
                Ok(None) => None,
                Err(e) => Some((Err(e), (p, true))),
            }
        })
        .boxed()
    }

    /// A stream of items, flattening pages; holds at most one page. Ends after the first error.
    pub fn items(self) -> BoxStream<'static, Result<T, Error>> {
        stream::unfold((self, VecDeque::new(), false), |(mut p, mut buf, failed)| async move {
            if failed {
                return None;
            }
            loop {
                if let Some(x) = buf.pop_front() {
                    return Some((Ok(x), (p, buf, false)));
                }
                match p.next_page().await {
                    Ok(Some(v)) => buf.extend(v),
                    Ok(None) => return None,
                    Err(e) => return Some((Err(e), (p, buf, true))),
                }
            }
        })
        .boxed()
    }

    /// Every item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The first item, fetching as few pages as needed ("First Matching Record").
    pub async fn first(mut self) -> Result<Option<T>, Error> {
        Ok(self.next_page().await?.and_then(|v| v.into_iter().next()))
    }

    /// At most `n` items ("First 200 Matching Records"), stopping as soon as it has them.
    pub async fn take(mut self, n: usize) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while all.len() < n {
            match self.next_page().await? {
                Some(page) => all.extend(page),
                None => break,
            }
        }
        all.truncate(n);
        Ok(all)
    }
}
