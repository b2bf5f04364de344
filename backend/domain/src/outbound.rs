//! Requests our servers send to addresses users choose (streamers' webhooks, browsers' push
//! endpoints). Such an address is hostile input: whoever gives one makes our servers send a
//! request to it. So it must be `https` to a public address, checked when it is given (for a
//! clear error) and again by the sender on every request, after DNS and after each redirect,
//! with [`OutboundDestinations::allows`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where our requests to user-chosen URLs may go: public `https` only, unless the operator
/// explicitly allows plain `http` to this machine (tests' own receivers; never on by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutboundDestinations {
    #[default]
    PublicHttpsOnly,
    AlsoLoopback,
}

impl OutboundDestinations {
    /// Whether a request may go to `address`.
    pub fn allows(self, address: IpAddr) -> bool {
        is_public_address(address) || (self == Self::AlsoLoopback && address.is_loopback())
    }
}

/// `raw` as a URL our servers may send a request to: `https` (plain `http` only to loopback and
/// only when `destinations` allows it), a host name or public address, no credentials, at most
/// `max_len` bytes. The error says what is wrong, in words for whoever typed the URL.
pub fn checked_url(
    raw: &str,
    max_len: usize,
    destinations: OutboundDestinations,
) -> Result<url::Url, &'static str> {
    let raw = raw.trim();
    if raw.len() > max_len {
        return Err("the URL is too long");
    }
    let url = url::Url::parse(raw).map_err(|_| "that is not a URL")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the URL must not carry a user name or password");
    }
    let host = url.host().ok_or("the URL has no host")?;
    let address = match host {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    };
    let loopback_allowed = destinations == OutboundDestinations::AlsoLoopback
        && (address.is_some_and(|a| a.is_loopback()) || url.host_str() == Some("localhost"));
    if url.scheme() != "https" && !(loopback_allowed && url.scheme() == "http") {
        return Err("the URL must start with https://");
    }
    if let Some(address) = address
        && !destinations.allows(address)
    {
        return Err("the URL must point to a public address");
    }
    if let url::Host::Domain(name) = host {
        // A name as the API's schema states it: letters, digits and hyphens in dot-separated
        // labels ending in a top-level domain of letters, written so (not `*`, `_`, a trailing
        // dot, percent-escapes or letters the parser turned into punycode).
        if !loopback_allowed
            && (!is_host_name(name) || !raw.to_ascii_lowercase().contains(&format!("://{name}")))
        {
            return Err("the URL's host must be a domain name such as example.com");
        }
        let local = ["localhost", "local", "internal", "home.arpa", "localdomain"]
            .iter()
            .any(|suffix| name == *suffix || name.ends_with(&format!(".{suffix}")));
        if local && !loopback_allowed {
            return Err("the URL must point to a public address");
        }
    }
    Ok(url)
}

/// Whether `name` is a host name of two labels or more, each of letters, digits and inner
/// hyphens (at most 63), the last of letters alone (2 to 63).
fn is_host_name(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    labels.len() >= 2
        && labels.iter().all(|l| label(l))
        && labels.last().is_some_and(|tld| {
            (2..=63).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

/// Whether `address` is on the public internet: not loopback, private, link-local, shared
/// (carrier-grade NAT), multicast, documentation, benchmarking or reserved, including IPv4
/// addresses carried inside IPv6 ones (mapped, NAT64, 6to4), which would otherwise smuggle a
/// private IPv4 address past an IPv6 check.
pub fn is_public_address(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_unspecified()
        || v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_multicast()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier-grade NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = v6.segments();
    let embedded_v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(embedded_v4(segments[6], segments[7]));
    }
    // 6to4 (2002::/16) carries an IPv4 address in bits 16–48.
    if segments[0] == 0x2002 {
        return is_public_v4(embedded_v4(segments[1], segments[2]));
    }
    !(v6.is_unspecified()
        || v6.is_loopback()
        || v6.is_multicast()
        || v6.is_unique_local()
        || v6.is_unicast_link_local()
        || segments[0] == 0x2001 && segments[1] == 0xdb8 // documentation
        || segments[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated)
        || segments[0] & 0xffc0 == 0xfec0) // site-local (deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_its_host_as_the_schema_says() {
        let public = OutboundDestinations::PublicHttpsOnly;
        for good in [
            "https://discord.com/api/webhooks/1/abc",
            "https://Hooks.Example.co.kr:8443/x?y=1",
            "https://3.m0.m.aak/",
        ] {
            assert!(checked_url(good, 500, public).is_ok(), "{good}");
        }
        for bad in [
            "https://3.m0.m.AAK*",
            "https://exa_mple.com/",
            "https://example.com./",
            "https://-example.com/",
            "https://example.c0m/",
            "https://example/",
            "https://%65xample.com/",
            "https://例え.jp/",
        ] {
            assert!(checked_url(bad, 500, public).is_err(), "{bad}");
        }
    }

    #[test]
    fn private_addresses_hidden_in_ipv6_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::",
            "::127.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.215.14",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:1.1.1.1",
            "64:ff9b::101:101",
        ] {
            assert!(is_public_address(public.parse().unwrap()), "{public}");
        }
    }
}
