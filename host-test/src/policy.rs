//! Which destinations the component may reach. Decided on the URI the host is
//! about to send (normalized scheme, host and port), never on strings the
//! guest chose for display: `https://api.getgo.com` and
//! `https://API.getgo.com:443/` are the same origin, `http://api.getgo.com`
//! or `https://api.getgo.com.evil.test` are not.

use anyhow::{Context, bail};

/// GoTo's API host (G2M, G2T, G2A, admin).
pub const GOTO_API: &str = "https://api.getgo.com";
/// GoTo's legacy API host, still the documented one for Seeit.
pub const GOTO_LEGACY_API: &str = "https://api.citrixonline.com";
/// GoTo's OAuth host.
pub const GOTO_AUTH: &str = "https://authentication.logmeininc.com";

/// Where a request goes: scheme, host and port, normalized (lower-case
/// host, the scheme's default port filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `https` or `http`.
    pub scheme: String,
    /// The host, lower-case.
    pub host: String,
    /// The port.
    pub port: u16,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

impl Origin {
    /// Normalizes a URI's origin; `None` when it has no usable scheme or host.
    pub fn of(uri: &http::Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let host = uri.host()?.trim_end_matches('.').to_ascii_lowercase();
        let port = match (uri.port_u16(), scheme.as_str()) {
            (Some(p), _) => p,
            (None, "https") => 443,
            (None, "http") => 80,
            (None, _) => return None,
        };
        if host.is_empty() {
            return None;
        }
        Some(Origin { scheme, host, port })
    }

    /// `host`, or `host:port` when the port is not the scheme's default.
    pub fn authority(&self) -> String {
        match (self.scheme.as_str(), self.port) {
            ("https", 443) | ("http", 80) => self.host.clone(),
            _ => format!("{}:{}", self.host, self.port),
        }
    }

    /// Reads `https://host[:port]` or a bare `host` (taken as https).
    pub fn parse(spec: &str) -> anyhow::Result<Origin> {
        let spec = spec.trim();
        let full = if spec.contains("://") {
            spec.to_string()
        } else {
            format!("https://{spec}")
        };
        let uri: http::Uri = full
            .parse()
            .with_context(|| format!("not a host or origin: {spec:?}"))?;
        if uri.path() != "/" && !uri.path().is_empty() || uri.query().is_some() {
            bail!("an allowed origin has no path or query: {spec:?}");
        }
        let authority = uri.authority().map_or("", |a| a.as_str());
        if authority.contains('@') {
            bail!("an allowed origin has no user name or password: {spec:?}");
        }
        // `host:port`: the port must be a number (`http` reads a port it
        // cannot parse as none, which would silently mean the default).
        let after_host = authority
            .rsplit_once(']')
            .map_or(authority, |(_, rest)| rest);
        if after_host.contains(':') && uri.port_u16().is_none_or(|p| p == 0) {
            bail!("not a port in {spec:?}: expected host:PORT with PORT from 1 to 65535");
        }
        Origin::of(&uri).with_context(|| format!("not an http(s) origin: {spec:?}"))
    }
}

/// A request the policy let through, readdressed to its normalized origin.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// The URI to send: the normalized origin, the path and the query.
    pub uri: http::Uri,
    /// `host` or `host:port` (the port only when it is not the scheme's).
    pub host: http::HeaderValue,
}

/// Default deny: only the listed origins are reachable.
#[derive(Debug, Clone)]
pub struct Policy {
    allowed: Vec<Origin>,
}

impl Policy {
    /// Nothing is reachable.
    pub fn deny_all() -> Policy {
        Policy {
            allowed: Vec::new(),
        }
    }

    /// GoTo's API hosts (current and legacy) and its authentication host.
    pub fn goto_default() -> Policy {
        let mut p = Policy::deny_all();
        for o in [GOTO_API, GOTO_LEGACY_API, GOTO_AUTH] {
            p.allowed
                .push(Origin::parse(o).expect("built-in origins parse"));
        }
        p
    }

    /// Adds an origin (`https://host[:port]` or a bare host).
    pub fn allow(&mut self, spec: &str) -> anyhow::Result<()> {
        let o = Origin::parse(spec)?;
        if !self.allowed.contains(&o) {
            self.allowed.push(o);
        }
        Ok(())
    }

    /// Whether a request to `uri` may be sent.
    pub fn allows(&self, uri: &http::Uri) -> bool {
        self.admit(uri).is_some()
    }

