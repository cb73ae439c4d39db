//! SQL of the surveys (`portal_surveys`, `portal_survey_questions`,
//! `portal_survey_responses`, `portal_survey_answers`, migration 0340), both backends.
//! Question changes carry the draft check in their own statement, so a survey published
//! in between cannot have its questions changed.

use qingfeng_platform::db::{Db, Tx, is_unique_violation};
use qingfeng_platform::sql::Arg;
use qingfeng_platform::{AppError, on_db, on_tx};

use super::{Answer, AnswerRow, CheckedQuestion, Identity, Question, Survey};

const SURVEY_COLUMNS: &str =
    "id, county_code, title, intro, state, identity, opens_at, closes_at, results_public, is_demo, created_by, created_at, updated_at";
const QUESTION_COLUMNS: &str = "id, survey_id, position, kind, prompt, required, options, max_picks, max_chars";

/// What staff set on a survey (besides its questions and state).
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub intro: String,
    pub identity: Identity,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub results_public: bool,
}

pub async fn create(tx: &mut Tx, county: &str, m: &Meta, is_demo: bool, by: &str, now_ms: i64) -> Result<i64, sqlx::Error> {
    const SQL: &str = "INSERT INTO portal_surveys (county_code, title, intro, identity, opens_at, closes_at, results_public, is_demo, \
                       created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
    on_tx!(tx, |c| {
        sqlx::query_scalar(SQL)
            .bind(county)
            .bind(&m.title)
            .bind(&m.intro)
            .bind(m.identity.key())
            .bind(m.opens_at)
            .bind(m.closes_at)
            .bind(m.results_public)
            .bind(is_demo)
            .bind(by)
            .bind(now_ms)
            .fetch_one(&mut *c)
            .await
    })
}

/// Change title, introduction, identity and window — in draft only. False when the
/// survey is missing or no longer a draft.
pub async fn update_meta(tx: &mut Tx, id: i64, m: &Meta, now_ms: i64) -> Result<bool, sqlx::Error> {
    let n = tx
        .execute(
            "UPDATE portal_surveys SET title = $1, intro = $2, identity = $3, opens_at = $4, closes_at = $5, results_public = $6, \
             updated_at = $7 WHERE id = $8 AND state = 'draft'",
            &[
                m.title.clone().into(),
                m.intro.clone().into(),
                m.identity.key().into(),
                m.opens_at.into(),
                m.closes_at.into(),
                m.results_public.into(),
                now_ms.into(),
                id.into(),
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Publish the results or withdraw them (in any state).
pub async fn set_results_public(tx: &mut Tx, id: i64, public: bool, now_ms: i64) -> Result<bool, sqlx::Error> {
    let n = tx
        .execute("UPDATE portal_surveys SET results_public = $1, updated_at = $2 WHERE id = $3", &[public.into(), now_ms.into(), id.into()])
        .await?;
    Ok(n == 1)
}

pub async fn get(db: &Db, county: &str, id: i64) -> Result<Option<Survey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM portal_surveys WHERE id = $1 AND county_code = $2");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(county).fetch_optional(p).await)?)
}

/// Every survey of the county, newest first (staff).
pub async fn list(db: &Db, county: &str) -> Result<Vec<Survey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM portal_surveys WHERE county_code = $1 ORDER BY id DESC");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(county).fetch_all(p).await)?)
}

/// The surveys the public sees (published or closed), newest first.
pub async fn list_public(db: &Db, county: &str) -> Result<Vec<Survey>, AppError> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM portal_surveys WHERE county_code = $1 AND state <> 'draft' ORDER BY id DESC");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(county).fetch_all(p).await)?)
}

pub async fn questions(db: &Db, survey_id: i64) -> Result<Vec<Question>, AppError> {
    let sql = format!("SELECT {QUESTION_COLUMNS} FROM portal_survey_questions WHERE survey_id = $1 ORDER BY position, id");
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(survey_id).fetch_all(p).await)?)
}

pub async fn question_count(tx: &mut Tx, survey_id: i64) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM portal_survey_questions WHERE survey_id = $1")
        .bind(survey_id)
        .fetch_one(&mut *c)
        .await)
}

/// Add a question at the end — in draft only. `None` when the survey is not a draft.
pub async fn add_question(tx: &mut Tx, survey_id: i64, q: &CheckedQuestion) -> Result<Option<i64>, sqlx::Error> {
    const SQL: &str = "INSERT INTO portal_survey_questions (survey_id, position, kind, prompt, required, options, max_picks, max_chars) \
                       SELECT $1, COALESCE((SELECT MAX(position) FROM portal_survey_questions WHERE survey_id = $1), 0) + 1, \
                       $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM portal_surveys WHERE id = $1 AND state = 'draft') RETURNING id";
    on_tx!(tx, |c| {
        sqlx::query_scalar(SQL)
            .bind(survey_id)
            .bind(q.kind.key())
            .bind(&q.prompt)
            .bind(q.required)
            .bind(q.options.join("\n"))
            .bind(q.max_picks)
            .bind(q.max_chars)
            .fetch_optional(&mut *c)
            .await
    })
}

