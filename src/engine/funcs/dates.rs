//! Dates and durations with Go's layouts (`2006-01-02 15:04:05`) and Go's duration
//! strings (`1h2m3s`). `now` is fixed per run (`--now`, else SOURCE_DATE_EPOCH, else the
//! clock), so a render can be made reproducible.

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use minijinja::Error;
use minijinja::value::{Object, Value, ValueKind};

use super::Ctx;
use super::args::{arg, exact, func_error, s};
use super::durations::{go_duration, parse_go_duration};

/// A point in time as templates see it (Go's `time.Time`).
#[derive(Debug)]
pub struct GoTime(pub Zoned);

impl Object for GoTime {
    fn render(self: &Arc<Self>, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&go_format(
            &self.0,
            "2006-01-02 15:04:05.999999999 -0700 MST",
        ))
    }
}

fn local_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

fn zone(name: &str) -> TimeZone {
    match name {
        "" | "UTC" => TimeZone::UTC,
        "Local" => local_zone(),
        other => TimeZone::get(other).unwrap_or(TimeZone::UTC),
    }
}

/// A template value as a time: a time, or unix seconds; anything else is `now`.
fn to_time(v: &Value, now: Timestamp) -> Zoned {
    if let Some(t) = v.downcast_object_ref::<GoTime>() {
        return t.0.clone();
    }
    let ts = match v.kind() {
        ValueKind::Number if v.is_integer() => {
            Timestamp::from_second(v.as_i64().unwrap_or(0)).unwrap_or(now)
        }
        _ => now,
    };
    ts.to_zoned(local_zone())
}

fn time_value(z: Zoned) -> Value {
    Value::from_object(GoTime(z))
}

