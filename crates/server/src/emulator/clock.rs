//! The emulator's clock: real time, optionally shifted or frozen by the control API.
//!
//! Every state transition is computed from this clock (lazily, on each request), so a
//! frozen clock means nothing advances until `POST /__emulator/time {"advance_secs": N}`.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, from the system clock.
pub fn system_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Emulated time: `system time + offset`, or a fixed instant while frozen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    offset_ms: i64,
    frozen_at: Option<i64>,
}

impl Clock {
    /// A clock following real time.
    pub fn real() -> Self {
        Clock {
            offset_ms: 0,
            frozen_at: None,
        }
    }

    /// A clock frozen at the current real time.
    pub fn frozen() -> Self {
        Clock {
            offset_ms: 0,
            frozen_at: Some(system_now_ms()),
        }
    }

    /// A clock frozen at `at_ms` (tests).
    pub fn frozen_at(at_ms: i64) -> Self {
        Clock {
            offset_ms: 0,
            frozen_at: Some(at_ms),
        }
    }

    /// Real or frozen, per `frozen`.
    pub fn new(frozen: bool) -> Self {
        if frozen {
            Self::frozen()
        } else {
            Self::real()
        }
    }

    /// The emulated now, in ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        match self.frozen_at {
            Some(t) => t,
            None => system_now_ms().saturating_add(self.offset_ms),
        }
    }

    /// Is time frozen?
    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }

    /// Move the emulated time forward by `ms` (negative values are ignored).
    pub fn advance_ms(&mut self, ms: i64) {
        let ms = ms.max(0);
        match self.frozen_at.as_mut() {
            Some(t) => *t = t.saturating_add(ms),
            None => self.offset_ms = self.offset_ms.saturating_add(ms),
        }
    }

    /// Freeze at the current emulated instant, or resume from it (time stays continuous).
    pub fn set_frozen(&mut self, frozen: bool) {
        match (frozen, self.frozen_at) {
            (true, None) => self.frozen_at = Some(self.now_ms()),
            (false, Some(t)) => {
                self.offset_ms = t.saturating_sub(system_now_ms());
                self.frozen_at = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_clock_only_moves_when_advanced() {
        let mut c = Clock::frozen_at(1_000);
        assert_eq!(c.now_ms(), 1_000);
        c.advance_ms(500);
        assert_eq!(c.now_ms(), 1_500);
        c.advance_ms(-10);
        assert_eq!(c.now_ms(), 1_500);
    }

    #[test]
    fn unfreezing_keeps_time_continuous() {
        let mut c = Clock::frozen_at(system_now_ms() + 60_000);
        c.set_frozen(false);
        let d = c.now_ms() - system_now_ms();
        assert!((59_000..=60_000).contains(&d), "{d}");
        c.set_frozen(true);
        assert!(c.is_frozen());
    }
}
