//! Where requests to user-chosen URLs may go, enforced where it matters: the resolver hands the
//! connector only addresses that [`OutboundDestinations::allows`] (the addresses checked are the
//! ones connected to, so a name that changes its answer between check and connect gains nothing).

use std::net::SocketAddr;

use cloumer_domain::outbound::OutboundDestinations;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Resolves host names for requests to user-chosen URLs, keeping only addresses they may reach.
#[derive(Clone, Copy, Debug)]
pub struct PublicOnly(pub OutboundDestinations);

/// A host that resolves only to addresses we may not send to.
#[derive(Debug)]
pub(crate) struct NotPublic;

impl std::fmt::Display for NotPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the host resolves only to private or reserved addresses")
    }
}

impl std::error::Error for NotPublic {}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let destinations = self.0;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found
                .filter(|addr| destinations.allows(addr.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Box::new(NotPublic) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}
