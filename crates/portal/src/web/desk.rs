//! 营商环境工作台 The staff desk of the portal: what waits for the person looking, across
//! the modules — tickets open and overdue, 差评 to handle and overdue, articles waiting
//! for review — with links straight to each queue. A department sees its own share; the
//! county business-environment office (county admins) sees the whole county.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use qingfeng_platform::AppError;
use qingfeng_platform::auth::Role;
use qingfeng_platform::sql::Sql;
use qingfeng_platform::web::{AppState, Ctx, render_with};

use crate::{PERM_CONTENT_REVIEW, PERM_RATINGS, PERM_TICKETS, content, tickets};

pub fn routes() -> Router<AppState> {
    Router::new().route("/console/portal", get(desk))
}

/// One figure on the desk, with the queue it opens.
pub struct Figure {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: i64,
    pub href: &'static str,
    /// Shown as a warning when not zero.
    pub alarm: bool,
}

#[derive(Template)]
#[template(path = "portal_desk.html")]
struct Desk<'a> {
    ctx: &'a Ctx,
    title: &'a str,
    scope: String,
    figures: Vec<Figure>,
}

async fn desk(State(st): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let me = ctx.require(&PERM_TICKETS)?;
    let admin = me.has_role(Role::CountyAdmin) || me.has_role(Role::SystemAdmin);
    let org = if admin { None } else { Some(me.org_id.unwrap_or(-1)) };
    let now = st.clock.now_ms();
    let mut figures = Vec::new();
    let t = tickets::store::counts(&st.db, &me.county_code, org, now).await?;
    figures.push(Figure {
        id: "desk-tickets-open",
        zh: "办理中工单",
        en: "Open tickets",
        count: t.open,
        href: "/console/portal/tickets",
        alarm: false,
    });
    figures.push(Figure {
        id: "desk-tickets-overdue",
        zh: "超期工单",
        en: "Overdue tickets",
        count: t.overdue,
        href: "/console/portal/tickets?overdue=1",
        alarm: true,
    });
    if me.can(&PERM_RATINGS) {
        let bad = |cond: &str| {
            let mut s = Sql::new("SELECT COUNT(*) FROM portal_ratings WHERE county_code = ");
            s.bind(me.county_code.as_str()).push(" AND state IS NOT NULL AND state <> 'closed'");
            if let Some(o) = org {
                s.push(" AND org_id = ").bind(o);
            }
            s.push(cond);
            s
        };
        let open = bad("").fetch_i64(&st.db).await?;
        let mut late = bad(" AND due_at <= ");
        late.bind(now);
        let late = late.fetch_i64(&st.db).await?;
        figures.push(Figure {
            id: "desk-bad-open",
            zh: "待处置差评",
            en: "Bad ratings to handle",
            count: open,
            href: "/console/portal/ratings",
            alarm: false,
        });
        figures.push(Figure {
            id: "desk-bad-overdue",
            zh: "超期差评",
            en: "Overdue bad ratings",
            count: late,
            href: "/console/portal/ratings",
            alarm: true,
        });
    }
    if me.can(&PERM_CONTENT_REVIEW) {
        let counts = content::store::state_counts(&st.db, &me.county_code).await?;
        let review = counts.iter().find(|(s, _)| s == content::REVIEW).map(|(_, n)| *n).unwrap_or(0);
        figures.push(Figure {
            id: "desk-review",
            zh: "待审核文章",
            en: "Articles to review",
            count: review,
            href: "/console/portal/news/review",
            alarm: false,
        });
    }
    let scope = if admin { "全县（营商环境办公室）".to_string() } else { me.org_name.clone().unwrap_or_default() };
    render_with(&Desk { ctx: &ctx, title: ctx.pick("营商环境工作台", "Business-environment desk"), scope, figures }, None)
}
