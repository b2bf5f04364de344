//! A connection's own replies (its errors, its session's end) on their way to its writer, which
//! writes them between the room's frames.
//!
//! The writer waits on the room's ring and on these replies at once, anew after every frame of
//! a busy room. Asking a tokio queue whether it holds something reads the queue's memory, cold
//! in a room of thousands of connections: with 2,000 readers that look cost about 7% of the
//! server's CPU per delivery (`cargo xtask bench chat`, against a build that never looked).
//! Replies are rare, so whoever puts one also raises a flag, and the writer looks at the queue
//! only when the flag is up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;

use super::rooms::Outbound;

/// A new connection's reply queue, holding up to `capacity` replies.
pub fn queue(capacity: usize) -> (Replies, OwnReplies) {
    let (sender, receiver) = mpsc::channel(capacity);
    let signal = Arc::new(Signal {
        raised: AtomicBool::new(false),
        writer: AtomicWaker::new(),
    });
    (
        Replies {
            queue: Some(sender),
            signal: signal.clone(),
        },
        OwnReplies {
            queue: receiver,
            signal,
            look: false,
        },
    )
}

struct Signal {
    /// A reply was put, or a sender went, since the writer last found the queue empty.
    raised: AtomicBool,
    writer: AtomicWaker,
}

impl Signal {
    /// After the queue changed: the writer looks at it next time, and wakes to do so.
    fn raise(&self) {
        self.raised.store(true, Ordering::Release);
        self.writer.wake();
    }
}

/// Where a connection's replies are put: by its reader, and by the room's delivery line for
/// the messages it sent.
pub struct Replies {
    /// `None` only while being dropped.
    queue: Option<mpsc::Sender<Outbound>>,
    signal: Arc<Signal>,
}

impl Replies {
    /// Puts `reply` after those before it; false when the queue is full (its client is not
    /// reading, and the flood limit will end it).
    pub fn send(&self, reply: Outbound) -> bool {
        let put = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.try_send(reply).is_ok());
        self.signal.raise();
        put
    }
}

impl Clone for Replies {
    fn clone(&self) -> Self {
        Self {
            queue: self.queue.clone(),
            signal: self.signal.clone(),
        }
    }
}

impl Drop for Replies {
    fn drop(&mut self) {
        // Closed first, raised after: woken by the last sender going, the writer must find the
        // queue closed, or it would never learn that its reader ended.
        drop(self.queue.take());
        self.signal.raise();
    }
}

/// The writer's end of the queue.
pub struct OwnReplies {
    queue: mpsc::Receiver<Outbound>,
    signal: Arc<Signal>,
    /// The flag was seen up and the queue not yet found empty: look without asking the flag.
    look: bool,
}

