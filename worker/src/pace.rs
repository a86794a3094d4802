//! `--max-activities-per-second`: the worker starts its activities' GoTo
//! calls evenly spaced, at most X a second and never in a burst, so the
//! workers of one GoTo account can share its per-token rate limit (three
//! workers at 6 stay under 20 in any second). Temporal's own worker limit
//! lets a burst through at start; this does not.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The next free start time.
pub struct Pace {
    interval: Duration,
    next: Mutex<Instant>,
}

impl Pace {
    /// At most `per_second` starts a second.
    pub fn new(per_second: f64) -> Pace {
        Pace {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for this call's turn.
    pub async fn turn(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.interval;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn turns_are_evenly_spaced_and_never_bunched() {
        let pace = Pace::new(5.0);
        let start = Instant::now();
        let mut at = Vec::new();
        for _ in 0..4 {
            pace.turn().await;
            at.push(start.elapsed());
        }
        let spaced: Vec<u128> = at.iter().map(|d| d.as_millis()).collect();
        assert_eq!(spaced, [0, 200, 400, 600]);
    }
}
