//! 例行维护 The platform's own scheduled jobs.

use std::sync::Arc;

use serde_json::Value;

use crate::jobs::{Every, JobContext, JobError, JobFuture, JobHandler, Recurring};

/// Removes expired sessions and login attempts older than 30 days, nightly.
pub struct SessionSweep;

impl JobHandler for SessionSweep {
    fn kind(&self) -> &'static str {
        "platform.session_sweep"
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, _payload: &'a Value) -> JobFuture<'a> {
        Box::pin(async move {
            let removed = crate::session::sweep(&ctx.db, ctx.clock.now_ms()).await.map_err(|e| JobError::retry(e.message))?;
            tracing::info!(removed, "session sweep");
            Ok(())
        })
    }
}

pub fn handlers() -> Vec<Arc<dyn JobHandler>> {
    vec![Arc::new(SessionSweep)]
}

pub fn recurring(county: &str) -> Vec<Recurring> {
    vec![Recurring::new(county, "platform.session_sweep", Every::Daily { local_hour: 3 })]
}
