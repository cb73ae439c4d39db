//! 查询码 Tracking codes handed to citizens so they can follow what they submitted
//! without an account: a module prefix and random characters without look-alikes
//! (no 0/O, 1/I), easy to read out on the phone. Lookups by code are throttled by the
//! caller like a login.

use rand::Rng;

const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// `prefix` and `len` random characters (5 bits each).
pub fn tracking_code(prefix: &str, len: usize) -> String {
    let mut rng = rand::rng();
    let mut s = String::from(prefix);
    for _ in 0..len {
        s.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    s
}

/// The code as typed, normalised: trimmed, upper case, spaces and dashes removed.
pub fn normalise(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_prefix_and_no_look_alikes() {
        let c = tracking_code("GD", 10);
        assert_eq!(c.len(), 12);
        assert!(c.starts_with("GD"));
        assert!(!c[2..].contains(['0', 'O', '1', 'I']));
        assert_ne!(tracking_code("GD", 10), c);
        assert_eq!(normalise(" gd-12 ab "), "GD12AB");
    }
}
