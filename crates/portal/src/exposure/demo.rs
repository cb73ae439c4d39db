//! 演示曝光 A synthetic enterprise on the 严重失信主体名单 (put there through the credit
//! module's own API, so the board takes it up like any list entry) and one hand entry,
//! both marked 演示: made-up names and synthetic codes, no real subject.

use qingfeng_credit::ingest::SubjectCode;
use qingfeng_credit::store::{NewListEntry, NewSubject};
use qingfeng_platform::audit::Actor;
use qingfeng_platform::db::Db;
use qingfeng_platform::{AppError, Clock};

use super::SourceKind;
use super::store::{self, NewEntry};

/// A synthetic USCC (valid check characters) for the demo enterprise.
fn demo_uscc() -> String {
    let body = "MA9DEMA1";
    let org = qingfeng_core::gb11714_check_char(body).unwrap_or('0');
    let first17 = format!("91410922{body}{org}");
    let check = qingfeng_core::uscc_check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Put the demo enterprise on the 严重失信主体名单 (idempotent) and run the board's check,
/// which takes it up. Called with the demo's synthetic credit data, so that tests
/// without it keep the credit tables to themselves.
pub async fn load_listed(db: &Db, county: &str, clock: &Clock) -> Result<(), AppError> {
    let (today, now_ms) = (clock.today(), clock.now_ms());
    let cal = qingfeng_platform::calendar::load(db).await?;
    let actor = Actor::System("demo");
    let uscc = demo_uscc();
    let name = "清丰县演示建材有限公司（演示）";
    let subject = NewSubject {
        county,
        key_hash: SubjectCode::Uscc(&uscc).key(county),
        kind: "legal",
        name,
        uscc: Some(&uscc),
        id_hash: None,
        id_enc: None,
    };
    let subject_id = qingfeng_credit::store::ensure_subject(db, &subject, now_ms).await?;
    let listed_on = (today - chrono::Days::new(20)).to_string();
    let ends_on = (today + chrono::Days::new(365 * 3 - 20)).to_string();
    let entry = NewListEntry {
        county,
        list_kind: "black",
        subject_id,
        basis: "拒不履行行政处罚决定，情节严重（演示数据）",
        authority: "清丰县市场监督管理局（演示）",
        source_ref: "清市监列〔2026〕演示1号",
        listed_on: &listed_on,
        ends_on: Some(&ends_on),
    };
    qingfeng_credit::store::add_list_entry(db, &entry, &actor, now_ms).await?;
    store::sweep(db, &cal, county, today, now_ms).await?;
    Ok(())
}

/// One hand entry (idempotent: once per document number).
pub async fn load_hand(db: &Db, county: &str, today: chrono::NaiveDate, now_ms: i64) -> Result<(), AppError> {
    let actor = Actor::System("demo");
    let decided = (today - chrono::Days::new(10)).to_string();
    let end = (today + chrono::Days::new(170)).to_string();
    let hand = NewEntry {
        county_code: county,
        source_ref: "演示:清人社监罚〔2026〕演示2号",
        subject_id: None,
        subject_name: "清丰县演示劳务服务有限公司（演示）",
        subject_code: "",
        title: "演示劳务公司拖欠农民工工资被处罚（演示）",
        basis: "违法事实：拖欠12名农民工工资（演示数据）\n处罚依据：《保障农民工工资支付条例》\n处理结果：责令限期支付并处罚款（演示）",
        doc_no: "清人社监罚〔2026〕演示2号",
        authority: "清丰县人力资源和社会保障局（演示）",
        decided_on: Some(&decided),
        publicity_end: Some(&end),
        is_demo: true,
    };
    let mut tx = db.begin().await?;
    store::insert(&mut tx, SourceKind::Manual, &hand, &actor, now_ms).await?;
    tx.commit().await?;
    Ok(())
}
