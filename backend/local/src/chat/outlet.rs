//! A connection's way out: the one writer of its socket's sending side.
//!
//! The room writes each frame straight into every member's socket from the fan-out itself
//! (see [`super::rooms`]): a delivery costs one non-blocking system call, with no task to wake
//! and no queue between the room and the socket. Only what a full socket did not take waits
//! here, for the connection's own task to write once the socket drains; frames that come
//! meanwhile queue behind it, so each connection gets the room's frames and its own replies in
//! the order they were handed over. A connection with more than its backlog waiting is not
//! reading: it is closed (1013) rather than holding memory, and never holds up the room.
//!
//! Everything a connection sends goes through here, the room's frames, its own replies and
//! what the protocol answers by itself (pongs, the reply to a close), so no two writers ever
//! interleave their bytes.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use tokio::io::AsyncWrite;

use super::frames::Frame;

/// What became of bytes handed to an outlet.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Written, or waiting behind what the socket has not yet taken.
    Taken,
    /// More than the backlog is waiting: the outlet closed itself as too slow.
    TooSlow,
    /// The outlet was already closed (or its socket failed): nothing was sent.
    Closed,
}

/// Why a connection is closed when it cannot keep up with its room.
const TOO_SLOW: &str = "the connection could not keep up with the room";

/// Once what waits has been written, a backlog buffer larger than this is given back rather
/// than kept for the connection's life: thousands of connections each keeping the largest
/// burst they ever waited for would add up.
const KEPT_BUFFER_BYTES: usize = 16 * 1024;

pub struct Outlet {
    state: Mutex<State>,
    /// Bytes that may wait for the socket before the connection counts as too slow.
    backlog_limit: usize,
}

struct State {
    socket: Pin<Box<dyn AsyncWrite + Send>>,
    /// Bytes the socket has not taken yet, in order.
    waiting: Vec<u8>,
    /// Frames are still accepted (false once a close was queued or the socket failed).
    open: bool,
    /// The socket refused a write: nothing more is written, the connection ends.
    failed: bool,
    /// The connection's task, to wake when something starts waiting or the outlet closes.
    task: Option<Waker>,
}

