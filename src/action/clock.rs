//! The one place that reads the clock and SOURCE_DATE_EPOCH.
//!
//! Reproducible builds set SOURCE_DATE_EPOCH; every time rudder prints or stores (`now`,
//! Chart.lock's `generated`, archive entries' mtime) comes from here, parsed one way.

use anyhow::anyhow;

const EPOCH_VAR: &str = "SOURCE_DATE_EPOCH";

/// SOURCE_DATE_EPOCH as seconds, when set and not empty.
fn epoch() -> anyhow::Result<Option<i64>> {
    match std::env::var(EPOCH_VAR) {
        Ok(text) if !text.trim().is_empty() => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow!("{EPOCH_VAR} `{text}` is not a number of seconds")),
        _ => Ok(None),
    }
}

/// The run's `now`: `--now` (RFC 3339), else SOURCE_DATE_EPOCH, else the clock.
pub fn now(flag: Option<&str>) -> anyhow::Result<jiff::Timestamp> {
    if let Some(text) = flag {
        return text.parse::<jiff::Timestamp>().map_err(|e| {
            crate::error::hinted(
                format!("invalid --now `{text}`: {e}"),
                "give a time like 2026-01-02T15:04:05Z",
            )
        });
    }
    match epoch()? {
        Some(secs) => {
            jiff::Timestamp::from_second(secs).map_err(|e| anyhow!("{EPOCH_VAR} `{secs}`: {e}"))
        }
        None => Ok(jiff::Timestamp::now()),
    }
}

/// The mtime of archive entries: SOURCE_DATE_EPOCH, else the Unix epoch (never the
/// clock, so archives of the same chart are the same bytes).
pub fn archive_mtime() -> anyhow::Result<u64> {
    Ok(epoch()?.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
}
