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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scheme: String,
    pub host: String,
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
        if uri.path() != "/" && !uri.path().is_empty() {
            bail!("an allowed origin has no path: {spec:?}");
        }
        Origin::of(&uri).with_context(|| format!("not an http(s) origin: {spec:?}"))
    }
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

    pub fn allows(&self, uri: &http::Uri) -> bool {
        Origin::of(uri).is_some_and(|o| self.allowed.contains(&o))
    }

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