impl OwnReplies {
    /// The next reply; `Ready(None)` once every sender is gone and the queue is empty.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Outbound>> {
        loop {
            if let Poll::Ready(taken) = self.take() {
                return Poll::Ready(taken);
            }
            // Registered on every wait: a wake for a reply already taken may have used up the
            // last registration.
            self.signal.writer.register(cx.waker());
            // A reply put before the registration raised the flag without waking us.
            if !self.signal.raised.load(Ordering::Acquire) {
                return Poll::Pending;
            }
        }
    }

    /// The next reply already there, if any (`None` also once every sender is gone, which the
    /// next [`Self::poll_recv`] then reports).
    pub fn try_recv(&mut self) -> Option<Outbound> {
        match self.take() {
            Poll::Ready(taken) => taken,
            Poll::Pending => None,
        }
    }

    /// A reply if the flag says one may be there (`Ready(None)`: every sender is gone);
    /// `Pending` when there is none to take now.
    fn take(&mut self) -> Poll<Option<Outbound>> {
        if !self.look {
            if !self.signal.raised.load(Ordering::Acquire) {
                return Poll::Pending;
            }
            // Lowered before looking (a read-modify-write, so the look cannot come before it): a
            // reply put from here on raises it again.
            self.signal.raised.swap(false, Ordering::AcqRel);
            self.look = true;
        }
        match self.queue.try_recv() {
            Ok(reply) => Poll::Ready(Some(reply)),
            Err(TryRecvError::Disconnected) => Poll::Ready(None),
            // The flag says whether something came since it was lowered.
            Err(TryRecvError::Empty) => {
                self.look = false;
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;
    use std::time::Duration;

    use cloumer_domain::ids::UserId;

    fn frame(text: &str) -> Outbound {
        Outbound::Frame(super::super::frames::Frame::from(text.to_owned()))
    }

    fn text(reply: Option<Outbound>) -> String {
        match reply {
            Some(Outbound::Frame(frame)) => frame.to_string(),
            Some(other) => format!("{other:?}"),
            None => "closed".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_waiting_writer_wakes_for_each_reply_in_order_and_learns_when_senders_are_gone() {
        let (replies, mut own) = queue(8);
        let writer = tokio::spawn(async move {
            let mut seen = Vec::new();
            loop {
                let reply = poll_fn(|cx| own.poll_recv(cx)).await;
                let done = reply.is_none();
                seen.push(text(reply));
                if done {
                    return seen;
                }
            }
        });
        let line = replies.clone();
        for (at, sender) in [(0, &replies), (1, &line), (2, &replies)] {
            // The writer is waiting each time: every reply must wake it.
            tokio::time::sleep(Duration::from_millis(20)).await;
            assert!(sender.send(frame(&format!("reply {at}"))));
        }
        drop(line);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!writer.is_finished(), "one sender is left");
        drop(replies);
        let seen = tokio::time::timeout(Duration::from_secs(5), writer)
            .await
            .expect("the writer learned the senders were gone")
            .unwrap();
        assert_eq!(seen, ["reply 0", "reply 1", "reply 2", "closed"]);
    }

    #[tokio::test]
    async fn replies_put_together_are_all_taken_and_a_full_queue_refuses() {
        let (replies, mut own) = queue(2);
        assert_eq!(own.try_recv().map(Some).map(text), None, "nothing yet");
        assert!(replies.send(frame("a")));
        assert!(replies.send(frame("b")));
        assert!(!replies.send(frame("c")), "the queue holds two");
        assert_eq!(text(own.try_recv()), "a");
        assert_eq!(text(poll_fn(|cx| own.poll_recv(cx)).await), "b");
        assert!(own.try_recv().is_none());
        replies.send(Outbound::Disconnect(
            UserId::parse("mallory").unwrap(),
            Arc::from("banned"),
        ));
        assert!(matches!(own.try_recv(), Some(Outbound::Disconnect(..))));
        drop(replies);
        assert!(own.try_recv().is_none());
        assert_eq!(text(poll_fn(|cx| own.poll_recv(cx)).await), "closed");
    }

    /// Replies from many threads while the writer waits: none is lost, none waits for a
    /// wake that never comes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn replies_racing_the_writer_are_never_lost() {
        const SENDERS: usize = 4;
        const EACH: usize = 500;
        let (replies, mut own) = queue(SENDERS * EACH);
        let writer = tokio::spawn(async move {
            let mut count = 0;
            while poll_fn(|cx| own.poll_recv(cx)).await.is_some() {
                count += 1;
            }
            count
        });
        let senders: Vec<_> = (0..SENDERS)
            .map(|_| {
                let replies = replies.clone();
                tokio::spawn(async move {
                    for i in 0..EACH {
                        assert!(replies.send(frame("x")));
                        if i % 50 == 0 {
                            tokio::task::yield_now().await;
                        }
                    }
                })
            })
            .collect();
        drop(replies);
        for sender in senders {
            sender.await.unwrap();
        }
        let count = tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .expect("the writer saw every reply and the end")
            .unwrap();
        assert_eq!(count, SENDERS * EACH);
    }
}
