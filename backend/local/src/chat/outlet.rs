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

use std::io::ErrorKind::WouldBlock;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use tokio::net::TcpStream;

use super::frames::Frame;
use crate::sockets::{poll_write_when_ready, shut_down_sending};

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
    /// The connection's socket, shared with the HTTP connection it was upgraded out of (which
    /// no longer uses it), written here without waiting: a write that would block leaves the
    /// rest waiting.
    socket: Arc<TcpStream>,
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
    pub fn new(socket: Arc<TcpStream>, backlog_limit: usize) -> Self {
        Self {
            state: Mutex::new(State {
                socket,
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
        if !state.open && !state.failed {
            let _ = shut_down_sending(&state.socket);
        }
        Poll::Ready(())
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
        let mut written = 0;
        while written < bytes.len() {
            match self.socket.try_write(&bytes[written..]) {
                Ok(0) => return self.fail(),
                Ok(n) => written += n,
                Err(error) if error.kind() == WouldBlock => break,
                Err(_) => return self.fail(),
            }
        }
        if written < bytes.len() {
            self.waiting.extend_from_slice(&bytes[written..]);
            self.wake_task();
        }
    }

    /// Writes what waits until the socket would block (`Pending`, the task to be woken when it
    /// drains) or nothing is left (`Ready`, also when the socket failed).
    fn write_waiting(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        while !self.waiting.is_empty() && !self.failed {
            let waiting = &self.waiting;
            match poll_write_when_ready(&self.socket, cx, |socket| socket.try_write(waiting)) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Ok(0) | Err(_)) => self.fail(),
                Poll::Ready(Ok(n)) => {
                    self.waiting.drain(..n);
                }
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

/// A connected pair on loopback for tests: the server's side, shared as the stack shares it,
/// and the client's. `small` gives both as little buffer as the kernel allows, so a client that
/// does not read fills them after a few kilobytes.
#[cfg(test)]
pub async fn loopback_pair(small: bool) -> (Arc<TcpStream>, TcpStream) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = tokio::net::TcpSocket::new_v4().unwrap();
    if small {
        client.set_recv_buffer_size(2048).unwrap();
    }
    let client = client
        .connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    if small {
        socket2::SockRef::from(&server)
            .set_send_buffer_size(4096)
            .unwrap();
    }
    (Arc::new(server), client)
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

    /// Reads what `client` received until `expected` bytes came.
    async fn received(client: &mut TcpStream, expected: usize) -> Vec<u8> {
        let mut bytes = vec![0; expected];
        tokio::time::timeout(Duration::from_secs(5), client.read_exact(&mut bytes))
            .await
            .expect("received in time")
            .unwrap();
        bytes
    }

    fn waiting(outlet: &Outlet) -> usize {
        outlet.state().waiting.len()
    }

    #[tokio::test]
    async fn frames_are_written_at_once_while_the_socket_takes_them() {
        let (socket, mut client) = loopback_pair(false).await;
        let outlet = Outlet::new(socket, 4096);
        let (a, b) = (text("a"), text("bb"));
        assert_eq!(outlet.send_frame(&a), Sent::Taken);
        assert_eq!(outlet.send_frame(&b), Sent::Taken);
        assert_eq!(waiting(&outlet), 0, "nothing waits: both are in the socket");
        let both = [a.bytes(), b.bytes()].concat();
        assert_eq!(received(&mut client, both.len()).await, both);
    }

    #[tokio::test]
    async fn what_a_full_socket_does_not_take_waits_in_order_for_the_task() {
        let (socket, mut client) = loopback_pair(true).await;
        let outlet = Arc::new(Outlet::new(socket, 4 << 20));
        let frames: Vec<Frame> = (0..2000)
            .map(|i| text(&format!("frame {i:04} {}", "x".repeat(100))))
            .collect();
        for frame in &frames {
            assert_eq!(outlet.send_frame(frame), Sent::Taken);
        }
        assert!(
            waiting(&outlet) > 0,
            "220 KB do not fit the socket's buffers"
        );
        let serving = tokio::spawn({
            let outlet = outlet.clone();
            async move { poll_fn(|cx| outlet.poll_open(cx)).await }
        });
        let all: Vec<u8> = frames.iter().flat_map(|f| f.bytes().to_vec()).collect();
        assert_eq!(received(&mut client, all.len()).await, all);
        assert!(!serving.is_finished(), "still open");
        outlet.close(1000, "bye");
        serving.await.unwrap();
        let close = Frame::close(1000, "bye");
        assert_eq!(
            received(&mut client, close.bytes().len()).await,
            close.bytes()
        );
        assert_eq!(outlet.send_frame(&text("late")), Sent::Closed);
        poll_fn(|cx| outlet.poll_flushed(cx)).await;
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty(), "the sending side ended after the close");
    }

    #[tokio::test]
    async fn a_reader_more_than_the_backlog_behind_is_closed_as_too_slow() {
        let (socket, _stalled) = loopback_pair(true).await;
        let outlet = Outlet::new(socket, 4096);
        let frame = text(&"x".repeat(1000));
        let sent: Vec<Sent> = (0..1000).map(|_| outlet.send_frame(&frame)).collect();
        let too_slow = sent.iter().position(|s| *s == Sent::TooSlow);
        let too_slow = too_slow.expect("a megabyte overflows the buffers and the backlog");
        assert!(sent[..too_slow].iter().all(|s| *s == Sent::Taken));
        assert!(sent[too_slow + 1..].iter().all(|s| *s == Sent::Closed));
        assert!(poll_fn(|cx| outlet.poll_open(cx)).now_or_never().is_some());
    }

    #[tokio::test]
    async fn a_socket_that_fails_ends_the_connection() {
        let (socket, client) = loopback_pair(false).await;
        let outlet = Outlet::new(socket, 4096);
        drop(client);
        // The first write after the client went may still be taken; its reset fails the next.
        let mut sent = Vec::new();
        for _ in 0..50 {
            sent.push(outlet.send_frame(&text("into the void")));
            if sent.last() == Some(&Sent::Closed) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(sent.last(), Some(&Sent::Closed), "{sent:?}");
        assert!(poll_fn(|cx| outlet.poll_open(cx)).now_or_never().is_some());
    }
}
