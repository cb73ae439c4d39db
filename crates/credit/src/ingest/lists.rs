//! 名单归集 List files (守信激励对象, 严重失信主体名单, 失信被执行人, 经营异常名录) through
//! the same pipeline as records: read by the same reader (CSV, JSON lines, .xlsx), each
//! row checked ([`crate::rules::kinds::validate_list`]), keyed by the same natural key
//! (source department + document/case number + subject + kind) and stored in batches by
//! [`store::store_list_batch`], which shares the key decision with records. Counts
//! reconcile the same way: `read = stored + updated + duplicate + rejected`.

use qingfeng_platform::AppError;
use qingfeng_platform::db::Tx;
use qingfeng_platform::pii::Pii;

use super::reader::{RawRow, Unreadable};
use super::{Lane, Rejected, Request, check_row, hash64};
use crate::model::ListKind;
use crate::rules::kinds::{ValidListEntry, validate_list};
use crate::rules::validate::Options;
use crate::store::{self, PreparedListEntry};

/// Key a valid list row: subject key, natural key, content hash, encrypted ID.
pub fn prepare(county: &str, line: u64, mut valid: ValidListEntry, pii: &Pii) -> PreparedListEntry {
    let (subject_code, id_hash, id_enc) =
        super::subject_code(valid.uscc.as_deref(), valid.id_number.as_deref(), valid.subject_kind, &valid.subject_name, pii);
    let subject_key = hash64(&[county, &subject_code]);
    let natural_key = super::natural_key(county, valid.list_kind.key(), &valid.source_dept, &valid.source_ref, &subject_code);
    let payload = std::mem::take(&mut valid.payload);
    let ends = valid.ends_on.map(|d| d.to_string()).unwrap_or_default();
    let content_hash = hash64(&[&payload, &valid.basis, &ends]);
    PreparedListEntry { line, valid, subject_key, id_hash, id_enc, natural_key, content_hash, payload }
}

/// 名单条目 Entries of one list, through the one import driver ([`super::run`]).
pub(crate) struct Entries(pub ListKind);

impl Lane for Entries {
    type Item = PreparedListEntry;
    const COLLISION: &'static str =
        "同一名单、同一主体、同一文书号的条目已由其他单位报送（或归集键哈希冲突），未覆盖已有条目，请联系信用办";
    fn prepare(
        &self,
        req: &Request,
        opts: &Options,
        pii: &Pii,
        item: Result<RawRow, Unreadable>,
    ) -> Result<(RawRow, PreparedListEntry), Rejected> {
        let (raw, valid) = check_row(req, item, |v| validate_list(self.0, v, opts), |v: &ValidListEntry| &v.source_dept)?;
        let p = prepare(&req.county_code, raw.line, valid, pii);
        Ok((raw, p))
    }
    fn store<'a>(
        &'a self,
        tx: &'a mut Tx,
        req: &'a Request,
        import_id: i64,
        known: &'a mut store::KnownSubjects,
        batch: &'a [PreparedListEntry],
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<store::BatchOutcome, AppError>> + Send + 'a {
        store::store_list_batch(tx, &req.county_code, import_id, batch, known, &req.actor, now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Collect, CsvRejects, Summary, fields, reader::Format};
    use crate::model::{ImportKind, RecordKind};
    use chrono::NaiveDate;
    use qingfeng_platform::audit::{self, Actor};
    use qingfeng_platform::db::Db;
    use qingfeng_platform::testing;

    fn uscc(prefix2: &str, body8: &str) -> String {
        qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
    }

    fn court() -> String {
        uscc("11", "MB000009")
    }

    fn request(kind: impl Into<ImportKind>, format: Format) -> Request {
        Request {
            county_code: "410922".into(),
            kind: kind.into(),
            source_dept: None,
            file_name: "test".into(),
            format,
            door: "cli",
            actor: Actor::System("test"),
            lenient_uscc: false,
            today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            market_regulation: Default::default(),
            calendar: std::sync::Arc::new(qingfeng_core::HolidayCalendar::builtin()),
            clock: qingfeng_platform::Clock::System,
        }
    }

