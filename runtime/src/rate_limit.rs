//! The client-side rate limiter of the adaptive retry mode, as the AWS SDKs specify it:
//! a token bucket, off until the service first throttles the client, whose fill rate
//! follows CUBIC (cut to 70% of the rate measured at a throttle, then grown back along
//! a cubic curve through the rate the client had when it was throttled), never above
//! twice the rate the client is measured to send at.
//!
//! Time is seconds on the limiter's own clock, passed in, so that the arithmetic is
//! tested without waiting.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How much of the last throttled rate a throttle leaves.
const BETA: f64 = 0.7;
/// How fast the rate grows back (CUBIC's `C`).
const SCALE: f64 = 0.4;
/// The weight of the newest half-second in the measured sending rate.
const SMOOTH: f64 = 0.8;
const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;

/// The limiter's state (the names are the specification's).
#[derive(Debug)]
struct State {
    fill_rate: f64,
    max_capacity: f64,
    current_capacity: f64,
    last_timestamp: Option<f64>,
    /// On once the service has throttled the client.
    enabled: bool,
    measured_tx_rate: f64,
    last_tx_rate_bucket: f64,
    request_count: u32,
    last_max_rate: f64,
    last_throttle_time: f64,
    time_window: f64,
}

impl State {
    fn new(now: f64) -> Self {
        State {
            fill_rate: 0.0,
            max_capacity: 0.0,
            current_capacity: 0.0,
            last_timestamp: None,
            enabled: false,
            measured_tx_rate: 0.0,
            last_tx_rate_bucket: (now * 2.0).floor() / 2.0,
            request_count: 0,
            last_max_rate: 0.0,
            last_throttle_time: now,
            time_window: 0.0,
        }
    }

    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_timestamp {
            let fill = (now - last).max(0.0) * self.fill_rate;
            self.current_capacity = (self.current_capacity + fill).min(self.max_capacity);
        }
        self.last_timestamp = Some(now);
    }

    /// Takes a token for an attempt: how long to wait first (nothing while the bucket
    /// is off). The token is taken now; the wait pays for it.
    fn acquire(&mut self, now: f64) -> f64 {
        if !self.enabled {
            return 0.0;
        }
        self.refill(now);
        let wait = if self.current_capacity >= 1.0 {
            0.0
        } else {
            (1.0 - self.current_capacity) / self.fill_rate.max(MIN_FILL_RATE)
        };
        self.current_capacity -= 1.0;
        wait
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.request_count += 1;
        if bucket > self.last_tx_rate_bucket {
            let current = f64::from(self.request_count) / (bucket - self.last_tx_rate_bucket);
            self.measured_tx_rate = current * SMOOTH + self.measured_tx_rate * (1.0 - SMOOTH);
            self.request_count = 0;
            self.last_tx_rate_bucket = bucket;
        }
    }

    fn calculate_time_window(&mut self) {
        self.time_window = (self.last_max_rate * (1.0 - BETA) / SCALE).cbrt();
    }

    /// Learns from a response: throttled or not.
    fn update(&mut self, throttled: bool, now: f64) {
        self.update_measured_rate(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                self.measured_tx_rate.min(self.fill_rate)
            } else {
                self.measured_tx_rate
            };
            self.last_max_rate = rate;
            self.calculate_time_window();
            self.last_throttle_time = now;
            self.enabled = true;
            rate * BETA
        } else {
            self.calculate_time_window();
            let t = now - self.last_throttle_time - self.time_window;
            SCALE * t.powi(3) + self.last_max_rate
        };
        let rate = calculated.min(2.0 * self.measured_tx_rate);
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.current_capacity = self.current_capacity.min(self.max_capacity);
    }
}

/// The rate limiter a client shares among its calls in the adaptive retry mode.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    start: Instant,
    state: Mutex<State>,
}

impl RateLimiter {
    pub(crate) fn new() -> Self {
        RateLimiter {
            start: Instant::now(),
            state: Mutex::new(State::new(0.0)),
        }
    }

    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// How long an attempt waits before it is sent.
    pub(crate) fn acquire(&self) -> Duration {
        let now = self.now();
        let wait = self.state.lock().map_or(0.0, |mut s| s.acquire(now));
        Duration::try_from_secs_f64(wait).unwrap_or(Duration::ZERO)
    }

    /// Learns from the response to an attempt.
    pub(crate) fn update(&self, throttled: bool) {
        let now = self.now();
        if let Ok(mut s) = self.state.lock() {
            s.update(throttled, now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Until the service throttles, nothing waits, however fast calls go.
    #[test]
    fn the_bucket_is_off_until_a_throttle() {
        let mut s = State::new(0.0);
        for i in 0..100 {
            let now = f64::from(i) * 0.01;
            assert_eq!(s.acquire(now), 0.0);
            s.update(false, now);
        }
        assert!(!s.enabled);
    }

    /// A throttle cuts the fill rate to 70% of the measured rate; calls beyond it wait
    /// for tokens.
    #[test]
    fn a_throttle_cuts_the_rate_and_calls_wait() {
        let mut s = State::new(0.0);
        // Ten calls a second for five seconds.
        let mut now = 0.0;
        while now < 5.0 {
            s.acquire(now);
            s.update(false, now);
            now += 0.1;
        }
        let measured = s.measured_tx_rate;
        assert!((measured - 10.0).abs() < 1.0, "measured {measured}");
        s.update(true, now);
        assert!(s.enabled);
        assert!((s.last_max_rate - 10.0).abs() < 2.0, "{}", s.last_max_rate);
        assert!(
            (s.fill_rate - s.last_max_rate * BETA).abs() < 1e-9,
            "{}",
            s.fill_rate
        );
        // The bucket holds at most `fill_rate` tokens: a burst soon waits.
        let waits: Vec<f64> = (0..20).map(|_| s.acquire(now)).collect();
        assert!(waits.iter().any(|w| *w > 0.0), "{waits:?}");
        assert!(
            waits.windows(2).all(|w| w[1] >= w[0]),
            "waits grow: {waits:?}"
        );
    }

    /// After a throttle the rate grows back along the cubic curve: below the old
    /// maximum before the time window, back at it when the window has passed, above
    /// it after (never beyond twice the measured rate).
    #[test]
    fn the_rate_grows_back_along_the_cubic_curve() {
        let mut s = State::new(0.0);
        // A client measured at ten calls a second (held there: no half-second ends).
        s.measured_tx_rate = 10.0;
        s.last_tx_rate_bucket = f64::MAX;
        s.update(true, 10.0);
        assert!((s.fill_rate - 7.0).abs() < 1e-9);
        let window = s.time_window;
        assert!((window - (10.0 * 0.3 / 0.4_f64).cbrt()).abs() < 1e-9);
        let mut rate_at = |t: f64| {
            s.update(false, 10.0 + t);
            s.fill_rate
        };
        let early = rate_at(window / 2.0);
        let at_window = rate_at(window);
        let late = rate_at(window + 3.0);
        assert!(early < 10.0, "{early}");
        assert!((at_window - 10.0).abs() < 1e-9, "{at_window}");
        // 0.4 * 3^3 + 10 is 20.8: held to twice the measured rate.
        assert!((late - 20.0).abs() < 1e-9, "{late}");
    }
}
