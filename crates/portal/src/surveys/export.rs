//! 导出 All responses of a survey as an .xlsx workbook: sheet 答卷 (one row per
//! response, one column per question, in question order) and sheet 统计 (the counts,
//! shares and averages the results page shows).

use std::collections::HashMap;

use qingfeng_platform::AppError;

use super::store::ResponseRow;
use super::{AnswerRow, Kind, Question, Results, Survey};

/// The workbook's bytes.
pub fn xlsx(
    survey: &Survey,
    questions: &[Question],
    responses: &[ResponseRow],
    rows: &[AnswerRow],
    results: &Results,
) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook, XlsxError};
    let err = |e: XlsxError| AppError::internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();

    let mut cells: HashMap<(i64, i64), Vec<String>> = HashMap::new();
    let by_id: HashMap<i64, &Question> = questions.iter().map(|q| (q.id, q)).collect();
    for r in rows {
        let Some(q) = by_id.get(&r.question_id) else { continue };
        let text = match q.kind() {
            Kind::Single | Kind::Multiple => {
                r.option_index.and_then(|i| q.option_list().get(i as usize).map(|s| s.to_string())).unwrap_or_default()
            }
            Kind::Rating => r.rating.map(|v| v.to_string()).unwrap_or_default(),
            Kind::Text => r.answer_text.clone().unwrap_or_default(),
        };
        cells.entry((r.response_id, r.question_id)).or_default().push(text);
    }

    let ws = wb.add_worksheet();
    ws.set_name("答卷").map_err(err)?;
    let demo = if survey.is_demo { "（演示数据，合成答卷）" } else { "" };
    ws.write_string_with_format(0, 0, format!("{}{demo}", survey.title), &bold).map_err(err)?;
    let mut headers = vec!["序号".to_string(), "提交时间".to_string(), "演示".to_string()];
    headers.extend(questions.iter().enumerate().map(|(i, q)| format!("{}. {}", i + 1, q.prompt)));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &bold).map_err(err)?;
    }
    for (i, resp) in responses.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_number(r, 0, (i + 1) as f64).map_err(err)?;
        ws.write_string(r, 1, qingfeng_platform::clock::local_display(resp.submitted_at)).map_err(err)?;
        ws.write_string(r, 2, if resp.is_demo { "是" } else { "" }).map_err(err)?;
        for (c, q) in questions.iter().enumerate() {
            let col = c as u16 + 3;
            let Some(values) = cells.get(&(resp.id, q.id)) else { continue };
            if q.kind() == Kind::Rating {
                if let Some(v) = values.first().and_then(|v| v.parse::<f64>().ok()) {
                    ws.write_number(r, col, v).map_err(err)?;
                }
            } else {
                ws.write_string(r, col, values.join("；")).map_err(err)?;
            }
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("统计").map_err(err)?;
    ws.write_string_with_format(0, 0, format!("{}：共 {} 份答卷{demo}", survey.title, results.responses), &bold).map_err(err)?;
    for (c, h) in ["题目", "选项", "人数", "占比", "平均分"].iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold).map_err(err)?;
    }
    let mut r = 2u32;
    for q in &results.questions {
        let lines = if q.kind == Kind::Rating { &q.distribution } else { &q.options };
        ws.write_string(r, 0, &q.prompt).map_err(err)?;
        if q.kind == Kind::Rating {
            ws.write_string(r, 4, &q.average).map_err(err)?;
        }
        if q.kind == Kind::Text {
            ws.write_string(r, 1, "填写人数").map_err(err)?;
            ws.write_number(r, 2, q.answered as f64).map_err(err)?;
            r += 1;
            continue;
        }
        for o in lines {
            ws.write_string(r, 1, &o.label).map_err(err)?;
            ws.write_number(r, 2, o.count as f64).map_err(err)?;
            ws.write_string(r, 3, &o.share).map_err(err)?;
            r += 1;
        }
        if lines.is_empty() {
            r += 1;
        }
    }
    wb.save_to_buffer().map_err(err)
}