    /// The request URI to send and its `Host` header when `uri`'s origin is
    /// allowed: rebuilt from the normalized origin (plus the path and query),
    /// so what is dialled is exactly what was checked. An authority with
    /// userinfo is refused: `https://evil.example:443@api.getgo.com/` names
    /// `api.getgo.com` as its host, but code that reads the authority as
    /// text would dial `evil.example`.
    pub fn admit(&self, uri: &http::Uri) -> Option<Admitted> {
        if uri.authority()?.as_str().contains('@') {
            return None;
        }
        let origin = Origin::of(uri).filter(|o| self.allowed.contains(o))?;
        let host = origin.authority();
        let uri = http::Uri::builder()
            .scheme(origin.scheme.as_str())
            .authority(host.as_str())
            .path_and_query(uri.path_and_query().map_or("/", |p| p.as_str()))
            .build()
            .ok()?;
        let host = http::HeaderValue::from_str(&host).ok()?;
        Some(Admitted { uri, host })
    }

    /// The allowed origins.
    pub fn origins(&self) -> &[Origin] {
        &self.allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allows(p: &Policy, uri: &str) -> bool {
        p.allows(&uri.parse().unwrap())
    }

    #[test]
    fn an_origin_that_is_not_one_is_refused_with_what_is_wrong() {
        let mut p = Policy::deny_all();
        for (spec, why) in [
            ("127.0.0.1:notaport", "not a port"),
            ("127.0.0.1:0", "not a port"),
            ("https://api.example.com/path", "no path"),
            ("https://api.example.com?x=1", "no path or query"),
            ("https://user@api.example.com", "no user name"),
        ] {
            let e = p.allow(spec).expect_err(spec).to_string();
            assert!(e.contains(why), "{spec}: {e}");
        }
        p.allow("127.0.0.1:8443").expect("a port");
        p.allow("http://[::1]:8080").expect("IPv6 with a port");
        p.allow("https://[::1]").expect("IPv6 without a port");
        assert!(allows(&p, "https://127.0.0.1:8443/x"));
    }

    #[test]
    fn default_allows_only_goto_hosts_by_normalized_origin() {
        let p = Policy::goto_default();
        assert!(allows(&p, "https://api.getgo.com/G2M/rest/meetings"));
        assert!(allows(&p, "https://API.GetGo.com:443/x"));
        assert!(allows(&p, "https://api.getgo.com./x"));
        assert!(allows(
            &p,
            "https://authentication.logmeininc.com/oauth/token"
        ));
        assert!(!allows(&p, "http://api.getgo.com/x"));
        assert!(!allows(&p, "https://api.getgo.com:8443/x"));
        assert!(!allows(&p, "https://api.getgo.com.evil.test/x"));
        assert!(!allows(&p, "https://evil.test/api.getgo.com"));
        assert!(!allows(&p, "https://user@evil.test/"));
        assert!(!allows(&p, "/relative/path"));
    }

    #[test]
    fn userinfo_is_refused_and_the_origin_is_what_is_sent() {
        let p = Policy::goto_default();
        for hostile in [
            "https://evil.example:443@api.getgo.com/G2M/rest/meetings",
            "https://evil.example@api.getgo.com/x",
            "https://a:b@api.getgo.com/x",
        ] {
            assert!(!allows(&p, hostile), "{hostile}");
        }
        let a = p
            .admit(
                &"https://API.GetGo.com.:443/G2M/rest/meetings?x=1"
                    .parse()
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(
            a.uri.to_string(),
            "https://api.getgo.com/G2M/rest/meetings?x=1"
        );
        assert_eq!(a.host, "api.getgo.com");
        let mut local = Policy::deny_all();
        local.allow("http://127.0.0.1:8080").unwrap();
        let a = local
            .admit(&"http://127.0.0.1:8080".parse().unwrap())
            .unwrap();
        assert_eq!(a.uri.to_string(), "http://127.0.0.1:8080/");
        assert_eq!(a.host, "127.0.0.1:8080");
    }

    #[test]
    fn embedders_add_origins() {
        let mut p = Policy::deny_all();
        assert!(!allows(&p, "https://api.getgo.com/"));
        p.allow("127.0.0.1:8080").unwrap();
        p.allow("http://localhost:9000").unwrap();
        assert!(allows(&p, "https://127.0.0.1:8080/x"));
        assert!(allows(&p, "http://localhost:9000/x"));
        assert!(!allows(&p, "http://127.0.0.1:8080/x"));
        assert!(p.allow("https://x.test/path").is_err());
    }
}
