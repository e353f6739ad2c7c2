//! Meeting times in Danish local time (Europe/Copenhagen) for feeds,
//! calendars, structured data and the OParl export.
//!
//! Only the current EU rule is implemented (summer time from the last Sunday
//! of March 02:00 to the last Sunday of October 03:00 local time, in force
//! since 1996); it is applied to all years. The calendars' VTIMEZONE states
//! the same rule, so every output agrees with every other. Denmark's older
//! rules (summer time ending in September 1981–1995, none before 1980) are
//! not modelled: minutes archives from before 1996 would get a summer-time
//! offset one hour off for a few weeks of autumn.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::model::Meeting;

/// The IANA name used as TZID in calendars.
pub const TZID: &str = "Europe/Copenhagen";

/// A local date-time with its UTC offset in whole hours (+1 or +2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub local: NaiveDateTime,
    pub offset_hours: i32,
}

impl LocalTime {
    pub fn new(local: NaiveDateTime) -> LocalTime {
        LocalTime {
            local,
            offset_hours: if is_summer_time(local) { 2 } else { 1 },
        }
    }

    /// The same instant in UTC: for sorting and for `DTSTAMP`.
    pub fn utc(&self) -> NaiveDateTime {
        self.local - Duration::hours(i64::from(self.offset_hours))
    }

    /// RFC 3339 / xsd:dateTime with offset: `2024-11-15T14:00:00+01:00`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{}+{:02}:00",
            self.local.format("%Y-%m-%dT%H:%M:%S"),
            self.offset_hours
        )
    }
}

/// Whether Danish summer time (CEST, UTC+2) applies at this local time.
///
/// In the spring gap (02:00–03:00 on the last Sunday of March, which does
/// not exist) the offset before the change is used, as RFC 5545 §3.3.5 asks;
/// in the repeated autumn hour the first occurrence (summer time) is used.
pub fn is_summer_time(local: NaiveDateTime) -> bool {
    let year = local.year();
    let three = NaiveTime::from_hms_opt(3, 0, 0).expect("valid time");
    let starts = last_sunday(year, 3).and_time(three);
    let ends = last_sunday(year, 10).and_time(three);
    local >= starts && local < ends
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last = if month == 12 {
        NaiveDate::from_ymd_opt(year, 12, 31)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1).and_then(|d| d.pred_opt())
    }
    .expect("valid month");
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// When a meeting takes place, as far as its meeting.toml says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingTime {
    pub date: NaiveDate,
    /// `None`: no start time given, an all-day entry.
    pub start: Option<LocalTime>,
    /// Only when it is after the start on the same day.
    pub end: Option<LocalTime>,
}

impl MeetingTime {
    pub fn of(m: &Meeting) -> MeetingTime {
        let start = m
            .start
            .as_deref()
            .and_then(parse_hhmm)
            .map(|t| m.date.and_time(t));
        let end = m
            .end
            .as_deref()
            .and_then(parse_hhmm)
            .map(|t| m.date.and_time(t))
            .filter(|e| start.is_some_and(|s| *e > s));
        MeetingTime {
            date: m.date,
            start: start.map(LocalTime::new),
            end: end.map(LocalTime::new),
        }
    }

    /// The start, or local midnight of the day when no time is given.
    pub fn start_or_midnight(&self) -> LocalTime {
        self.start.unwrap_or_else(|| {
            LocalTime::new(
                self.date
                    .and_time(NaiveTime::from_hms_opt(0, 0, 0).expect("midnight")),
            )
        })
    }
}

/// `HH:MM` (the loader has checked the form already).
fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn offsets_follow_the_eu_rule() {
        // 2024: summer time from 31 March to 27 October.
        assert_eq!(
            LocalTime::new(at(2024, 11, 15, 14, 0)).rfc3339(),
            "2024-11-15T14:00:00+01:00"
        );
        assert_eq!(
            LocalTime::new(at(2024, 6, 1, 9, 30)).rfc3339(),
            "2024-06-01T09:30:00+02:00"
        );
        assert!(!is_summer_time(at(2024, 3, 31, 1, 59)));
        assert!(
            !is_summer_time(at(2024, 3, 31, 2, 30)),
            "the spring gap keeps winter time"
        );
        assert!(is_summer_time(at(2024, 3, 31, 3, 0)));
        assert!(
            is_summer_time(at(2024, 10, 27, 2, 30)),
            "first of the repeated hour"
        );
        assert!(!is_summer_time(at(2024, 10, 27, 3, 0)));
        // 2025: 30 March to 26 October.
        assert!(!is_summer_time(at(2025, 3, 29, 12, 0)));
        assert!(is_summer_time(at(2025, 3, 30, 12, 0)));
        assert!(is_summer_time(at(2025, 10, 25, 12, 0)));
        assert!(!is_summer_time(at(2025, 10, 26, 12, 0)));
    }

    #[test]
    fn utc_instant() {
        assert_eq!(
            LocalTime::new(at(2024, 6, 1, 9, 30)).utc(),
            at(2024, 6, 1, 7, 30)
        );
        assert_eq!(
            LocalTime::new(at(2024, 1, 1, 0, 30)).utc(),
            at(2023, 12, 31, 23, 30)
        );
    }
}