const MONTHS: [&str; 12] = [
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
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Formats a time with a Go layout.
pub fn go_format(t: &Zoned, layout: &str) -> String {
    let mut out = String::new();
    let mut rest = layout;
    let offset = t.offset().seconds();
    let abbrev = t
        .time_zone()
        .to_offset_info(t.timestamp())
        .abbreviation()
        .to_string();
    let (sign, abs) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    let (oh, om, os) = (abs / 3600, abs / 60 % 60, abs % 60);
    let hour12 = |h: i8| if h % 12 == 0 { 12 } else { h % 12 };
    let tokens: &[&str] = &[
        "January",
        "Monday",
        "Z07:00:00",
        "-07:00:00",
        "Z070000",
        "-070000",
        "2006",
        "Z07:00",
        "-07:00",
        "Z0700",
        "-0700",
        "Jan",
        "Mon",
        "MST",
        "002",
        "__2",
        "Z07",
        "-07",
        "01",
        "02",
        "03",
        "04",
        "05",
        "06",
        "15",
        "_2",
        "PM",
        "pm",
        "1",
        "2",
        "3",
        "4",
        "5",
    ];
    while !rest.is_empty() {
        if rest.starts_with(".0")
            || rest.starts_with(".9")
            || rest.starts_with(",0")
            || rest.starts_with(",9")
        {
            let digit = rest.as_bytes()[1];
            let n = rest[1..].bytes().take_while(|b| *b == digit).count();
            let after = rest.as_bytes().get(1 + n);
            if !after.is_some_and(u8::is_ascii_digit) {
                let nanos = format!("{:09}", t.subsec_nanosecond());
                let mut frac = nanos[..n.min(9)].to_string();
                if digit == b'9' {
                    frac = frac.trim_end_matches('0').to_string();
                    if !frac.is_empty() {
                        out.push(rest.as_bytes()[0] as char);
                        out.push_str(&frac);
                    }
                } else {
                    out.push(rest.as_bytes()[0] as char);
                    out.push_str(&frac);
                }
                rest = &rest[1 + n..];
                continue;
            }
        }
        let Some(tok) = tokens.iter().find(|tok| rest.starts_with(**tok)) else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let z = offset == 0 && tok.starts_with('Z');
        let piece = match *tok {
            "January" => MONTHS[t.month() as usize - 1].to_string(),
            "Jan" => MONTHS[t.month() as usize - 1][..3].to_string(),
            "Monday" => DAYS[t.weekday().to_monday_zero_offset() as usize].to_string(),
            "Mon" => DAYS[t.weekday().to_monday_zero_offset() as usize][..3].to_string(),
            "MST" => abbrev.clone(),
            "2006" => format!("{:04}", t.year()),
            "06" => format!("{:02}", t.year().rem_euclid(100)),
            "01" => format!("{:02}", t.month()),
            "1" => t.month().to_string(),
            "02" => format!("{:02}", t.day()),
            "2" => t.day().to_string(),
            "_2" => format!("{:>2}", t.day()),
            "002" => format!("{:03}", t.day_of_year()),
            "__2" => format!("{:>3}", t.day_of_year()),
            "15" => format!("{:02}", t.hour()),
            "03" => format!("{:02}", hour12(t.hour())),
            "3" => hour12(t.hour()).to_string(),
            "04" => format!("{:02}", t.minute()),
            "4" => t.minute().to_string(),
            "05" => format!("{:02}", t.second()),
            "5" => t.second().to_string(),
            "PM" => if t.hour() >= 12 { "PM" } else { "AM" }.to_string(),
            "pm" => if t.hour() >= 12 { "pm" } else { "am" }.to_string(),
            _ if z => "Z".to_string(),
            "-07" | "Z07" => format!("{sign}{oh:02}"),
            "-0700" | "Z0700" => format!("{sign}{oh:02}{om:02}"),
            "-07:00" | "Z07:00" => format!("{sign}{oh:02}:{om:02}"),
            "-070000" | "Z070000" => format!("{sign}{oh:02}{om:02}{os:02}"),
            _ => format!("{sign}{oh:02}:{om:02}:{os:02}"),
        };
        out.push_str(&piece);
        rest = &rest[tok.len()..];
    }
    out
}

/// A Go layout as a strptime format, for parsing.
fn go_layout_to_strptime(layout: &str) -> String {
    let pairs: &[(&str, &str)] = &[
        ("January", "%B"),
        ("Monday", "%A"),
        ("2006", "%Y"),
        ("-07:00", "%:z"),
        ("-0700", "%z"),
        ("Z07:00", "%:z"),
        ("Z0700", "%z"),
        ("Jan", "%b"),
        ("Mon", "%a"),
        ("MST", "%Z"),
        ("01", "%m"),
        ("02", "%d"),
        ("03", "%I"),
        ("04", "%M"),
        ("05", "%S"),
        ("06", "%y"),
        ("15", "%H"),
        ("PM", "%p"),
        ("_2", "%e"),
        ("1", "%-m"),
        ("2", "%-d"),
        ("3", "%-I"),
        ("4", "%-M"),
        ("5", "%-S"),
    ];
    let mut out = String::new();
    let mut rest = layout;
    while !rest.is_empty() {
        if let Some(frac) = [
            ".000000000",
            ".999999999",
            ".000000",
            ".999999",
            ".000",
            ".999",
        ]
        .iter()
        .find(|f| rest.starts_with(**f))
        {
            out.push_str("%.f");
            rest = &rest[frac.len()..];
            continue;
        }
        match pairs.iter().find(|(g, _)| rest.starts_with(g)) {
            Some((g, p)) => {
                out.push_str(p);
                rest = &rest[g.len()..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                if c == '%' {
                    out.push_str("%%");
                } else {
                    out.push(c);
                }
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

fn parse_date(layout: &str, text: &str) -> Result<Zoned, String> {
    let format = go_layout_to_strptime(layout);
    let parsed = jiff::fmt::strtime::parse(&format, text)
        .map_err(|e| format!("parsing time {text:?} as {layout:?}: {e}"))?;
    if let Ok(z) = parsed.to_zoned() {
        return Ok(z);
    }
    if let Ok(ts) = parsed.to_timestamp() {
        return Ok(ts.to_zoned(local_zone()));
    }
    let dt = parsed
        .to_datetime()
        .or_else(|_| {
            parsed
                .to_date()
                .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
        })
        .map_err(|e| format!("parsing time {text:?} as {layout:?}: {e}"))?;
    dt.to_zoned(local_zone()).map_err(|e| e.to_string())
}

// The functions of the registry that read the run's `now`.

/// `now`.
pub fn now(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 0, "now")?;
    Ok(time_value(ctx.now.to_zoned(local_zone())))
}

/// `date`.
pub fn date(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "date")?;
    Ok(Value::from(go_format(
        &to_time(&args[1], ctx.now),
        &s(&args[0]),
    )))
}

/// `dateInZone`.
pub fn date_in_zone(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 3, "dateInZone")?;
    let t = to_time(&args[1], ctx.now).with_time_zone(zone(&s(&args[2])));
    Ok(Value::from(go_format(&t, &s(&args[0]))))
}

/// `htmlDate`.
pub fn html_date(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "htmlDate")?;
    Ok(Value::from(go_format(
        &to_time(&args[0], ctx.now),
        "2006-01-02",
    )))
}

/// `htmlDateInZone`.
pub fn html_date_in_zone(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "htmlDateInZone")?;
    let t = to_time(&args[0], ctx.now).with_time_zone(zone(&s(&args[1])));
    Ok(Value::from(go_format(&t, "2006-01-02")))
}

/// `dateModify`.
pub fn date_modify(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "dateModify")?;
    let t = to_time(&args[1], ctx.now);
    match parse_go_duration(&s(&args[0])) {
        Ok(d) => Ok(time_value(
            t.checked_add(jiff::SignedDuration::from_nanos(d as i64))
                .unwrap_or(t),
        )),
        Err(_) => Ok(time_value(t)),
    }
}

