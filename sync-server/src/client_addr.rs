//! The address a request came from, as an extractor.
//!
//! The server is served with the TCP peer address of every connection
//! (`ConnectInfo`). Behind a reverse proxy that is the proxy's address, so
//! per-address limits would apply to all clients together — and a
//! stranger's five wrong passwords would lock a supervisor out
//! everywhere. A proxy named with `--trusted-proxy` is believed: for a
//! request it forwards, the client is the right-most `X-Forwarded-For`
//! entry that is not itself a trusted proxy (each proxy appends the
//! address it was connected from, so entries to the left are whatever
//! the client chose to send). No usable entry: the proxy's own address.
//! A request that did not come over a socket (tests calling the router
//! directly) counts as from `0.0.0.0`.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// The client's IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The trusted reverse proxies, attached by the listener to every request
/// that one of them forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedBy(pub Arc<[IpAddr]>);

/// Entries of `X-Forwarded-For` looked at, from the right.
const MAX_HOPS: usize = 16;

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let client = match parts.extensions.get::<ForwardedBy>() {
            Some(ForwardedBy(proxies)) => forwarded_client(&parts.headers, proxies).unwrap_or(peer),
            None => peer,
        };
        Ok(ClientAddr(client))
    }
}

/// The client a trusted proxy names in `X-Forwarded-For`: the right-most
/// entry that is not one of `proxies`, if it is an address.
fn forwarded_client(headers: &HeaderMap, proxies: &[IpAddr]) -> Option<IpAddr> {
    let values: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<_>>()?;
    let entry = values
        .iter()
        .rev()
        .flat_map(|v| v.rsplit(','))
        .take(MAX_HOPS)
        .map(str::trim)
        .find(|entry| parse_entry(entry).is_none_or(|ip| !proxies.contains(&ip)))?;
    parse_entry(entry)
}

/// An `X-Forwarded-For` entry: an address, possibly with a port
/// (`203.0.113.7:4711`, `[2001:db8::1]:4711`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::Request;

    const PROXY: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));

    async fn client_of(peer: IpAddr, trusted: &[IpAddr], forwarded: &[&str]) -> IpAddr {
        let mut request = Request::builder();
        for value in forwarded {
            request = request.header("x-forwarded-for", *value);
        }
        let mut request = request.body(()).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(peer, 40_000)));
        if trusted.contains(&peer) {
            request
                .extensions_mut()
                .insert(ForwardedBy(trusted.to_vec().into()));
        }
        let (mut parts, ()) = request.into_parts();
        let ClientAddr(addr) = ClientAddr::from_request_parts(&mut parts, &())
            .await
            .unwrap();
        addr
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[tokio::test]
    async fn a_trusted_proxy_names_the_client_it_was_connected_from() {
        assert_eq!(
            client_of(PROXY, &[PROXY], &["203.0.113.7"]).await,
            ip("203.0.113.7")
        );
        // What the client sent itself stands to the left and is ignored.
        assert_eq!(
            client_of(PROXY, &[PROXY], &["1.2.3.4, 203.0.113.7"]).await,
            ip("203.0.113.7")
        );
        // A chain of trusted proxies, and entries with ports, over two
        // header lines.
        let inner = ip("10.0.0.2");
        assert_eq!(
            client_of(
                PROXY,
                &[PROXY, inner],
                &["1.2.3.4", "[2001:db8::1]:4711, 10.0.0.2"]
            )
            .await,
            ip("2001:db8::1")
        );
    }

    #[tokio::test]
    async fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let stranger = ip("198.51.100.9");
        assert_eq!(
            client_of(stranger, &[PROXY], &["203.0.113.7"]).await,
            stranger
        );
        assert_eq!(client_of(stranger, &[], &["203.0.113.7"]).await, stranger);
    }

    #[tokio::test]
    async fn without_a_usable_entry_the_proxy_is_the_client() {
        assert_eq!(client_of(PROXY, &[PROXY], &[]).await, PROXY);
        assert_eq!(client_of(PROXY, &[PROXY], &["unknown"]).await, PROXY);
        assert_eq!(client_of(PROXY, &[PROXY], &["10.0.0.1"]).await, PROXY);
        assert_eq!(
            client_of(PROXY, &[PROXY], &["203.0.113.7, garbage"]).await,
            PROXY
        );
    }

    #[tokio::test]
    async fn without_a_socket_the_client_is_unspecified() {
        let (mut parts, ()) = Request::builder().body(()).unwrap().into_parts();
        let ClientAddr(addr) = ClientAddr::from_request_parts(&mut parts, &())
            .await
            .unwrap();
        assert_eq!(addr, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    }
}
