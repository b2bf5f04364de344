//! Leptos's resources and actions behind small typed shells, for a smaller app.
//!
//! Why: a `LocalResource<T>` or an `Action<I, O>` makes the compiler copy Leptos's machinery for
//! it (the derived signal or the action's signals, their storage, futures and drops: 2 to 4 KB of
//! wasm each) once per type, and the pages load some two dozen types and submit a dozen more.
//! [`Fetch`] and [`Submit`] use one instance of each, for type-erased values, and each type adds
//! only a thin shell that boxes its value going in and downcasts it coming out.

mod fetch;
mod submit;

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

pub use fetch::Fetch;
pub use submit::Submit;

/// A value of any type; only the typed shells put values in and take them out, each always as
/// its own type parameter.
type Erased = Rc<dyn Any>;
type ErasedFuture = Pin<Box<dyn Future<Output = Erased>>>;

fn typed<T: Clone + 'static>(value: &Erased) -> T {
    value
        .downcast_ref::<T>()
        .expect("a typed shell only ever holds its own type")
        .clone()
}

#[cfg(test)]
mod testing {
    use std::time::{Duration, Instant};

    use any_spawner::Executor;
    use leptos::prelude::Owner;

    /// A reactive owner for a test's signals, with Leptos's tasks run on this thread.
    pub fn reactive() -> Owner {
        let _ = Executor::init_futures_executor();
        let owner = Owner::new();
        owner.set();
        owner
    }

    /// Runs Leptos's local tasks until `done` says so, or fails after five seconds. Not at
    /// once: a `LocalResource` first waits a tick, a task on the executor's thread pool.
    pub fn run_until(what: &str, done: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !done() {
            assert!(Instant::now() < deadline, "never came: {what}");
            Executor::poll_local();
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}
