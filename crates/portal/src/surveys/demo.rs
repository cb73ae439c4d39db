//! 演示问卷 One synthetic survey, visibly marked 演示, published and open, with
//! synthetic responses (respondent keys `demo:N`, flagged `is_demo`) so that the results
//! and the export have something to show. Loaded once (skipped when the county already
//! has a demo survey). No real person, company or figure.

use qingfeng_platform::AppError;
use qingfeng_platform::audit::Actor;
use qingfeng_platform::auth::Role;
use qingfeng_platform::db::Db;
use qingfeng_platform::state::Firing;

use super::store::{self, Meta};
use super::{Answer, Identity, MACHINE, NewQuestion};

/// Synthetic responses in the demo.
pub const DEMO_RESPONSES: usize = 36;

const TITLE: &str = "【演示】企业对营商环境的满意度调查";

const TEXTS: &[&str] = &["希望审批材料再精简一些（演示数据）", "政策解读可以更通俗（演示数据）", "窗口服务态度很好（演示数据）"];

/// Load the demo survey for `county` unless there is one.
pub async fn load(db: &Db, county: &str, now_ms: i64) -> Result<(), AppError> {
    if store::demo_count(db, county).await? > 0 {
        return Ok(());
    }
    let meta = Meta {
        title: TITLE.into(),
        intro: "本问卷为系统演示数据，题目和答卷均为合成内容，不代表真实调查结果。匿名填写，每个浏览器限填一次。".into(),
        identity: Identity::Anonymous,
        opens_at: None,
        closes_at: None,
        results_public: true,
    };
    let questions = [
        NewQuestion {
            kind: "single".into(),
            prompt: "您的经营主体类型".into(),
            required: true,
            options: "个体工商户\n小微企业\n中型企业\n大型企业".into(),
            ..NewQuestion::default()
        },
        NewQuestion {
            kind: "multiple".into(),
            prompt: "您最希望改进的方面（最多选两项）".into(),
            required: true,
            options: "审批效率\n政策宣传\n融资服务\n涉企收费\n执法规范".into(),
            max_picks: "2".into(),
            ..NewQuestion::default()
        },
        NewQuestion {
            kind: "rating".into(), prompt: "您对县内政务服务的总体满意度".into(), required: true, ..NewQuestion::default()
        },
        NewQuestion {
            kind: "text".into(),
            prompt: "其他意见和建议".into(),
            required: false,
            max_chars: "200".into(),
            ..NewQuestion::default()
        },
    ];
    let actor = Actor::System("demo");
    let mut tx = db.begin().await?;
    let id = store::create(&mut tx, county, &meta, true, "demo", now_ms).await?;
    let mut qids = Vec::new();
    for q in &questions {
        let checked = q.check()?;
        qids.push(store::add_question(&mut tx, id, &checked).await?.ok_or_else(|| AppError::internal("demo survey is not a draft"))?);
    }
    MACHINE
        .apply(
            &mut tx,
            &qingfeng_core::HolidayCalendar::builtin(),
            Firing {
                county_code: county,
                row_id: id,
                from: "draft",
                event: "publish",
                actor: &actor,
                roles: &[Role::SystemAdmin],
                now_ms,
                detail: serde_json::json!({"title": TITLE, "demo": true}),
                due: None,
            },
        )
        .await?;
    // A fixed pseudo-random sequence, so the demo looks the same on every machine.
    let mut x: u64 = 0x5eed_2026;
    let mut next = |n: u64| {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for n in 0..DEMO_RESPONSES {
        let first = next(4) as i64;
        let a = next(5) as i64;
        let b = next(5) as i64;
        let mut picks = vec![a];
        if b != a {
            picks.push(b);
        }
        picks.sort_unstable();
        let rating = [3, 4, 4, 5, 5, 2, 4][next(7) as usize];
        let mut answers = vec![
            Answer::Choices { question_id: qids[0], picks: vec![first] },
            Answer::Choices { question_id: qids[1], picks },
            Answer::Rating { question_id: qids[2], rating },
        ];
        if n % 4 == 0 {
            answers.push(Answer::Text { question_id: qids[3], text: TEXTS[next(TEXTS.len() as u64) as usize].into() });
        }
        let at = now_ms - (DEMO_RESPONSES - n) as i64 * 3_600_000;
        store::insert_response(&mut tx, id, &format!("demo:{n}"), &answers, true, at).await?;
    }
    tx.commit().await?;
    Ok(())
}