/// `mustDateModify`.
pub fn must_date_modify(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "mustDateModify")?;
    let t = to_time(&args[1], ctx.now);
    let d =
        parse_go_duration(&s(&args[0])).map_err(|e| func_error(format!("mustDateModify: {e}")))?;
    Ok(time_value(
        t.checked_add(jiff::SignedDuration::from_nanos(d as i64))
            .map_err(|e| func_error(e.to_string()))?,
    ))
}

/// `ago`.
pub fn ago(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "ago")?;
    let then = to_time(&args[0], ctx.now).timestamp();
    let nanos = ctx.now.as_nanosecond() - then.as_nanosecond();
    let rounded = (nanos + nanos.signum() * 500_000_000) / 1_000_000_000 * 1_000_000_000;
    Ok(Value::from(go_duration(rounded)))
}

/// `unixEpoch`.
pub fn unix_epoch(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "unixEpoch")?;
    Ok(Value::from(
        to_time(&args[0], ctx.now)
            .timestamp()
            .as_second()
            .to_string(),
    ))
}

/// `durationRound`.
pub fn duration_round(ctx: &Ctx, args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "durationRound")?;
    let v = &args[0];
    let nanos: i128 = if let Some(t) = v.downcast_object_ref::<GoTime>() {
        ctx.now.as_nanosecond() - t.0.timestamp().as_nanosecond()
    } else if v.kind() == ValueKind::String {
        parse_go_duration(v.as_str().unwrap_or_default()).unwrap_or(0)
    } else {
        i128::from(super::math::to_i64(v))
    };
    Ok(Value::from(rough_duration(nanos.unsigned_abs())))
}

/// `durationRound`'s rough form: the largest whole unit (`2y`, `3mo`, `4d`, `5h`, `6m`, `7s`).
fn rough_duration(u: u128) -> String {
    const S: u128 = 1_000_000_000;
    let units: [(u128, &str); 6] = [
        (S * 3600 * 24 * 365, "y"),
        (S * 3600 * 24 * 30, "mo"),
        (S * 3600 * 24, "d"),
        (S * 3600, "h"),
        (S * 60, "m"),
        (S, "s"),
    ];
    for (size, unit) in units {
        if u > size {
            return format!("{}{unit}", u / size);
        }
    }
    "0s".into()
}

/// `duration(seconds)`: Go's duration string of that many seconds.
pub fn duration(args: &[Value]) -> Result<Value, Error> {
    exact(args, 1, "duration")?;
    let secs = super::math::to_i64(arg(args, 0, "duration")?);
    // Go's `time.Duration(n) * time.Second` wraps in int64.
    Ok(Value::from(go_duration(i128::from(
        secs.wrapping_mul(1_000_000_000),
    ))))
}

/// `toDate(layout, text)`: a time parsed with a Go layout; the zero time on failure.
pub fn to_date(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "toDate")?;
    let zero = || {
        jiff::civil::date(1, 1, 1)
            .to_zoned(TimeZone::UTC)
            .map(time_value)
            .unwrap_or(Value::from(()))
    };
    Ok(parse_date(&s(&args[0]), &s(&args[1]))
        .map(time_value)
        .unwrap_or_else(|_| zero()))
}

/// `mustToDate(layout, text)`: fails on text that does not match the layout.
pub fn must_to_date(args: &[Value]) -> Result<Value, Error> {
    exact(args, 2, "mustToDate")?;
    parse_date(&s(&args[0]), &s(&args[1]))
        .map(time_value)
        .map_err(func_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_layouts_format() {
        let t = Timestamp::from_second(1_700_000_000)
            .unwrap()
            .to_zoned(TimeZone::UTC);
        assert_eq!(
            go_format(&t, "2006-01-02T15:04:05Z07:00"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            go_format(&t, "Mon Jan _2 3:04PM 2006"),
            "Tue Nov 14 10:13PM 2023"
        );
        assert_eq!(go_format(&t, "02/01/06 .000"), "14/11/23 .000");
    }
}
