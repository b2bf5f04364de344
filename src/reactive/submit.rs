//! [`Submit`]: something the user sends (a form saved, a thing deleted, a file uploaded), run
//! like Leptos's `Action`.

use std::future::Future;
use std::marker::PhantomData;
use std::rc::Rc;

use leptos::prelude::*;

use super::{Erased, ErasedFuture, typed};

type ErasedRun = Rc<dyn Fn(&Erased) -> ErasedFuture>;

/// Runs the given async function with each input [`dispatch`](Submit::dispatch)ed to it, and
/// keeps the last run's result for the page to show.
pub struct Submit<I, O> {
    action: Action<Erased, Erased>,
    types: PhantomData<fn(I) -> O>,
}

impl<I, O> Clone for Submit<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Submit<I, O> {}

impl<I: 'static, O: Clone + 'static> Submit<I, O> {
    pub fn new<Fut>(run: impl Fn(&I) -> Fut + 'static) -> Self
    where
        Fut: Future<Output = O> + 'static,
    {
        let run: ErasedRun = Rc::new(move |input: &Erased| {
            let input = input
                .downcast_ref::<I>()
                .expect("a Submit<I, O> is only ever given an I");
            let future = run(input);
            Box::pin(async move { Rc::new(future.await) as Erased }) as ErasedFuture
        });
        Self {
            action: erased_action(run),
            types: PhantomData,
        }
    }

    /// Runs it with `input`.
    pub fn dispatch(&self, input: I) {
        self.action.dispatch_local(Rc::new(input));
    }

    /// Whether a run has not ended yet.
    pub fn pending(&self) -> Memo<bool> {
        self.action.pending()
    }

    /// The last run's result: `None` before one ends or after [`clear`](Submit::clear);
    /// tracked like a signal.
    pub fn value(&self) -> Option<O> {
        self.action.value().get().map(|value| typed(&value))
    }

    /// Forgets the last run's result (a message about it is no longer wanted).
    pub fn clear(&self) {
        self.action.value().set(None);
    }
}

/// The one `Action` instance: not generic, so Leptos's code for it is compiled once.
fn erased_action(run: ErasedRun) -> Action<Erased, Erased> {
    Action::new_local(move |input: &Erased| run(input))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::reactive::testing::{reactive, run_until};

    #[test]
    fn a_submit_runs_with_each_input_keeps_the_last_result_and_forgets_it_when_cleared() {
        let _owner = reactive();
        let runs = Rc::new(Cell::new(0));
        let double: Submit<(String, u32), Result<u32, String>> = Submit::new({
            let runs = runs.clone();
            move |(name, n): &(String, u32)| {
                runs.set(runs.get() + 1);
                let (name, n) = (name.clone(), *n);
                async move {
                    if name.is_empty() {
                        Err("no name".to_string())
                    } else {
                        Ok(n * 2)
                    }
                }
            }
        });
        let value = move || double.action.value().get_untracked().map(|v| typed(&v));
        assert_eq!(value(), None::<Result<u32, String>>);

        double.dispatch(("x".into(), 21));
        run_until("the first result", || value() == Some(Ok(42)));
        assert!(!double.pending().get_untracked());

        double.dispatch((String::new(), 1));
        run_until("the failure", || value() == Some(Err("no name".into())));
        assert_eq!(runs.get(), 2);

        double.clear();
        assert_eq!(value(), None);
    }
}
