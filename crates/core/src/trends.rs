//! Weekly series and spikes: a week stands out when its count is far above the
//! series' own recent weeks (median and median absolute deviation of the 8 weeks
//! before it, robust to one earlier burst).

use time::Date;

use crate::clock::VN_OFFSET;

/// Weeks before the one judged that form its baseline.
pub const BASELINE_WEEKS: usize = 8;
/// How many robust standard deviations above the baseline make a spike.
pub const SPIKE_Z: f64 = 3.0;
/// Fewer reports than this in a week are never a spike (noise in small series).
pub const SPIKE_MIN: u32 = 5;

/// Seconds in a week.
const WEEK: i64 = 7 * 86_400;

/// The Monday-based week (Vietnam time) holding a moment, as a number of weeks since
/// the week of 1 January 1970 (a Thursday: its Monday is 29 December 1969).
pub fn week_of(unix: i64) -> i64 {
    let local = unix + i64::from(VN_OFFSET.whole_seconds());
    (local + 3 * 86_400).div_euclid(WEEK)
}

/// The Monday that starts a week.
pub fn week_start(week: i64) -> Date {
    let days = week * 7 - 3;
    Date::from_julian_day(2_440_588 + days as i32).unwrap_or(Date::MIN)
}

/// How the last week of a series compares with the weeks before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    /// The last week's count.
    pub last: u32,
    /// The median of the baseline weeks.
    pub baseline: f64,
    /// Robust z-score: (last − median) / (1.4826 × MAD), the spread at least 1.
    pub z: f64,
    /// Whether it is a spike.
    pub spike: bool,
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Judges the last value of a weekly series against up to [`BASELINE_WEEKS`] before it.
pub fn judge(series: &[u32]) -> Option<Judged> {
    let (&last, before) = series.split_last()?;
    let from = before.len().saturating_sub(BASELINE_WEEKS);
    let mut base: Vec<f64> = before[from..].iter().map(|&c| f64::from(c)).collect();
    base.sort_by(f64::total_cmp);
    let m = median(&base);
    let mut deviations: Vec<f64> = base.iter().map(|c| (c - m).abs()).collect();
    deviations.sort_by(f64::total_cmp);
    let spread = (1.4826 * median(&deviations)).max(1.0);
    let z = (f64::from(last) - m) / spread;
    Some(Judged {
        last,
        baseline: m,
        z,
        spike: base.len() >= 4 && last >= SPIKE_MIN && z >= SPIKE_Z,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weeks_start_on_monday_in_vietnam() {
        // Monday 30 November 2026, 00:30 in Vietnam = Sunday 17:30 UTC
        let monday_early = date!(2026 - 11 - 30)
            .midnight()
            .assume_utc()
            .unix_timestamp()
            - 7 * 3600
            + 1800;
        assert_eq!(week_start(week_of(monday_early)), date!(2026 - 11 - 30));
        // one second earlier it is still the week of Monday 23 November
        assert_eq!(
            week_start(week_of(monday_early - 1801)),
            date!(2026 - 11 - 23)
        );
        assert_eq!(week_start(week_of(0)), date!(1969 - 12 - 29));
    }

    #[test]
    fn a_burst_well_above_the_series_own_level_is_a_spike() {
        let flat = [4, 5, 3, 6, 4, 5, 4, 5, 18];
        let j = judge(&flat).expect("judged");
        assert!(j.spike && j.baseline == 4.5, "{j:?}");
        // the same count in a noisy series is not
        assert!(
            !judge(&[2, 15, 4, 20, 8, 17, 3, 19, 18])
                .expect("judged")
                .spike
        );
        // small numbers never are
        assert!(!judge(&[0, 0, 0, 0, 0, 0, 0, 0, 4]).expect("judged").spike);
        // too little history
        assert!(!judge(&[1, 30]).expect("judged").spike);
        assert!(judge(&[]).is_none());
    }
}
