//! 审核发布流程 The article workflow with its side effects: each action fires the state
//! machine (which audits it) and sets the other columns in the same transaction; a
//! scheduled article gets a job at its publish time ([`PublishJob`]); publishing puts
//! the article in the search index, withdrawing takes it out.

use qingfeng_core::HolidayCalendar;
use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::{Db, Tx};
use qingfeng_platform::jobs::{self, JobContext, JobError, JobFuture, JobHandler, NewJob};
use qingfeng_platform::state::{Fired, Firing};
use qingfeng_search::SearchIndex;

use super::store::{self, Article, Facts};
use super::{MACHINE, PUBLISHED, SCHEDULED, WITHDRAWN, check_reason, check_reviewer, index, parse_publish_at};

/// What an action runs with.
pub struct Env<'a> {
    pub db: &'a Db,
    pub cal: &'a HolidayCalendar,
    pub search: Option<&'a SearchIndex>,
    pub now_ms: i64,
}

/// Who acts.
pub struct Who<'a> {
    pub actor: &'a Actor,
    /// The user's id (0 for the platform itself).
    pub user_id: i64,
    pub name: &'a str,
    pub roles: &'a [Role],
}

/// What staff sent with an action.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub csrf: String,
    pub event: String,
    pub reason: String,
    /// `YYYY-MM-DDTHH:MM` Beijing time; empty = publish now.
    pub publish_at: String,
}

/// Fire `form.event` on `a` as `who`. Returns the state entered.
pub async fn act(env: &Env<'_>, a: &Article, who: &Who<'_>, form: &ActionForm) -> Result<&'static str, AppError> {
    let mut facts = Facts::default();
    let mut detail = serde_json::Map::new();
    let mut event = form.event.trim();
    let reason;
    let mut job_at = None;
    match event {
        "approve" => {
            check_reviewer(a.author_id, who.user_id)?;
            facts.reviewer_name = Some(who.name);
            match parse_publish_at(&form.publish_at, env.now_ms)? {
                Some(at) => {
                    event = "schedule";
                    facts.publish_at = Some(at);
                    job_at = Some(at);
                    detail.insert("publish_at".into(), at.into());
                }
                None => {
                    facts.publish_at = Some(env.now_ms);
                    facts.published_at = Some(env.now_ms);
                }
            }
        }
        "return" => {
            reason = check_reason(&form.reason, "portal.reason", "退回理由")?;
            facts.reviewer_name = Some(who.name);
            facts.return_reason = Some(&reason);
            detail.insert("reason".into(), reason.clone().into());
        }
        "withdraw" => {
            reason = check_reason(&form.reason, "portal.reason", "撤回理由")?;
            facts.withdraw_reason = Some(&reason);
            detail.insert("reason".into(), reason.clone().into());
        }
        "submit" | "redraft" => {}
        // The platform fires 到时发布; people never do.
        other => {
            return Err(match MACHINE.next(&a.state, other) {
                Err(e) => e,
                Ok(_) => AppError::bad_request("portal.event", "不支持直接执行该操作"),
            });
        }
    }
    let mut tx = env.db.begin().await?;
    let fired = fire(&mut tx, env, a, event, who.actor, who.roles, serde_json::Value::Object(detail)).await?;
    store::set_facts(&mut tx, a.id, &facts, env.now_ms).await?;
    if let Some(at) = job_at {
        let job = NewJob::new(&a.county_code, PublishJob::KIND, serde_json::json!({"article_id": a.id}), at).with_key(format!(
            "{}@{}@{}",
            PublishJob::KIND,
            a.id,
            fired.audit_seq
        ));
        jobs::enqueue_tx(&mut tx, env.now_ms, &job).await?;
    }
    tx.commit().await?;
    follow_in_index(env, a.id, fired.transition.to).await;
    Ok(fired.transition.to)
}

/// Fire `event` on `a` from the state it was read in (the machine audits it).
async fn fire(
    tx: &mut Tx,
    env: &Env<'_>,
    a: &Article,
    event: &str,
    actor: &Actor,
    roles: &[Role],
    detail: serde_json::Value,
) -> Result<Fired, AppError> {
    let f =
        Firing { county_code: &a.county_code, row_id: a.id, from: &a.state, event, actor, roles, now_ms: env.now_ms, detail, due: None };
    MACHINE.apply(tx, env.cal, f).await
}

/// Keep the search index in step with a move to `to` (after the commit). A failure is
/// logged, not raised: the change stands, and `qingfeng reindex` repairs the index.
async fn follow_in_index(env: &Env<'_>, id: i64, to: &str) {
    let Some(index) = env.search else { return };
    let result = async {
        let Some(a) = store::get_any(env.db, id).await? else { return Ok(()) };
        match to {
            PUBLISHED => index::put(env.db, index, &a).await,
            WITHDRAWN => index::remove(index, a.channel(), a.id),
            _ => Ok(()),
        }
    }
    .await;
    if let Err(e) = result {
        tracing::warn!(article = id, error = %e.message, "search index not updated");
    }
}

/// Publish a scheduled article whose time has come (idempotent: anything else is left).
/// Returns whether it published.
pub async fn publish_due(env: &Env<'_>, id: i64) -> Result<bool, AppError> {
    let Some(a) = store::get_any(env.db, id).await? else { return Ok(false) };
    if a.state != SCHEDULED || a.publish_at.is_none_or(|at| at > env.now_ms) {
        return Ok(false);
    }
    let actor = Actor::System("scheduler");
    let mut tx = env.db.begin().await?;
    match fire(&mut tx, env, &a, "publish", &actor, &[], serde_json::json!({"publish_at": a.publish_at})).await {
        Ok(_) => {}
        // Someone returned it a moment ago: nothing to publish.
        Err(e) if e.code == "state.conflict" => return Ok(false),
        Err(e) => return Err(e),
    }
    store::set_facts(&mut tx, a.id, &Facts { published_at: a.publish_at, ..Facts::default() }, env.now_ms).await?;
    tx.commit().await?;
    follow_in_index(env, a.id, PUBLISHED).await;
    Ok(true)
}

/// 定时发布 The job that publishes a scheduled article at its time (payload
/// `{"article_id": N}`). Idempotent: an article no longer scheduled is left alone.
pub struct PublishJob;

impl PublishJob {
    pub const KIND: &'static str = "portal.content.publish";
}

impl JobHandler for PublishJob {
    fn kind(&self) -> &'static str {
        Self::KIND
    }
    fn run<'a>(&'a self, ctx: &'a JobContext, payload: &'a serde_json::Value) -> JobFuture<'a> {
        Box::pin(async move {
            let id = payload.get("article_id").and_then(|v| v.as_i64()).ok_or_else(|| JobError::permanent("缺少 article_id"))?;
            let cal = qingfeng_platform::calendar::load(&ctx.db).await.map_err(|e| JobError::retry(e.message))?;
            let env = Env { db: &ctx.db, cal: &cal, search: ctx.search.as_deref(), now_ms: ctx.clock.now_ms() };
            let published = publish_due(&env, id).await.map_err(|e| JobError::retry(e.message))?;
            tracing::info!(article = id, published, "scheduled article");
            Ok(())
        })
    }
}
