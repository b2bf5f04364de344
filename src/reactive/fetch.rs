//! [`Fetch`]: a value loaded asynchronously, read like Leptos's `LocalResource`.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use leptos::prelude::*;

use super::{Erased, ErasedFuture, typed};

type ErasedFetcher = Rc<dyn Fn() -> ErasedFuture>;

/// Loads a `T` with the given async function, again whenever a signal it read changes or
/// [`refetch`](Fetch::refetch) is called. `.await` it inside `Suspend` (which then waits for it
/// and follows its changes), or [`get`](Fetch::get) it in a reactive closure.
pub struct Fetch<T> {
    resource: LocalResource<Erased>,
    value: PhantomData<fn() -> T>,
}

impl<T> Clone for Fetch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Fetch<T> {}

impl<T: Clone + 'static> Fetch<T> {
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let fetcher: ErasedFetcher = Rc::new(move || {
            let future = fetcher();
            Box::pin(async move { Rc::new(future.await) as Erased }) as ErasedFuture
        });
        Self {
            resource: erased_resource(fetcher),
            value: PhantomData,
        }
    }

    /// The latest value, `None` until the first load is done; tracked like a signal.
    pub fn get(&self) -> Option<T> {
        self.resource.get().map(|value| typed(&value))
    }

    /// The latest value, as [`get`](Fetch::get), without subscribing to it.
    pub fn get_untracked(&self) -> Option<T> {
        self.resource.get_untracked().map(|value| typed(&value))
    }

    /// Loads again; readers keep the last value meanwhile.
    pub fn refetch(&self) {
        self.resource.refetch();
    }

    /// Loads again every `period` while `wanted()` says the value may still change (a clip
    /// being made, a channel that may go live), until the owner is cleaned up. A page whose
    /// answer cannot change (a channel that is not there) stops asking.
    pub fn refresh_every(self, period: Duration, wanted: impl Fn() -> bool + 'static) {
        refetch_every(self.resource, period, Box::new(wanted));
    }
}

/// [`Fetch::refresh_every`]'s timer, compiled once rather than for each page's `T`.
fn refetch_every(resource: LocalResource<Erased>, period: Duration, wanted: Box<dyn Fn() -> bool>) {
    let tick = move || {
        if wanted() {
            resource.refetch();
        }
    };
    if let Ok(timer) = set_interval_with_handle(tick, period) {
        on_cleanup(move || timer.clear());
    }
}

impl<T, E> Fetch<Result<T, E>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    E: Clone + 'static,
{
    /// The latest value that loaded, `None` until one did: a failed reload keeps the one before
    /// on screen (the page says the failure beside it).
    pub fn latest_ok(self) -> Memo<Option<T>> {
        Memo::new(move |previous: Option<&Option<T>>| match self.get() {
            Some(Ok(value)) => Some(value),
            _ => previous.cloned().flatten(),
        })
    }
}

/// The one `LocalResource` instance: not generic, so Leptos's code for it is compiled once.
fn erased_resource(fetcher: ErasedFetcher) -> LocalResource<Erased> {
    LocalResource::new(move || fetcher())
}

impl<T: Clone + 'static> IntoFuture for Fetch<T> {
    type Output = T;
    type IntoFuture = Fetched<T>;

    fn into_future(self) -> Fetched<T> {
        Fetched {
            erased: Box::pin(self.resource.into_future()),
            value: PhantomData,
        }
    }
}

/// Waits for a [`Fetch`]'s value (its current one if it has one).
pub struct Fetched<T> {
    erased: Pin<Box<<LocalResource<Erased> as IntoFuture>::IntoFuture>>,
    value: PhantomData<fn() -> T>,
}

impl<T: Clone + 'static> Future for Fetched<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.erased.as_mut().poll(cx).map(|value| typed(&value))
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use any_spawner::Executor;

    use super::*;
    use crate::reactive::testing::{reactive, run_until};

    fn current<T: Clone + 'static>(fetch: Fetch<T>) -> Option<T> {
        fetch.get_untracked()
    }

    #[test]
    fn a_fetch_loads_its_value_and_loads_again_when_asked_or_when_what_it_read_changes() {
        let _owner = reactive();
        let loads = Rc::new(Cell::new(0));
        let page = RwSignal::new(1_u32);
        let fetch = Fetch::new({
            let loads = loads.clone();
            move || {
                loads.set(loads.get() + 1);
                let page = page.get();
                let load = loads.get();
                async move { format!("page {page}, load {load}") }
            }
        });
        let shows = |wanted: &'static str| move || current(fetch).as_deref() == Some(wanted);
        run_until("the first load", shows("page 1, load 1"));

        fetch.refetch();
        run_until("the load asked for", shows("page 1, load 2"));

        page.set(2);
        run_until("the load for the new page", shows("page 2, load 3"));
        assert_eq!(loads.get(), 3);
    }

    #[test]
    fn awaiting_a_fetch_gives_its_typed_value_once_loaded() {
        let _owner = reactive();
        let numbers: Fetch<Result<Vec<u32>, String>> = Fetch::new(|| async { Ok(vec![1, 2, 3]) });
        let words: Fetch<Option<String>> = Fetch::new(|| async { Some("two types".into()) });
        let seen = Rc::new(RefCell::new(None));
        Executor::spawn_local({
            let seen = seen.clone();
            async move {
                let both = (numbers.await, words.await);
                *seen.borrow_mut() = Some(both);
            }
        });
        run_until("both values", || seen.borrow().is_some());
        assert_eq!(
            seen.borrow_mut().take(),
            Some((Ok(vec![1, 2, 3]), Some("two types".to_string())))
        );
    }
}
