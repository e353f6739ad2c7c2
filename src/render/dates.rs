//! Dates as people read them: "15. november 2024", "15 November 2024".

use chrono::{Datelike, NaiveDate};

use crate::config::Language;

pub const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_DA: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

pub fn month_name(lang: Language, month: u32) -> &'static str {
    let i = (month as usize).clamp(1, 12) - 1;
    match lang {
        Language::Danish => MONTHS_DA[i],
        Language::English => MONTHS_EN[i],
    }
}

/// "15. november 2024" / "15 November 2024".
pub fn long(lang: Language, d: NaiveDate) -> String {
    match lang {
        Language::Danish => format!("{}. {} {}", d.day(), month_name(lang, d.month()), d.year()),
        Language::English => format!("{} {} {}", d.day(), month_name(lang, d.month()), d.year()),
    }
}

/// "15. november 2024 kl. 14.00" / "15 November 2024, 14:00"; `time` is `HH:MM`.
pub fn long_with_time(lang: Language, d: NaiveDate, time: &str) -> String {
    match lang {
        Language::Danish => format!("{} kl. {}", long(lang, d), clock(lang, time)),
        Language::English => format!("{}, {time}", long(lang, d)),
    }
}

/// A time of day as the language writes it: "14.00" / "14:00"; `time`
/// is `HH:MM`.
pub fn clock(lang: Language, time: &str) -> String {
    match lang {
        Language::Danish => time.replace(':', "."),
        Language::English => time.to_string(),
    }
}

/// "14.00–16.00" (or "14.00" without an end) / "14:00–16:00".
pub fn time_span(lang: Language, start: &str, end: Option<&str>) -> String {
    match end {
        Some(end) => format!("{}–{}", clock(lang, start), clock(lang, end)),
        None => clock(lang, start),
    }
}

/// "fredag 15. november 2024".
pub fn with_weekday(lang: Language, d: NaiveDate) -> String {
    let w = d.weekday().num_days_from_monday() as usize;
    let day = match lang {
        Language::Danish => WEEKDAYS_DA[w],
        Language::English => WEEKDAYS_EN[w],
    };
    format!("{day} {}", long(lang, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 11, 15).unwrap();
        assert_eq!(long(Language::Danish, d), "15. november 2024");
        assert_eq!(
            with_weekday(Language::Danish, d),
            "fredag 15. november 2024"
        );
        assert_eq!(long(Language::English, d), "15 November 2024");
        assert_eq!(
            long_with_time(Language::Danish, d, "08:30"),
            "15. november 2024 kl. 08.30"
        );
        assert_eq!(
            time_span(Language::Danish, "14:00", Some("16:30")),
            "14.00–16.30"
        );
        assert_eq!(time_span(Language::English, "14:00", None), "14:00");
        assert_eq!(
            long_with_time(Language::English, d, "08:30"),
            "15 November 2024, 08:30"
        );
    }
}