impl Outlet {
    pub fn new(socket: impl AsyncWrite + Send + 'static, backlog_limit: usize) -> Self {
        Self {
            state: Mutex::new(State {
                socket: Box::pin(socket),
                waiting: Vec::new(),
                open: true,
                failed: false,
                task: None,
            }),
            backlog_limit,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("outlet lock")
    }

    /// Sends `bytes` (whole frames) after everything sent before.
    pub fn send(&self, bytes: &[u8]) -> Sent {
        let mut state = self.state();
        if !state.open {
            return Sent::Closed;
        }
        state.write(bytes);
        if state.failed {
            return Sent::Closed;
        }
        if state.waiting.len() > self.backlog_limit {
            state.close_with(&Frame::close(1013, TOO_SLOW));
            return Sent::TooSlow;
        }
        Sent::Taken
    }

    pub fn send_frame(&self, frame: &Frame) -> Sent {
        self.send(frame.bytes())
    }

    /// Sends a close frame after everything sent before; nothing is accepted after it.
    pub fn close(&self, code: u16, reason: &str) {
        self.state().close_with(&Frame::close(code, reason));
    }

    /// Accepts nothing more, without a close frame of its own: for a connection whose close
    /// the WebSocket protocol already answered, or whose socket is gone.
    pub fn finish(&self) {
        let mut state = self.state();
        state.open = false;
        state.wake_task();
    }

    /// For the connection's task while it serves: writes what waits as the socket takes it,
    /// and is ready once the outlet no longer accepts frames (closed, or its socket failed).
    pub fn poll_open(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state();
        state.remember_task(cx);
        // Woken again by the socket when it drains, or through `task` when more waits.
        let _ = state.write_waiting(cx);
        if state.open {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }

    /// For the connection's task at its end, once nothing more is accepted: writes everything
    /// that waits, then ends the socket's sending side.
    pub fn poll_flushed(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state();
        state.remember_task(cx);
        if state.write_waiting(cx).is_pending() {
            return Poll::Pending;
        }
        if state.open || state.failed {
            return Poll::Ready(());
        }
        state.socket.as_mut().poll_shutdown(cx).map(|_| ())
    }
}

impl State {
    /// Writes `bytes` now as far as the socket takes them without waiting; the rest waits.
    fn write(&mut self, bytes: &[u8]) {
        if self.failed {
            return;
        }
        if !self.waiting.is_empty() {
            // Behind what waits: the connection's task writes it all in order.
            self.waiting.extend_from_slice(bytes);
            return;
        }
        // Nobody waits on the socket (nothing is waiting here), so a write that would block
        // may register a no-op waker in it: the task is woken below, and its own write then
        // registers it properly.
        let mut now = Context::from_waker(Waker::noop());
        let mut written = 0;
        while written < bytes.len() {
            match self.socket.as_mut().poll_write(&mut now, &bytes[written..]) {
                Poll::Ready(Ok(0) | Err(_)) => return self.fail(),
                Poll::Ready(Ok(n)) => written += n,
                Poll::Pending => break,
            }
        }
        if written < bytes.len() {
            self.waiting.extend_from_slice(&bytes[written..]);
            self.wake_task();
        }
    }

    /// Writes what waits until the socket would block (`Pending`, with the task's waker
    /// registered in the socket) or nothing is left (`Ready`, also when the socket failed).
    fn write_waiting(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        while !self.waiting.is_empty() && !self.failed {
            match self.socket.as_mut().poll_write(cx, &self.waiting) {
                Poll::Ready(Ok(0) | Err(_)) => self.fail(),
                Poll::Ready(Ok(n)) => {
                    self.waiting.drain(..n);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
        if self.waiting.capacity() > KEPT_BUFFER_BYTES {
            self.waiting = Vec::new();
        }
        Poll::Ready(())
    }

    fn close_with(&mut self, close: &Frame) {
        if !self.open {
            return;
        }
        self.write(close.bytes());
        self.open = false;
        self.wake_task();
    }

    fn fail(&mut self) {
        self.failed = true;
        self.open = false;
        self.waiting = Vec::new();
        self.wake_task();
    }

    fn remember_task(&mut self, cx: &Context<'_>) {
        match &self.task {
            Some(task) if task.will_wake(cx.waker()) => {}
            _ => self.task = Some(cx.waker().clone()),
        }
    }

    fn wake_task(&self) {
        if let Some(task) = &self.task {
            task.wake_by_ref();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;
    use std::time::Duration;

    use futures_util::FutureExt;
    use tokio::io::AsyncReadExt;

    fn text(body: &str) -> Frame {
        Frame::text(body.to_owned())
    }

    /// Reads what `reader` received until `expected` bytes came.
    async fn received(reader: &mut tokio::io::DuplexStream, expected: usize) -> Vec<u8> {
        let mut bytes = vec![0; expected];
        tokio::time::timeout(Duration::from_secs(5), reader.read_exact(&mut bytes))
            .await
            .expect("received in time")
            .unwrap();
        bytes
    }

    #[tokio::test]
    async fn frames_are_written_at_once_while_the_socket_takes_them() {
        let (socket, mut reader) = tokio::io::duplex(1024);
        let outlet = Outlet::new(socket, 4096);
        let (a, b) = (text("a"), text("bb"));
        assert_eq!(outlet.send_frame(&a), Sent::Taken);
        assert_eq!(outlet.send_frame(&b), Sent::Taken);
        // Nobody drove the outlet: the bytes are already in the socket.
        let both = [a.bytes(), b.bytes()].concat();
        assert_eq!(received(&mut reader, both.len()).await, both);
    }

    #[tokio::test]
    async fn what_a_full_socket_does_not_take_waits_in_order_for_the_task() {
        let (socket, mut reader) = tokio::io::duplex(64);
        let outlet = std::sync::Arc::new(Outlet::new(socket, 4096));
        let frames: Vec<Frame> = (0..20).map(|i| text(&format!("frame {i:02}"))).collect();
        for frame in &frames {
            assert_eq!(outlet.send_frame(frame), Sent::Taken);
        }
        let serving = tokio::spawn({
            let outlet = outlet.clone();
            async move { poll_fn(|cx| outlet.poll_open(cx)).await }
        });
        let all: Vec<u8> = frames.iter().flat_map(|f| f.bytes().to_vec()).collect();
        assert_eq!(received(&mut reader, all.len()).await, all);
        assert!(!serving.is_finished(), "still open");
        outlet.close(1000, "bye");
        serving.await.unwrap();
        let close = Frame::close(1000, "bye");
        assert_eq!(
            received(&mut reader, close.bytes().len()).await,
            close.bytes()
        );
        assert_eq!(outlet.send_frame(&text("late")), Sent::Closed);
        poll_fn(|cx| outlet.poll_flushed(cx)).await;
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty(), "the sending side ended after the close");
    }

    #[tokio::test]
    async fn a_reader_more_than_the_backlog_behind_is_closed_as_too_slow() {
        let (socket, _stalled) = tokio::io::duplex(64);
        let outlet = Outlet::new(socket, 200);
        let frame = text(&"x".repeat(50));
        let sent: Vec<Sent> = (0..7).map(|_| outlet.send_frame(&frame)).collect();
        // Frames of 52 bytes: the socket takes 64, then 40, 92, 144 and 196 wait; the sixth
        // frame passes 200.
        assert_eq!(
            sent,
            [
                Sent::Taken,
                Sent::Taken,
                Sent::Taken,
                Sent::Taken,
                Sent::Taken,
                Sent::TooSlow,
                Sent::Closed
            ]
        );
        assert!(poll_fn(|cx| outlet.poll_open(cx)).now_or_never().is_some());
    }

    #[tokio::test]
    async fn a_socket_that_fails_ends_the_connection() {
        let (socket, reader) = tokio::io::duplex(64);
        let outlet = Outlet::new(socket, 4096);
        drop(reader);
        assert_eq!(outlet.send_frame(&text("into the void")), Sent::Closed);
        assert!(poll_fn(|cx| outlet.poll_open(cx)).now_or_never().is_some());
        assert_eq!(outlet.send_frame(&text("again")), Sent::Closed);
    }
}
