//! Who is playing each live channel, for its viewer count, as IVS counts it: from playback, not
//! from chat. A player reloads its live playlists every segment or so, so a client that has
//! loaded one of a channel's playlists lately is watching it; one that stopped drops out after
//! [`IDLE_LIMIT`] (IVS: "a view is removed from viewerCount within 1 minute of when video
//! playback ends"). Embedded players, which hold no chat connection, count too.
//!
//! Clients are told apart by address, as signed-out chat readers are ([`crate::chat::Rooms`]):
//! one client loading a playlist in a loop, or opening many players, counts once.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::Clock;
use time::{Duration, OffsetDateTime};

/// How long a client counts after its last playlist load.
pub const IDLE_LIMIT: Duration = Duration::seconds(30);

/// Clients remembered at most, over every channel, so a flood of addresses cannot exhaust
/// memory. Past it, new clients still play; they are not counted until some go idle.
const MAX_CLIENTS: usize = 100_000;

/// How often idle clients are swept out (they stop counting as soon as they are idle).
const SWEEP_EVERY: Duration = Duration::seconds(10);

#[derive(Default)]
struct Table {
    by_channel: HashMap<ChannelId, HashMap<IpAddr, OffsetDateTime>>,
    clients: usize,
    swept_at: Option<OffsetDateTime>,
}

impl Table {
    fn sweep(&mut self, now: OffsetDateTime) {
        if self.swept_at.is_some_and(|at| now - at < SWEEP_EVERY) {
            return;
        }
        self.swept_at = Some(now);
        for clients in self.by_channel.values_mut() {
            clients.retain(|_, last| now - *last <= IDLE_LIMIT);
        }
        self.by_channel.retain(|_, clients| !clients.is_empty());
        self.clients = self.by_channel.values().map(HashMap::len).sum();
    }
}

pub struct PlaybackViews {
    clock: Arc<dyn Clock>,
    table: Mutex<Table>,
}

impl PlaybackViews {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            table: Mutex::default(),
        }
    }

    /// `client` loaded one of `channel`'s live playlists.
    pub fn saw(&self, channel: &ChannelId, client: IpAddr) {
        let now = self.clock.now();
        let mut table = self.table.lock().expect("views lock");
        table.sweep(now);
        let full = table.clients >= MAX_CLIENTS;
        let clients = table.by_channel.entry(channel.clone()).or_default();
        match clients.get_mut(&client) {
            Some(last) => *last = now,
            None if full => {}
            None => {
                clients.insert(client, now);
                table.clients += 1;
            }
        }
    }

    /// The clients playing `channel` now.
    pub fn watching(&self, channel: &ChannelId) -> Vec<IpAddr> {
        let now = self.clock.now();
        let table = self.table.lock().expect("views lock");
        table
            .by_channel
            .get(channel)
            .map_or_else(Vec::new, |clients| {
                clients
                    .iter()
                    .filter(|(_, last)| now - **last <= IDLE_LIMIT)
                    .map(|(client, _)| *client)
                    .collect()
            })
    }
}

#[cfg(test)]
mod tests {
    use cloumer_domain::testkit::ManualClock;

    use super::*;

    fn channel(id: &str) -> ChannelId {
        ChannelId::parse(id).unwrap()
    }

    fn address(n: u32) -> IpAddr {
        IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + n))
    }

    #[test]
    fn a_client_counts_once_while_it_loads_and_stops_counting_when_it_stops() {
        let clock = Arc::new(ManualClock::at(OffsetDateTime::UNIX_EPOCH));
        let views = PlaybackViews::new(clock.clone());
        let (busy, quiet) = (channel("chBusy001"), channel("chQuiet01"));
        for _ in 0..50 {
            views.saw(&busy, address(1));
        }
        views.saw(&busy, address(2));
        let mut watching = views.watching(&busy);
        watching.sort();
        assert_eq!(watching, [address(1), address(2)]);
        assert!(views.watching(&quiet).is_empty());
        // The first keeps loading; the second stopped.
        for _ in 0..4 {
            clock.advance(Duration::seconds(10));
            views.saw(&busy, address(1));
        }
        assert_eq!(views.watching(&busy), [address(1)]);
        clock.advance(IDLE_LIMIT + Duration::seconds(1));
        assert!(views.watching(&busy).is_empty());
        // Swept out, and back when it loads again.
        views.saw(&quiet, address(3));
        assert_eq!(views.table.lock().unwrap().clients, 1);
        views.saw(&busy, address(1));
        assert_eq!(views.watching(&busy), [address(1)]);
    }

    #[test]
    fn past_the_limit_new_clients_are_not_counted_until_others_go_idle() {
        let clock = Arc::new(ManualClock::at(OffsetDateTime::UNIX_EPOCH));
        let views = PlaybackViews::new(clock.clone());
        let flooded = channel("chFlood01");
        for n in 0..MAX_CLIENTS as u32 {
            views.saw(&flooded, address(n));
        }
        let other = channel("chOther01");
        views.saw(&other, address(u32::MAX >> 4));
        assert!(views.watching(&other).is_empty());
        // A client already counted keeps counting.
        clock.advance(Duration::seconds(20));
        views.saw(&flooded, address(0));
        clock.advance(Duration::seconds(20));
        views.saw(&other, address(u32::MAX >> 4));
        assert_eq!(views.watching(&other).len(), 1);
        assert_eq!(views.watching(&flooded), [address(0)]);
    }
}
