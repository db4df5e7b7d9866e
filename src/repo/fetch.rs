//! Fetching over the network: one GET, bounded in time and size.

use anyhow::{anyhow, bail};

/// Reads `url` whole, within the network timeout (from connect to the last byte, so a
/// silent or trickling server cannot hang the run) and the download size limit.
pub fn get(url: &str) -> anyhow::Result<Vec<u8>> {
    use crate::limits::{DOWNLOAD_SIZE, NETWORK_TIMEOUT};
    if url.starts_with("https://") {
        bail!("`{url}`: rudder fetches charts over http:// and file:// only for now");
    }
    let timeout = std::time::Duration::from_secs(NETWORK_TIMEOUT.get());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .build()
        .into();
    let failed = |verb: &str, e: ureq::Error| match e {
        ureq::Error::Timeout(_) => anyhow!(
            "{}",
            NETWORK_TIMEOUT.exceeded(format!("cannot {verb} `{url}`: no complete answer in time"))
        ),
        ureq::Error::BodyExceedsLimit(_) => anyhow!(
            "{}",
            DOWNLOAD_SIZE.exceeded(format!("cannot {verb} `{url}`: the answer is too large"))
        ),
        e => anyhow!("cannot {verb} `{url}`: {e}"),
    };
    let mut response = agent.get(url).call().map_err(|e| failed("fetch", e))?;
    response
        .body_mut()
        .with_config()
        .limit(DOWNLOAD_SIZE.get())
        .read_to_vec()
        .map_err(|e| failed("read", e))
}