/// Remove a question — in draft only (a draft has no responses).
pub async fn delete_question(tx: &mut Tx, survey_id: i64, question_id: i64) -> Result<bool, sqlx::Error> {
    let n = tx
        .execute(
            "DELETE FROM portal_survey_questions WHERE id = $1 AND survey_id = $2 \
             AND EXISTS (SELECT 1 FROM portal_surveys WHERE id = $2 AND state = 'draft')",
            &[question_id.into(), survey_id.into()],
        )
        .await?;
    Ok(n == 1)
}

/// Swap a question with its neighbour above (`up`) or below — in draft only. False
/// when there is no such neighbour or the survey is not a draft.
pub async fn move_question(tx: &mut Tx, survey_id: i64, question_id: i64, up: bool) -> Result<bool, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Pos {
        id: i64,
        position: i64,
    }
    let rows: Vec<Pos> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT q.id, q.position FROM portal_survey_questions q JOIN portal_surveys s ON s.id = q.survey_id \
         WHERE q.survey_id = $1 AND s.state = 'draft' ORDER BY q.position, q.id"
    )
    .bind(survey_id)
    .fetch_all(&mut *c)
    .await)?;
    let Some(at) = rows.iter().position(|r| r.id == question_id) else { return Ok(false) };
    let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|i| *i < rows.len()) };
    let Some(other) = other else { return Ok(false) };
    // Positions are renumbered 1.. in the current order, then the two swapped.
    for (i, r) in rows.iter().enumerate() {
        let pos = if i == at {
            other as i64 + 1
        } else if i == other {
            at as i64 + 1
        } else {
            i as i64 + 1
        };
        if pos != r.position {
            tx.execute("UPDATE portal_survey_questions SET position = $1 WHERE id = $2", &[pos.into(), r.id.into()]).await?;
        }
    }
    Ok(true)
}

/// Store one response with its answers. `Ok(None)` when this respondent already answered.
pub async fn insert_response(
    tx: &mut Tx,
    survey_id: i64,
    respondent_key: &str,
    answers: &[Answer],
    is_demo: bool,
    now_ms: i64,
) -> Result<Option<i64>, sqlx::Error> {
    const SQL: &str = "INSERT INTO portal_survey_responses (survey_id, respondent_key, submitted_at, is_demo) VALUES ($1, $2, $3, $4) \
                       RETURNING id";
    let inserted: Result<i64, sqlx::Error> =
        on_tx!(tx, |c| sqlx::query_scalar(SQL).bind(survey_id).bind(respondent_key).bind(now_ms).bind(is_demo).fetch_one(&mut *c).await);
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    for a in answers {
        let rows: Vec<[Arg; 3]> = match a {
            Answer::Choices { picks, .. } => picks.iter().map(|p| [Arg::from(*p), Arg::NullInt, Arg::NullText]).collect(),
            Answer::Rating { rating, .. } => vec![[Arg::NullInt, Arg::from(*rating), Arg::NullText]],
            Answer::Text { text, .. } => vec![[Arg::NullInt, Arg::NullInt, Arg::from(text.clone())]],
        };
        let qid = match a {
            Answer::Choices { question_id, .. } | Answer::Rating { question_id, .. } | Answer::Text { question_id, .. } => *question_id,
        };
        for [o, r, t] in rows {
            tx.execute(
                "INSERT INTO portal_survey_answers (response_id, question_id, option_index, rating, answer_text) VALUES ($1, $2, $3, $4, $5)",
                &[id.into(), qid.into(), o, r, t],
            )
            .await?;
        }
    }
    Ok(Some(id))
}

/// Has this respondent answered the survey?
pub async fn has_answered(db: &Db, survey_id: i64, respondent_key: &str) -> Result<bool, AppError> {
    let n: i64 =
        on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM portal_survey_responses WHERE survey_id = $1 AND respondent_key = $2")
            .bind(survey_id)
            .bind(respondent_key)
            .fetch_one(p)
            .await)?;
    Ok(n > 0)
}

/// A response as listed in the export.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResponseRow {
    pub id: i64,
    pub submitted_at: i64,
    pub is_demo: bool,
}

pub async fn responses(db: &Db, survey_id: i64) -> Result<Vec<ResponseRow>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as(
        "SELECT id, submitted_at, is_demo FROM portal_survey_responses WHERE survey_id = $1 ORDER BY submitted_at, id"
    )
    .bind(survey_id)
    .fetch_all(p)
    .await)?)
}

/// Every answer row of a survey, in response order.
pub async fn answer_rows(db: &Db, survey_id: i64) -> Result<Vec<AnswerRow>, AppError> {
    Ok(on_db!(db, |p| sqlx::query_as(
        "SELECT a.response_id, a.question_id, a.option_index, a.rating, a.answer_text FROM portal_survey_answers a \
         JOIN portal_survey_responses r ON r.id = a.response_id WHERE r.survey_id = $1 ORDER BY r.submitted_at, r.id, a.option_index"
    )
    .bind(survey_id)
    .fetch_all(p)
    .await)?)
}

/// How many surveys marked demo the county has.
pub async fn demo_count(db: &Db, county: &str) -> Result<i64, AppError> {
    Ok(on_db!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM portal_surveys WHERE county_code = $1 AND is_demo")
        .bind(county)
        .fetch_one(p)
        .await)?)
}
