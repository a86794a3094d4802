//! PKCE (RFC 7636): the verifier and its S256 challenge, over the core's
//! SHA-256 and base64url. Plain functions of their inputs: randomness comes
//! in as bytes, so tests are deterministic.

use alloc::string::String;

use crate::core::codec::{URL_SAFE, base64url, sha256};

/// Shortest and longest verifier RFC 7636 §4.1 allows.
pub const VERIFIER_MIN: usize = 43;
pub const VERIFIER_MAX: usize = 128;
/// The verifier length `create-pkce` uses unless told otherwise.
pub const VERIFIER_DEFAULT: usize = 64;

/// The S256 challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))).
pub fn s256_challenge(verifier: &str) -> String {
    base64url(&sha256(verifier.as_bytes()))
}

/// A verifier of one character per random byte. 256 is a multiple of 64, so
/// each character is uniform over the alphabet (6 bits of entropy each).
pub fn verifier_from(random: &[u8]) -> String {
    random
        .iter()
        .map(|b| char::from(URL_SAFE[usize::from(b & 63)]))
        .collect()
}

/// Whether `s` is a valid verifier or challenge: 43 to 128 characters of
/// RFC 7636's unreserved set `[A-Za-z0-9-._~]`.
pub fn well_formed(s: &str) -> bool {
    (VERIFIER_MIN..=VERIFIER_MAX).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_rfc_7636_appendix_b() {
        // RFC 7636 appendix B: the verifier is the base64url of these 32
        // octets, and its S256 challenge is the value below.
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(
            base64url(&octets),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_well_formed_and_use_every_bit() {
        let v = verifier_from(&(0u8..=255).collect::<Vec<u8>>()[..64]);
        assert_eq!(
            v,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        );
        assert!(well_formed(&v));
        assert_eq!(verifier_from(&[64, 128, 255]), "AA_");
        assert!(!well_formed(&v[..42]));
        assert!(!well_formed(&"a".repeat(129)));
        assert!(!well_formed(&format!("{}+", &v[..43])));
        assert!(well_formed("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }
}