    /// A CSV of `kind` with Chinese headers; each row given as `(field code, value)`.
    fn csv_text(kind: impl Into<ImportKind> + Copy, rows: &[Vec<(&str, String)>]) -> Vec<u8> {
        let fs = fields::fields(kind);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fs.iter().map(|f| f.zh.as_str())).unwrap();
        for r in rows {
            w.write_record(fs.iter().map(|f| r.iter().find(|(c, _)| *c == f.code).map(|(_, v)| v.as_str()).unwrap_or(""))).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn debtor(case: &str, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        let mut cells: Vec<(&str, String)> = vec![
            ("iname", "张三".into()),
            ("cardNum", "410922195001010013".into()),
            ("caseCode", case.into()),
            ("courtName", "清丰县人民法院".into()),
            ("gistId", "（2025）豫0922民初1号".into()),
            ("gistUnit", "清丰县人民法院".into()),
            ("duty", "给付货款五万元".into()),
            ("performance", "全部未履行".into()),
            ("disruptTypeName", "违反财产报告制度".into()),
            ("regDate", "2026-01-05".into()),
            ("publishDate", "2026-03-01".into()),
            ("source_dept_name", "清丰县人民法院".into()),
            ("source_dept_uscc", court()),
        ];
        for (k, v) in changes {
            cells.retain(|(c, _)| c != k);
            cells.push((k, v.to_string()));
        }
        cells
    }

    async fn import(db: &Db, pii: &Pii, req: &Request, bytes: Vec<u8>) -> (Summary, Vec<Rejected>) {
        let mut sink = Collect { rows: Vec::new(), limit: 1000 };
        let sum = super::super::run(db, pii, req, Box::new(std::io::Cursor::new(bytes)), &mut sink, &mut |_| {}).await.unwrap();
        assert!(sum.reconciles(), "{sum:?}");
        (sum, sink.rows)
    }

    fn pii() -> (Pii, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (Pii::load_or_create("", dir.path()).unwrap(), dir)
    }

    type EntryRow = (String, String, Option<String>, Option<String>, String);

    #[tokio::test]
    async fn dishonest_debtor_files_store_once_correct_and_reconcile() {
        let (pii, _dir) = pii();
        for t in testing::all().await.unwrap() {
            let req = request(ListKind::DishonestDebtor, Format::Csv);
            let rows = vec![
                debtor("（2026）豫0922执1号", &[]),
                debtor("（2026）豫0922执2号", &[("disruptTypeName", "1")]),
                debtor("（2026）豫0922执3号", &[("cardNum", "4109**********0013")]),
                debtor("（2026）豫0922执4号", &[("disruptTypeName", "2"), ("extension_years", "1")]),
            ];
            let (s, rej) = import(&t.db, &pii, &req, csv_text(ListKind::DishonestDebtor, &rows)).await;
            assert_eq!((s.read, s.stored, s.rejected), (4, 3, 1), "{}: {rej:?}", t.name);
            assert_eq!((rej[0].line, rej[0].errors[0].1), (4, "row.code_masked"));
            let got: Vec<EntryRow> = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_as(
                "SELECT source_ref, listed_on, ends_on, removed_on, source_dept FROM credit_list_entries ORDER BY source_ref"
            )
            .fetch_all(p)
            .await)
            .unwrap();
            assert_eq!(got.len(), 3);
            assert_eq!(got[0].2.as_deref(), Some("2028-03-01"), "{}: situation 4 → two years", t.name);
            assert_eq!(got[1].2, None, "situation 1 → until performance");
            assert_eq!(got[2].2.as_deref(), Some("2029-03-01"), "extended by one year");
            assert_eq!(got[0].4, court());
            // The same file again: nothing twice.
            let (s, _) = import(&t.db, &pii, &req, csv_text(ListKind::DishonestDebtor, &rows)).await;
            assert_eq!((s.stored, s.duplicate, s.rejected), (0, 3, 1), "{}", t.name);
            // The debtor performed: the court sends the row again with a removal date.
            let fixed = vec![debtor("（2026）豫0922执1号", &[("performance", "全部履行"), ("removed_on", "2026-06-01")])];
            let (s, _) = import(&t.db, &pii, &req, csv_text(ListKind::DishonestDebtor, &fixed)).await;
            assert_eq!((s.read, s.updated), (1, 1), "{}", t.name);
            let subject: i64 = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar(
                "SELECT subject_id FROM credit_list_entries WHERE source_ref = '（2026）豫0922执1号'"
            )
            .fetch_one(p)
            .await)
            .unwrap();
            let active = store::active_list_entries(&t.db, subject, "2026-07-01").await.unwrap();
            assert_eq!(active.len(), 2, "{}: the removed entry no longer counts", t.name);
            let corrections: Vec<_> =
                audit::recent(&t.db, None, 100, 0).await.unwrap().into_iter().filter(|e| e.action == "credit.list_correct").collect();
            assert_eq!(corrections.len(), 1);
            assert!(corrections[0].detail.contains("全部未履行"), "old version kept: {}", corrections[0].detail);
            assert!(!corrections[0].detail.contains("410922195001010013"), "never the ID in clear");
            // One person, one subject (the check finds them by the ID's keyed hash).
            let (_, subjects) = store::totals(&t.db, "410922").await.unwrap();
            assert_eq!(subjects, 1);
            assert!(audit::verify(&t.db).await.unwrap().is_intact());
        }
    }

    #[tokio::test]
    async fn api_entries_are_taken_over_and_other_departments_collide() {
        let (pii, _dir) = pii();
        for t in testing::all().await.unwrap() {
            let firm = uscc("91", "MA40AB12");
            let dept = uscc("11", "MB000001");
            let key = crate::ingest::SubjectCode::Uscc(&firm).key("410922");
            let subject = store::ensure_subject(
                &t.db,
                &store::NewSubject {
                    county: "410922",
                    key_hash: key,
                    kind: "legal",
                    name: "清丰县鑫源建材有限公司",
                    uscc: Some(&firm),
                    id_hash: None,
                    id_enc: None,
                },
                0,
            )
            .await
            .unwrap();
            let entry = store::NewListEntry {
                county: "410922",
                list_kind: "black",
                subject_id: subject,
                basis: "严重违法失信行为",
                authority: "清丰县市场监督管理局",
                source_ref: "清市监列〔2026〕1号",
                listed_on: "2026-01-10",
                ends_on: None,
            };
            assert!(store::add_list_entry(&t.db, &entry, &Actor::System("test"), 0).await.unwrap());
            let row = |d: &str| -> Vec<(&'static str, String)> {
                vec![
                    ("subject_name", "清丰县鑫源建材有限公司".into()),
                    ("subject_kind", "法人及非法人组织".into()),
                    ("uscc", firm.clone()),
                    ("basis", "严重违法失信行为".into()),
                    ("authority", "清丰县市场监督管理局".into()),
                    ("source_ref", "清市监列〔2026〕1号".into()),
                    ("listed_on", "2026-01-10".into()),
                    ("ends_on", "2029-01-10".into()),
                    ("source_dept_name", "x".into()),
                    ("source_dept_uscc", d.into()),
                ]
            };
            let req = request(ListKind::Black, Format::Csv);
            let (s, rej) = import(&t.db, &pii, &req, csv_text(ListKind::Black, &[row(&dept)])).await;
            assert_eq!((s.stored, s.updated, s.rejected), (0, 1, 0), "{}: the API entry is taken over: {rej:?}", t.name);
            let other = uscc("11", "MB000002");
            let (s, rej) = import(&t.db, &pii, &req, csv_text(ListKind::Black, &[row(&other)])).await;
            assert_eq!((s.stored, s.rejected), (0, 1), "{}", t.name);
            assert_eq!(rej[0].errors[0].1, "row.key_collision");
            let n: i64 =
                qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM credit_list_entries").fetch_one(p).await)
                    .unwrap();
            assert_eq!(n, 1);
            // Department staff send only their own rows.
            let mut req = request(ListKind::Black, Format::Csv);
            req.source_dept = Some(other.clone());
            let (s, rej) = import(&t.db, &pii, &req, csv_text(ListKind::Black, &[row(&dept)])).await;
            assert_eq!((s.rejected, rej[0].errors[0].1), (1, "row.source_dept"));
        }
    }

    #[tokio::test]
    async fn commitments_and_tax_ratings_become_records_with_their_catalog_polarity() {
        let (pii, _dir) = pii();
        for t in testing::all().await.unwrap() {
            let firm = uscc("91", "MA40AB12");
            let tax = uscc("11", "MB000003");
            let rows = vec![
                vec![
                    ("taxpayer_name", "清丰县鑫源建材有限公司".to_string()),
                    ("taxpayer_id", firm.clone()),
                    ("evaluation_year", "2025".into()),
                    ("evaluation_result", "A".into()),
                    ("evaluating_unit", "国家税务总局清丰县税务局".into()),
                    ("evaluating_unit_uscc", tax.clone()),
                    ("published_date", "2026-04-20".into()),
                    ("source_dept_name", "国家税务总局清丰县税务局".into()),
                    ("source_dept_uscc", tax.clone()),
                ],
                vec![("taxpayer_name", "坏行".to_string()), ("evaluation_result", "B".into())],
            ];
            let (s, rej) = import(&t.db, &pii, &request(RecordKind::TaxA, Format::Csv), csv_text(RecordKind::TaxA, &rows)).await;
            assert_eq!((s.stored, s.rejected), (1, 1), "{}: {rej:?}", t.name);
            let commitment = vec![vec![
                ("subject_name", "清丰县鑫源建材有限公司".to_string()),
                ("subject_kind", "法人及非法人组织".into()),
                ("uscc", firm.clone()),
                ("commitment_type", "审批替代型".into()),
                ("commitment_code", "CN2026001".into()),
                ("commitment_date", "2026/05/01".into()),
                ("accepting_unit", "清丰县行政审批和政务信息管理局".into()),
                ("accepting_unit_uscc", tax.clone()),
                ("content", "按期补齐材料".into()),
                ("performance_status", "全部履行".into()),
                ("source_dept_name", "清丰县行政审批和政务信息管理局".into()),
                ("source_dept_uscc", tax.clone()),
            ]];
            let req = request(RecordKind::Commitment, Format::Csv);
            let (s, _) = import(&t.db, &pii, &req, csv_text(RecordKind::Commitment, &commitment)).await;
            assert_eq!(s.stored, 1, "{}", t.name);
            let (s, _) = import(&t.db, &pii, &req, csv_text(RecordKind::Commitment, &commitment)).await;
            assert_eq!(s.duplicate, 1, "{}", t.name);
            let got: Vec<(String, String, String, bool, Option<String>)> = qingfeng_platform::on_db!(&t.db, |p| sqlx::query_as(
                "SELECT kind, polarity, doc_no, published, publicity_max_end FROM credit_records ORDER BY kind"
            )
            .fetch_all(p)
            .await)
            .unwrap();
            assert_eq!(got[0], ("commitment".into(), "neutral".into(), "CN2026001".into(), true, None), "{}", t.name);
            assert_eq!(got[1], ("tax_a".into(), "positive".into(), "2025年度".into(), true, None), "{}", t.name);
            let (_, subjects) = store::totals(&t.db, "410922").await.unwrap();
            assert_eq!(subjects, 1, "one enterprise across kinds");
        }
    }

    #[tokio::test]
    async fn an_xlsx_list_file_with_a_bad_row_writes_csv_rejects() {
        use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
        let (pii, _dir) = pii();
        let t = testing::sqlite().await.unwrap();
        let kind = ListKind::DishonestDebtor;
        let fs = fields::fields(kind);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, f) in fs.iter().enumerate() {
            ws.write_string(0, c as u16, &f.code).unwrap();
        }
        let date_fmt = CellFormat::new().set_num_format("yyyy-mm-dd");
        for (r, case) in [(1u32, "（2026）豫0922执7号"), (2, "（2026）豫0922执8号")] {
            for (code, value) in debtor(case, &[]) {
                let c = fields::index_of(kind, code).unwrap() as u16;
                match code {
                    "publishDate" => ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(2026, 3, 1).unwrap(), &date_fmt),
                    "regDate" => ws.write_number(r, c, 46027.0), // serial of 2026-01-05
                    _ => ws.write_string(r, c, &value),
                }
                .unwrap();
            }
        }
        ws.write_string(2, fields::index_of(kind, "disruptTypeName").unwrap() as u16, "欠钱不还").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let mut out = CsvRejects(csv::Writer::from_writer(Vec::new()));
        // Sent as "CSV": the ZIP magic bytes make it a workbook.
        let sum = super::super::run(&t.db, &pii, &request(kind, Format::Csv), Box::new(std::io::Cursor::new(bytes)), &mut out, &mut |_| {})
            .await
            .unwrap();
        assert_eq!((sum.read, sum.stored, sum.rejected, sum.encoding.as_str()), (2, 1, 1, "xlsx"));
        let ends: Option<String> =
            qingfeng_platform::on_db!(&t.db, |p| sqlx::query_scalar("SELECT ends_on FROM credit_list_entries").fetch_one(p).await).unwrap();
        assert_eq!(ends.as_deref(), Some("2028-03-01"));
        let written = String::from_utf8(out.0.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), 2, "{written}");
        assert!(lines[0].starts_with("iname,cardNum") && lines[0].ends_with("行号,错误原因"));
        assert!(
            lines[1].contains("2026-01-05") && lines[1].contains(",3,") && lines[1].contains("row.dishonest_situation"),
            "{}",
            lines[1]
        );
        let imports = store::list_imports(&t.db, "410922", None, 1).await.unwrap();
        assert_eq!((imports[0].kind.as_str(), imports[0].format.as_str()), ("dishonest_debtor", "xlsx"));
    }
}
