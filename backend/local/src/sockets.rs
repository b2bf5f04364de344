//! The stack's accepted connections, each socket shared: HTTP is served over it as usual, and a
//! chat connection upgraded out of it writes into the socket itself (see
//! [`crate::chat::outlet`]) rather than back through the HTTP stack's layers and a lock.

use std::convert::Infallible;
use std::future::{Ready, ready as ready_ok};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::response::Response;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::Service;

/// Kernel send buffer per accepted connection: thousands of chat connections must not each
/// grow megabytes of socket memory, and a reader that stops reading must fill its backlog (and
/// be dropped) instead of parking unbounded data in the kernel. 256 KiB still streams HLS
/// segments fast.
pub const SEND_BUFFER_BYTES: usize = 256 * 1024;

/// Accepts connections as [`SharedSocket`]s.
pub struct SharingListener(pub TcpListener);

impl Listener for SharingListener {
    type Io = SharedSocket;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (SharedSocket, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((tcp, address)) => {
                    let socket = socket2::SockRef::from(&tcp);
                    let _ = socket.set_send_buffer_size(SEND_BUFFER_BYTES);
                    let _ = tcp.set_nodelay(true);
                    return (SharedSocket(Arc::new(tcp)), address);
                }
                // A client gave up before it was accepted: nothing to do.
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
                    ) => {}
                // Out of descriptors or memory: wait rather than spin.
                Err(error) => {
                    tracing::error!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// An accepted connection's socket, which the HTTP server reads and writes and a chat
/// connection upgraded out of it keeps to write into.
#[derive(Clone)]
pub struct SharedSocket(pub Arc<TcpStream>);

impl AsyncRead for SharedSocket {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            ready!(self.0.poll_read_ready(cx))?;
            match self.0.try_read(buf.initialize_unfilled()) {
                Ok(read) => {
                    buf.advance(read);
                    return Poll::Ready(Ok(()));
                }
                // The readiness was stale: asking again registers for the next.
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                Err(error) => return Poll::Ready(Err(error)),
            }
        }
    }
}

impl AsyncWrite for SharedSocket {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bytes: &[u8],
    ) -> Poll<io::Result<usize>> {
        poll_write_when_ready(&self.0, cx, |socket| socket.try_write(bytes))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        slices: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        poll_write_when_ready(&self.0, cx, |socket| socket.try_write_vectored(slices))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(shut_down_sending(&self.0))
    }
}

/// Writes with `write` once `socket` is ready for it, asking again while the readiness was stale
/// (`Pending` registers `cx` to be woken when the socket drains).
pub fn poll_write_when_ready(
    socket: &TcpStream,
    cx: &mut Context<'_>,
    mut write: impl FnMut(&TcpStream) -> io::Result<usize>,
) -> Poll<io::Result<usize>> {
    loop {
        ready!(socket.poll_write_ready(cx))?;
        match write(socket) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
            written => return Poll::Ready(written),
        }
    }
}

/// Ends the socket's sending side (a FIN after what was written).
pub fn shut_down_sending(socket: &TcpStream) -> io::Result<()> {
    match socket2::SockRef::from(socket).shutdown(std::net::Shutdown::Write) {
        // Already gone: nothing left to end.
        Err(error) if error.kind() == io::ErrorKind::NotConnected => Ok(()),
        done => done,
    }
}

/// Serves each accepted connection with the stack's router, handing every request its
/// connection's socket (for a chat upgrade) and, with per-client limits on, the client's address.
#[derive(Clone)]
pub struct Connections {
    pub app: Router,
    pub client_addresses: bool,
}

impl Service<IncomingStream<'_, SharingListener>> for Connections {
    type Response = Connection;
    type Error = Infallible;
    type Future = Ready<Result<Connection, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, incoming: IncomingStream<'_, SharingListener>) -> Self::Future {
        ready_ok(Ok(Connection {
            app: self.app.clone(),
            socket: incoming.io().clone(),
            client: self
                .client_addresses
                .then(|| ConnectInfo(*incoming.remote_addr())),
        }))
    }
}

/// The router as one connection's requests reach it.
#[derive(Clone)]
pub struct Connection {
    app: Router,
    socket: SharedSocket,
    client: Option<ConnectInfo<SocketAddr>>,
}

impl Service<Request> for Connection {
    type Response = Response;
    type Error = Infallible;
    type Future = <Router as Service<Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.app, cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        request.extensions_mut().insert(self.socket.clone());
        if let Some(client) = self.client {
            request.extensions_mut().insert(client);
        }
        self.app.call(request)
    }
}
