//! 合成数据 Synthetic 双公示 records (行政许可 XK / 行政处罚 CF) for the demo data and the
//! ingest benchmark. **演示/测试数据 — never official**: every row carries `备注 = 合成演示数据`.
//!
//! What is real: the county (清丰县 410922), its 17 townships and 503 villages (NBS 2023),
//! the county departments' names, the names of the laws cited. What is made up: every
//! subject, every name, every code and every decision. Codes are *valid* synthetic codes:
//!
//! * enterprises: `91`/`92`/`93` + `410922` + `MA` + 6 characters + GB 11714 check + GB 32100
//!   check (unique per subject by construction);
//! * natural persons: `410922` + a real birth date 1940–2005 + sequence + GB 11643 check
//!   (unique per subject by construction). They may coincide with a real person's number,
//!   which is why the output must stay marked as synthetic;
//! * departments: category `11` codes built exactly like `qingfeng::demo::synthetic_uscc`
//!   (body `MA` + `100000 + serial`, serial = the department's position in the demo list),
//!   so generated records point at the demo organisations.
//!
//! Subjects are a pool of [`GenOptions::subjects`] entries derived from `(seed, index)` by
//! hashing, so the pool costs no memory and the same seed gives the same subjects in the XK
//! and the CF file (a subject has both permits and penalties). Rows stream: memory stays
//! flat for any `records`. Document numbers embed a per-department, per-year serial, so
//! every row's natural key (department USCC + 文书号 + subject code + kind) is unique.
//!
//! A share [`GenOptions::bad_share`] of rows carries exactly one deliberate defect
//! ([`Defect`]): wrong USCC or ID check character, missing 行政相对人名称 or 文书号, an
//! unparseable date, 有效期至 before 有效期自 (XK), a negative or malformed amount (CF), or an
//! unknown 许可类别 / 处罚类别.

use std::io::{self, Write};

use qingfeng_core::{gb11714_check_char, id_check_char, uscc_check_char};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Which 双公示 dataset to generate: the record kinds of the model.
pub use crate::model::RecordKind as GenKind;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenOptions {
    pub kind: GenKind,
    /// Number of data rows.
    pub records: u64,
    /// Share (0.0–1.0) of rows with one deliberate defect.
    pub bad_share: f64,
    /// Same seed, same output (and the same subject pool for XK and CF).
    pub seed: u64,
    /// Share (0.0–1.0) of natural persons in the subject pool, e.g. 0.3.
    pub person_share: f64,
    /// Size of the subject pool; subjects recur about `records / subjects` times.
    /// `0` means `records / 20` (the seed's "人均20条"), at least 1.
    pub subjects: u64,
}

impl GenOptions {
    /// `records` rows of `kind`, no defects, seed 0, 30 % natural persons, `records / 20`
    /// subjects.
    pub fn new(kind: GenKind, records: u64) -> Self {
        GenOptions { kind, records, bad_share: 0.0, seed: 0, person_share: 0.3, subjects: 0 }
    }

    fn subject_pool(&self) -> u64 {
        if self.subjects == 0 { (self.records / 20).max(1) } else { self.subjects }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Data rows (header not counted).
    pub rows: u64,
    /// Rows with a deliberate defect.
    pub bad_rows: u64,
    /// Distinct natural keys among the good rows (= `rows - bad_rows`: no duplicates).
    pub distinct_keys: u64,
}

/// The deliberate defects, one per bad row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// 统一社会信用代码 with a wrong 18th (check) character (legal-entity subjects).
    UsccCheck,
    /// 证件号码 with a wrong check character (natural-person subjects).
    IdCheck,
    /// Empty 行政相对人名称.
    MissingName,
    /// Empty 文书号 (and, for XK, empty 许可编号 too, which could stand in for it).
    MissingDocNo,
    /// Unparseable 许可决定日期 / 处罚决定日期 (`2024/13/45`, `yesterday`…).
    BadDate,
    /// XK: 有效期至 before 有效期自.
    ValidityOrder,
    /// CF: 罚款金额 negative, with 7 decimals, or not a number.
    BadAmount,
    /// 许可类别 / 处罚类别 outside the standard's list.
    UnknownCategory,
}

/// The standard's columns of `kind` as `(field_code, column_zh)`, in `seq` order
/// (`crates/credit/data/shuanggongshi_fields.csv`).
pub fn columns(kind: GenKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        GenKind::Xk => &XK_COLUMNS,
        GenKind::Cf => &CF_COLUMNS,
        // The generator writes 双公示 files only (checked in `Gen::new`).
        GenKind::Commitment | GenKind::TaxA => &[],
    }
}

/// The county departments the records come from, `(name, synthetic USCC)`.
pub fn departments() -> Vec<(String, String)> {
    DEPTS.iter().map(|d| (d.name.to_string(), dept_uscc(d.demo_serial))).collect()
}

/// Writes a header of the Chinese column names and `opts.records` rows as UTF-8 CSV
/// (no BOM, `\n` line ends, RFC 4180 quoting only where a field needs it — as
/// `csv::Writer` with its defaults, but about twice as fast).
pub fn write_csv<W: Write>(out: W, opts: &GenOptions) -> io::Result<GenStats> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut line: Vec<u8> = Vec::with_capacity(2048);
    push_csv_record(&mut line, columns(opts.kind).iter().map(|c| c.1));
    out.write_all(&line)?;
    let stats = generate(opts, |row| {
        line.clear();
        push_csv_record(&mut line, row.iter().map(String::as_str));
        out.write_all(&line)
    })?;
    out.flush()?;
    Ok(stats)
}

/// Appends one CSV record and its `\n`.
fn push_csv_record<'a>(line: &mut Vec<u8>, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            line.push(b',');
        }
        let bytes = field.as_bytes();
        // No early exit, so the scan vectorises.
        let special = bytes.iter().fold(false, |acc, &b| acc | matches!(b, b',' | b'"' | b'\n' | b'\r'));
        if special {
            line.push(b'"');
            for &b in bytes {
                if b == b'"' {
                    line.push(b'"');
                }
                line.push(b);
            }
            line.push(b'"');
        } else {
            line.extend_from_slice(bytes);
        }
    }
    line.push(b'\n');
}

/// Writes the same rows as [`write_csv`] as JSON lines keyed by field code
/// (`{"CF_XDR_MC":"…",…}`), every field present (empty ones as `""`).
pub fn write_jsonl<W: Write>(out: W, opts: &GenOptions) -> io::Result<GenStats> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let cols = columns(opts.kind);
    let mut line: Vec<u8> = Vec::with_capacity(2048);
    let stats = generate(opts, |row| {
        line.clear();
        line.push(b'{');
        for (i, (col, value)) in cols.iter().zip(row).enumerate() {
            if i > 0 {
                line.push(b',');
            }
            push_json_str(&mut line, col.0);
            line.push(b':');
            push_json_str(&mut line, value);
        }
        line.extend_from_slice(b"}\n");
        out.write_all(&line)
    })?;
    out.flush()?;
    Ok(stats)
}

/// Runs the generator, handing each row (ordered as [`columns`]) to `sink`.
fn generate(opts: &GenOptions, mut sink: impl FnMut(&[String]) -> io::Result<()>) -> io::Result<GenStats> {
    let mut g = Gen::new(opts)?;
    let mut stats = GenStats::default();
    for _ in 0..opts.records {
        let defect = g.row();
        sink(&g.f)?;
        stats.rows += 1;
        if defect.is_some() {
            stats.bad_rows += 1;
        }
    }
    stats.distinct_keys = stats.rows - stats.bad_rows;
    Ok(stats)
}

// ---------------------------------------------------------------------------------------
// Columns

const XK_COLUMNS: [(&str, &str); 28] = [
    ("XK_XDR_MC", "行政相对人名称"),
    ("XK_XDR_LB", "行政相对人类别"),
    ("XK_XDR_SHXYM", "行政相对人代码_1(统一社会信用代码)"),
    ("XK_XDR_GSZC", "行政相对人代码_2(工商注册号)"),
    ("XK_XDR_ZZJG", "行政相对人代码_3(组织机构代码)"),
    ("XK_XDR_SWDJ", "行政相对人代码_4(税务登记号)"),
    ("XK_XDR_SYDW", "行政相对人代码_5(事业单位证书号)"),
    ("XK_XDR_SHZZ", "行政相对人代码_6(社会组织登记证号)"),
    ("XK_FRDB", "法定代表人"),
    ("XK_FR_ZJLX", "法定代表人证件类型"),
    ("XK_FR_ZJHM", "法定代表人证件号码"),
    ("XK_XDR_ZJLX", "证件类型"),
    ("XK_XDR_ZJHM", "证件号码"),
    ("XK_XKWS", "行政许可决定文书名称"),
    ("XK_WSH", "行政许可决定文书号"),
    ("XK_XKLB", "许可类别"),
    ("XK_XKZS", "许可证书名称"),
    ("XK_XKBH", "许可编号"),
    ("XK_NR", "许可内容"),
    ("XK_JDRQ", "许可决定日期"),
    ("XK_YXQZ", "有效期自"),
    ("XK_YXQZI", "有效期至"),
    ("XK_XKJG", "许可机关"),
    ("XK_XKJGDM", "许可机关统一社会信用代码"),
    ("XK_ZT", "当前状态"),
    ("XK_LYDW", "数据来源单位"),
    ("XK_LYDWDM", "数据来源单位统一社会信用代码"),
    ("BZ", "备注"),
];

const CF_COLUMNS: [(&str, &str); 30] = [
    ("CF_XDR_MC", "行政相对人名称"),
    ("CF_XDR_LB", "行政相对人类别"),
    ("CF_XDR_SHXYM", "行政相对人代码_1(统一社会信用代码)"),
    ("CF_XDR_GSZC", "行政相对人代码_2(工商注册号)"),
    ("CF_XDR_ZZJG", "行政相对人代码_3(组织机构代码)"),
    ("CF_XDR_SWDJ", "行政相对人代码_4(税务登记号)"),
    ("CF_XDR_SYDW", "行政相对人代码_5(事业单位证书号)"),
    ("CF_XDR_SHZZ", "行政相对人代码_6(社会组织登记证号)"),
    ("CF_FRDB", "法定代表人"),
    ("CF_FR_ZJLX", "法定代表人证件类型"),
    ("CF_FR_ZJHM", "法定代表人证件号码"),
    ("CF_XDR_ZJLX", "证件类型"),
    ("CF_XDR_ZJHM", "证件号码"),
    ("CF_WSH", "行政处罚决定书文号"),
    ("CF_WFXW", "违法行为类型"),
    ("CF_SY", "违法事实"),
    ("CF_YJ", "处罚依据"),
    ("CF_CFLB", "处罚类别"),
    ("CF_NR", "处罚内容"),
    ("CF_NR_FK", "罚款金额(万元)"),
    ("CF_NR_WFFF", "没收违法所得、没收非法财物的金额(万元)"),
    ("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
    ("CF_JDRQ", "处罚决定日期"),
    ("CF_YXQ", "处罚有效期"),
    ("CF_GSJZQ", "公示截止期"),
    ("CF_CFJG", "处罚机关"),
    ("CF_CFJGDM", "处罚机关统一社会信用代码"),
    ("CF_SJLY", "数据来源单位"),
    ("CF_SJLYDM", "数据来源单位统一社会信用代码"),
    ("BZ", "备注"),
];

// Subject block, shared by XK and CF.
const MC: usize = 0;
const LB: usize = 1;
const SHXYM: usize = 2;
const FRDB: usize = 8;
const ZJLX: usize = 11;
const ZJHM: usize = 12;
// XK.
const XK_XKWS: usize = 13;
const XK_WSH: usize = 14;
const XK_XKLB: usize = 15;
const XK_XKZS: usize = 16;
const XK_XKBH: usize = 17;
const XK_NR: usize = 18;
const XK_JDRQ: usize = 19;
const XK_YXQZ: usize = 20;
const XK_YXQZI: usize = 21;
const XK_XKJG: usize = 22;
const XK_XKJGDM: usize = 23;
const XK_ZT: usize = 24;
const XK_LYDW: usize = 25;
const XK_LYDWDM: usize = 26;
const XK_BZ: usize = 27;
// CF.
const CF_WSH: usize = 13;
const CF_WFXW: usize = 14;
const CF_SY: usize = 15;
const CF_YJ: usize = 16;
const CF_CFLB: usize = 17;
const CF_NR: usize = 18;
const CF_FK: usize = 19;
const CF_WFFF: usize = 20;
const CF_ZKDX: usize = 21;
const CF_JDRQ: usize = 22;
const CF_YXQ: usize = 23;
const CF_CFJG: usize = 25;
const CF_CFJGDM: usize = 26;
const CF_SJLY: usize = 27;
const CF_SJLYDM: usize = 28;
const CF_BZ: usize = 29;

const SYNTHETIC_NOTE: &str = "合成演示数据";

// ---------------------------------------------------------------------------------------
// Reference data

const COUNTY: &str = "410922";

/// GB 32100 character set (value = index).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The 17 township-level units of 清丰县 (NBS 2023), in code order.
const TOWNS: [&str; 17] = [
    "城关镇",
    "马庄桥镇",
    "瓦屋头镇",
    "仙庄镇",
    "柳格镇",
    "韩村镇",
    "固城镇",
    "阳邵镇",
    "六塔乡",
    "巩营乡",
    "马村乡",
    "高堡乡",
    "古城乡",
    "大流乡",
    "大屯乡",
    "双庙乡",
    "纸房乡",
];

const VILLAGES_CSV: &str = include_str!("../../platform/data/qingfeng_villages_2023.csv");

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "郭", "马", "何", "林", "罗", "梁", "宋",
    "郑", "谢", "韩", "唐", "冯", "于", "董", "程", "曹", "袁", "邓", "许", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁",
    "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭", "邹", "金", "陆",
    "郝", "孔", "白", "崔", "康", "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "段", "雷", "常", "武", "乔", "贺", "申", "翟",
    "岳",
];

const GIVEN_MALE: &[&str] = &[
    "建", "国", "军", "伟", "强", "磊", "勇", "明", "涛", "超", "杰", "鹏", "华", "峰", "刚", "辉", "斌", "波", "亮", "志", "新", "海",
    "平", "东", "林", "文", "春", "保", "振", "永", "庆", "福", "来", "顺", "金", "山", "胜", "利", "德", "俊", "浩", "宇", "博", "轩",
    "晨", "民", "忠", "宏", "卫", "红",
];

const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "霞", "燕", "玲", "桂", "英", "兰", "秀", "琴", "红", "梅", "萍", "洁", "婷", "雪", "慧", "颖",
    "倩", "欣", "怡", "佳", "悦", "梦", "雨", "晓", "淑", "凤", "翠", "荣", "爱", "云", "香", "月", "花", "娟",
];

const TRADE1: [&str; 40] = [
    "鑫", "宏", "恒", "瑞", "金", "华", "盛", "永", "天", "富", "兴", "鼎", "利", "嘉", "润", "佳", "福", "聚", "众", "昌", "安", "德",
    "汇", "祥", "同", "绿", "新", "伟", "顺", "博", "中", "凯", "诚", "泰", "邦", "丰", "益", "旭", "通", "明",
];

const TRADE2: [&str; 40] = [
    "源", "达", "泰", "丰", "诺", "宇", "信", "成", "民", "旺", "盛", "和", "泽", "美", "鑫", "诚", "昌", "通", "祥", "兴", "发", "康",
    "隆", "辉", "锦", "越", "晟", "力", "程", "远", "宏", "创", "业", "瑞", "阳", "亿", "顺", "邦", "凯", "利",
];

const INDUSTRIES: [&str; 36] = [
    "建材",
    "农业",
    "商贸",
    "食品",
    "家具",
    "物流",
    "机械",
    "电子",
    "化工",
    "纺织",
    "服装",
    "建筑工程",
    "农业科技",
    "生物科技",
    "餐饮管理",
    "房地产开发",
    "新能源",
    "木业",
    "包装",
    "汽车销售",
    "五金",
    "农牧",
    "种业",
    "环保科技",
    "实业",
    "电气",
    "装饰工程",
    "运输",
    "酒业",
    "印刷",
    "鞋业",
    "医药",
    "养殖",
    "冷链",
    "信息技术",
    "劳务",
];

const SHOPS: &[&str] = &[
    "饭店",
    "超市",
    "五金店",
    "农资店",
    "理发店",
    "小吃部",
    "烟酒店",
    "便利店",
    "建材门市部",
    "家电维修部",
    "羊肉汤馆",
    "副食店",
    "服装店",
    "手机店",
    "烧鸡店",
    "蔬菜批发部",
    "粮油店",
    "养殖场",
    "汽修部",
    "电动车行",
    "废品收购站",
    "门窗加工部",
    "面粉加工坊",
    "熟食店",
    "水果店",
    "烩面馆",
    "早餐店",
    "诊所",
    "美发店",
    "快递服务站",
];

const COOP_ITEMS: &[&str] = &[
    "蔬菜种植",
    "食用菌种植",
    "小麦种植",
    "玉米种植",
    "红薯种植",
    "中药材种植",
    "花卉苗木种植",
    "果蔬种植",
    "西瓜种植",
    "大蒜种植",
    "生猪养殖",
    "肉牛养殖",
    "蛋鸡养殖",
    "肉羊养殖",
    "水产养殖",
    "农机",
    "植保",
    "粮食种植",
    "林果种植",
    "农民",
];

/// How a department numbers its documents.
#[derive(Clone, Copy)]
enum DocStyle {
    /// `清市监罚〔2024〕56号`
    Plain,
    /// `清应急罚字〔2024〕第56号`
    Zi,
}

struct Dept {
    name: &'static str,
    /// Position (1-based) in the demo organisations of `qingfeng::demo` — the serial its
    /// synthetic USCC is built from.
    demo_serial: u32,
    xk_prefix: &'static str,
    cf_prefix: &'static str,
    style: DocStyle,
}

const D_SCJG: usize = 0;
const D_HB: usize = 1;
const D_YJ: usize = 2;
const D_JT: usize = 3;
const D_ZJ: usize = 4;
const D_WJ: usize = 5;
const D_SW: usize = 6;
const D_CG: usize = 7;
const D_NY: usize = 8;
const D_SP: usize = 9;
const D_ZR: usize = 10;
const D_SL: usize = 11;

const DEPTS: [Dept; 12] = [
    Dept {
        name: "清丰县市场监督管理局", demo_serial: 20, xk_prefix: "清市监许", cf_prefix: "清市监罚", style: DocStyle::Plain
    },
    Dept {
        name: "濮阳市生态环境局清丰分局", demo_serial: 26, xk_prefix: "濮环清许", cf_prefix: "濮环清罚", style: DocStyle::Zi
    },
    Dept { name: "清丰县应急管理局", demo_serial: 18, xk_prefix: "清应急许", cf_prefix: "清应急罚", style: DocStyle::Zi },
    Dept { name: "清丰县交通运输局", demo_serial: 11, xk_prefix: "清交许", cf_prefix: "清交罚", style: DocStyle::Plain },
    Dept {
        name: "清丰县住房和城乡建设局", demo_serial: 10, xk_prefix: "清建许", cf_prefix: "清建罚", style: DocStyle::Plain
    },
    Dept { name: "清丰县卫生健康委员会", demo_serial: 16, xk_prefix: "清卫许", cf_prefix: "清卫罚", style: DocStyle::Zi },
    Dept {
        name: "国家税务总局清丰县税务局", demo_serial: 25, xk_prefix: "清税许", cf_prefix: "清税简罚", style: DocStyle::Plain
    },
    Dept {
        name: "清丰县城市管理局", demo_serial: 23, xk_prefix: "清城管许", cf_prefix: "清城管罚", style: DocStyle::Plain
    },
    Dept { name: "清丰县农业农村局", demo_serial: 13, xk_prefix: "清农许", cf_prefix: "清农罚", style: DocStyle::Zi },
    Dept {
        name: "清丰县行政审批和政务信息管理局", demo_serial: 24, xk_prefix: "清审批许", cf_prefix: "清审批罚", style: DocStyle::Plain
    },
    Dept {
        name: "清丰县自然资源局", demo_serial: 9, xk_prefix: "清自然资许", cf_prefix: "清自然资罚", style: DocStyle::Plain
    },
    Dept { name: "清丰县水利局", demo_serial: 12, xk_prefix: "清水许", cf_prefix: "清水罚", style: DocStyle::Plain },
];

/// A department's synthetic USCC: `11` (机构编制 / 机关) + 410922 + `MA` + `100000 + serial`.
fn dept_uscc(serial: u32) -> String {
    let mut s = String::with_capacity(18);
    s.push_str("11");
    s.push_str(COUNTY);
    s.push_str("MA");
    push_num(&mut s, 100_000 + u64::from(serial), 6);
    finish_uscc(&mut s);
    s
}

/// Appends the GB 11714 and GB 32100 check characters to a 16-character USCC prefix.
fn finish_uscc(s: &mut String) {
    let org = gb11714_check_char(s.get(8..16).unwrap_or_default()).unwrap_or('0');
    s.push(org);
    let check = uscc_check_char(s.get(..17).unwrap_or_default()).unwrap_or('0');
    s.push(check);
}

// Subject kinds as bits, for the templates' `who`.
const ENT: u8 = 1;
const IND: u8 = 2;
const COOP: u8 = 4;
const PERSON: u8 = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sk {
    /// 91 企业
    Ent,
    /// 92 个体工商户
    Ind,
    /// 93 农民专业合作社
    Coop,
    /// 自然人
    Person,
}

impl Sk {
    const ALL: [Sk; 4] = [Sk::Ent, Sk::Ind, Sk::Coop, Sk::Person];
    fn bit(self) -> u8 {
        match self {
            Sk::Ent => ENT,
            Sk::Ind => IND,
            Sk::Coop => COOP,
            Sk::Person => PERSON,
        }
    }
    fn idx(self) -> usize {
        match self {
            Sk::Ent => 0,
            Sk::Ind => 1,
            Sk::Coop => 2,
            Sk::Person => 3,
        }
    }
}

/// How a permit's 许可编号 is made.
#[derive(Clone, Copy)]
enum Bh {
    /// prefix + n random digits + suffix
    Pre(&'static str, u8, &'static str),
    /// the subject's USCC (登记)
    Uscc,
    /// the subject's USCC + `001` + letter (排污许可证)
    Pollutant,
    /// the document number
    Doc,
    /// county code + decision date + n digits (施工许可证)
    DateCode(u8),
}

struct XkTpl {
    dept: usize,
    /// 行政许可决定文书名称
    ws: &'static str,
    /// 许可证书名称 (may be empty)
    zs: &'static str,
    /// 许可类别
    lb: &'static str,
    /// 许可内容 choices
    nr: &'static [&'static str],
    bh: Bh,
    /// Validity in whole years (inclusive range); (0, 0) = 长期.
    years: (u8, u8),
    /// Percent of decisions valid 长期 (2099/12/31) even if `years` is set.
    long_pct: u8,
    who: u8,
    weight: u32,
}

const XK_TPLS: &[XkTpl] = &[
    XkTpl {
        dept: D_SP,
        ws: "食品经营许可决定书",
        zs: "食品经营许可证",
        lb: "普通",
        nr: &[
            "经营项目：预包装食品（含冷藏冷冻食品）销售",
            "经营项目：预包装食品销售；散装食品（含冷藏冷冻食品）销售",
            "经营项目：热食类食品制售",
            "经营项目：热食类食品制售；冷食类食品制售",
            "经营项目：预包装食品销售；保健食品销售",
        ],
        bh: Bh::Pre("JY1410922", 7, ""),
        years: (5, 5),
        long_pct: 0,
        who: ENT | IND,
        weight: 30,
    },
    XkTpl {
        dept: D_SP,
        ws: "食品生产许可决定书",
        zs: "食品生产许可证",
        lb: "普通",
        nr: &[
            "食品类别：粮食加工品（小麦粉）",
            "食品类别：糕点",
            "食品类别：方便食品",
            "食品类别：蔬菜制品（食用菌制品）",
            "食品类别：肉制品",
        ],
        bh: Bh::Pre("SC101410922", 5, ""),
        years: (5, 5),
        long_pct: 0,
        who: ENT,
        weight: 5,
    },
    XkTpl {
        dept: D_SCJG,
        ws: "准予设立登记通知书",
        zs: "营业执照",
        lb: "登记",
        nr: &["准予设立登记"],
        bh: Bh::Uscc,
        years: (0, 0),
        long_pct: 100,
        who: ENT | IND | COOP,
        weight: 16,
    },
    XkTpl {
        dept: D_SCJG,
        ws: "准予变更登记通知书",
        zs: "营业执照",
        lb: "登记",
        nr: &["准予变更登记（经营范围）", "准予变更登记（住所）", "准予变更登记（法定代表人）", "准予变更登记（注册资本）"],
        bh: Bh::Uscc,
        years: (0, 0),
        long_pct: 100,
        who: ENT | IND | COOP,
        weight: 14,
    },
    XkTpl {
        dept: D_SCJG,
        ws: "特种设备使用登记决定书",
        zs: "特种设备使用登记证",
        lb: "登记",
        nr: &[
            "设备类别：电梯（乘客电梯）",
            "设备类别：压力容器（储气罐）",
            "设备类别：场（厂）内专用机动车辆（叉车）",
            "设备类别：起重机械（桥式起重机）",
        ],
        bh: Bh::Pre("特设豫J", 6, ""),
        years: (0, 0),
        long_pct: 100,
        who: ENT,
        weight: 8,
    },
    XkTpl {
        dept: D_SP,
        ws: "公共场所卫生许可决定书",
        zs: "公共场所卫生许可证",
        lb: "普通",
        nr: &["许可项目：住宿场所", "许可项目：沐浴场所", "许可项目：美容美发场所", "许可项目：游泳场所", "许可项目：商场（超市）"],
        bh: Bh::Pre("豫卫公证字第410922", 6, "号"),
        years: (4, 4),
        long_pct: 0,
        who: ENT | IND,
        weight: 10,
    },
    XkTpl {
        dept: D_SP,
        ws: "建筑工程施工许可决定书",
        zs: "建筑工程施工许可证",
        lb: "普通",
        nr: &[
            "工程名称：标准化厂房项目；建设规模：12000平方米",
            "工程名称：住宅小区1#-6#楼；建设规模：36500平方米",
            "工程名称：农贸市场改造工程；建设规模：4800平方米",
            "工程名称：食用菌加工车间及附属工程；建设规模：6200平方米",
            "工程名称：家具生产车间；建设规模：9600平方米",
        ],
        bh: Bh::DateCode(4),
        years: (1, 2),
        long_pct: 0,
        who: ENT,
        weight: 5,
    },
    XkTpl {
        dept: D_SP,
        ws: "道路运输经营许可决定书",
        zs: "道路运输经营许可证",
        lb: "普通",
        nr: &[
            "经营范围：道路普通货物运输",
            "经营范围：道路普通货物运输；货物专用运输（集装箱）",
            "经营范围：道路普通货物运输；大型物件运输",
        ],
        bh: Bh::Pre("豫交运管许可濮字410922", 6, "号"),
        years: (4, 4),
        long_pct: 0,
        who: ENT | IND,
        weight: 10,
    },
    XkTpl {
        dept: D_JT,
        ws: "道路运输从业人员从业资格证核发决定书",
        zs: "道路运输从业人员从业资格证",
        lb: "认可",
        nr: &["从业资格类别：经营性道路货物运输驾驶员", "从业资格类别：经营性道路旅客运输驾驶员", "从业资格类别：道路危险货物运输驾驶员"],
        bh: Bh::Pre("4109221", 11, ""),
        years: (6, 6),
        long_pct: 0,
        who: PERSON,
        weight: 12,
    },
    XkTpl {
        dept: D_HB,
        ws: "排污许可决定书",
        zs: "排污许可证",
        lb: "普通",
        nr: &[
            "行业类别：木质家具制造；主要污染物：挥发性有机物、颗粒物",
            "行业类别：食用菌种植；主要污染物：化学需氧量、氨氮",
            "行业类别：水泥制品制造；主要污染物：颗粒物",
            "行业类别：牲畜饲养；主要污染物：化学需氧量、氨氮",
        ],
        bh: Bh::Pollutant,
        years: (5, 5),
        long_pct: 0,
        who: ENT,
        weight: 6,
    },
    XkTpl {
        dept: D_YJ,
        ws: "烟花爆竹经营（零售）许可决定书",
        zs: "烟花爆竹经营（零售）许可证",
        lb: "普通",
        nr: &["许可范围：烟花爆竹零售（个人燃放类）"],
        bh: Bh::Pre("豫濮清烟零字", 6, "号"),
        years: (1, 2),
        long_pct: 0,
        who: ENT | IND,
        weight: 6,
    },
    XkTpl {
        dept: D_YJ,
        ws: "危险化学品经营许可决定书",
        zs: "危险化学品经营许可证",
        lb: "普通",
        nr: &[
            "许可范围：汽油、柴油（不带储存设施经营）",
            "许可范围：液化石油气（带储存设施经营）",
            "许可范围：氧、乙炔（不带储存设施经营）",
        ],
        bh: Bh::Pre("豫濮清危化经字", 5, "号"),
        years: (3, 3),
        long_pct: 0,
        who: ENT,
        weight: 3,
    },
    XkTpl {
        dept: D_ZJ,
        ws: "建筑施工特种作业操作资格核准决定书",
        zs: "建筑施工特种作业操作资格证书",
        lb: "认可",
        nr: &["操作类别：建筑电工", "操作类别：建筑架子工", "操作类别：建筑起重信号司索工", "操作类别：建筑焊工"],
        bh: Bh::Pre("豫J0", 11, ""),
        years: (2, 2),
        long_pct: 0,
        who: PERSON,
        weight: 6,
    },
    XkTpl {
        dept: D_ZJ,
        ws: "建筑业企业资质许可决定书",
        zs: "建筑业企业资质证书",
        lb: "认可",
        nr: &[
            "资质类别及等级：建筑工程施工总承包三级",
            "资质类别及等级：市政公用工程施工总承包三级",
            "资质类别及等级：施工劳务不分等级",
            "资质类别及等级：建筑装修装饰工程专业承包二级",
        ],
        bh: Bh::Pre("D34", 7, ""),
        years: (5, 5),
        long_pct: 0,
        who: ENT,
        weight: 4,
    },
    XkTpl {
        dept: D_CG,
        ws: "燃气经营许可决定书",
        zs: "燃气经营许可证",
        lb: "特许",
        nr: &["经营类别：瓶装液化石油气供应", "经营类别：管道天然气供应", "经营类别：汽车加气站（CNG）"],
        bh: Bh::Pre("豫41092200", 5, ""),
        years: (3, 3),
        long_pct: 0,
        who: ENT,
        weight: 2,
    },
    XkTpl {
        dept: D_CG,
        ws: "城市建筑垃圾处置核准决定书",
        zs: "城市建筑垃圾处置核准证",
        lb: "核准",
        nr: &["核准事项：建筑垃圾运输", "核准事项：建筑垃圾消纳"],
        bh: Bh::Pre("清城管建核字", 5, "号"),
        years: (1, 1),
        long_pct: 0,
        who: ENT | IND,
        weight: 4,
    },
    XkTpl {
        dept: D_CG,
        ws: "临时占用城市道路许可决定书",
        zs: "",
        lb: "普通",
        nr: &["许可内容：临时占用城市道路堆放建筑材料", "许可内容：临时占用城市道路设置施工围挡", "许可内容：临时占用人行道设置便民摊点"],
        bh: Bh::Doc,
        years: (1, 1),
        long_pct: 0,
        who: ENT | IND | PERSON,
        weight: 6,
    },
    XkTpl {
        dept: D_WJ,
        ws: "医师执业注册决定书",
        zs: "医师执业证书",
        lb: "认可",
        nr: &[
            "执业类别：临床；执业范围：内科专业",
            "执业类别：中医；执业范围：中医专业",
            "执业类别：口腔；执业范围：口腔专业",
            "执业类别：临床；执业范围：全科医学专业",
        ],
        bh: Bh::Pre("110410922", 6, ""),
        years: (0, 0),
        long_pct: 100,
        who: PERSON,
        weight: 5,
    },
    XkTpl {
        dept: D_WJ,
        ws: "乡村医生执业注册决定书",
        zs: "乡村医生执业证书",
        lb: "认可",
        nr: &["执业范围：预防保健、一般医疗服务"],
        bh: Bh::Pre("410922", 9, ""),
        years: (5, 5),
        long_pct: 0,
        who: PERSON,
        weight: 4,
    },
    XkTpl {
        dept: D_WJ,
        ws: "医疗机构执业登记决定书",
        zs: "医疗机构执业许可证",
        lb: "登记",
        nr: &["诊疗科目：内科；外科；中医科", "诊疗科目：口腔科", "诊疗科目：全科医疗科；预防保健科"],
        bh: Bh::Pre("4109221", 8, ""),
        years: (5, 5),
        long_pct: 0,
        who: ENT | IND,
        weight: 3,
    },
    XkTpl {
        dept: D_NY,
        ws: "农药经营许可决定书",
        zs: "农药经营许可证",
        lb: "普通",
        nr: &["经营范围：农药（限制使用农药除外）"],
        bh: Bh::Pre("农药经许（豫）410922", 8, ""),
        years: (5, 5),
        long_pct: 0,
        who: ENT | IND | COOP,
        weight: 5,
    },
    XkTpl {
        dept: D_NY,
        ws: "兽药经营许可决定书",
        zs: "兽药经营许可证",
        lb: "普通",
        nr: &["经营范围：兽用化学药品、中兽药、外用杀虫剂、消毒剂"],
        bh: Bh::Pre("兽药经营证字160922", 4, "号"),
        years: (5, 5),
        long_pct: 0,
        who: ENT | IND,
        weight: 3,
    },
    XkTpl {
        dept: D_NY,
        ws: "动物防疫条件合格证核发决定书",
        zs: "动物防疫条件合格证",
        lb: "普通",
        nr: &["经营范围：生猪养殖", "经营范围：蛋鸡养殖", "经营范围：肉牛养殖", "经营范围：肉羊养殖"],
        bh: Bh::Pre("（豫清）动防合字第", 6, "号"),
        years: (0, 0),
        long_pct: 100,
        who: ENT | COOP | PERSON,
        weight: 4,
    },
    XkTpl {
        dept: D_NY,
        ws: "农作物种子生产经营许可决定书",
        zs: "农作物种子生产经营许可证",
        lb: "普通",
        nr: &["生产经营种类：小麦、玉米", "生产经营种类：花生、大豆"],
        bh: Bh::Pre("C(豫)农种许字", 8, "号"),
        years: (5, 5),
        long_pct: 0,
        who: ENT | COOP,
        weight: 2,
    },
    XkTpl {
        dept: D_SW,
        ws: "准予税务行政许可决定书",
        zs: "",
        lb: "普通",
        nr: &["增值税专用发票最高开票限额：十万元", "增值税专用发票最高开票限额：一百万元", "增值税专用发票最高开票限额：一万元"],
        bh: Bh::Doc,
        years: (0, 0),
        long_pct: 100,
        who: ENT,
        weight: 6,
    },
    XkTpl {
        dept: D_SL,
        ws: "取水许可决定书",
        zs: "取水许可证",
        lb: "普通",
        nr: &["取水类型：地下水；用途：工业用水", "取水类型：地下水；用途：农业灌溉"],
        bh: Bh::Pre("取水（豫濮清）字第", 5, "号"),
        years: (5, 5),
        long_pct: 0,
        who: ENT | COOP,
        weight: 3,
    },
    XkTpl {
        dept: D_ZR,
        ws: "建设用地规划许可决定书",
        zs: "建设用地规划许可证",
        lb: "普通",
        nr: &["用地项目：产业园配套厂房", "用地项目：商住小区", "用地项目：物流仓储"],
        bh: Bh::Pre("地字第410922", 9, "号"),
        years: (0, 0),
        long_pct: 100,
        who: ENT,
        weight: 2,
    },
    XkTpl {
        dept: D_ZR,
        ws: "乡村建设规划许可决定书",
        zs: "乡村建设规划许可证",
        lb: "普通",
        nr: &["建设项目：农村村民住宅"],
        bh: Bh::Pre("乡字第410922", 9, "号"),
        years: (0, 0),
        long_pct: 100,
        who: PERSON,
        weight: 5,
    },
];

struct CfTpl {
    dept: usize,
    /// 违法行为类型
    wfxw: &'static str,
    /// What the party did (after "经查，当事人于<date>").
    facts: &'static [&'static str],
    /// The provision breached.
    breach: &'static str,
    /// 处罚依据
    yj: &'static str,
    /// 处罚类别 combinations (`;`-separated) with weights.
    kinds: &'static [(&'static str, u32)],
    /// Fine range in 元.
    fine: (u32, u32),
    /// 没收非法财物: what is confiscated.
    goods: &'static str,
    /// 暂扣/吊销: the licence.
    license: &'static str,
    who: u8,
    weight: u32,
}

const CF_TPLS: &[CfTpl] = &[
    CfTpl {
        dept: D_SCJG,
        wfxw: "经营超过保质期的食品",
        facts: &["在其经营场所销售超过保质期的预包装食品", "将超过保质期的食品与其他食品混放销售"],
        breach: "《中华人民共和国食品安全法》第三十四条第（十）项",
        yj: "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        kinds: &[("没收违法所得;没收非法财物;罚款", 50), ("罚款", 30), ("警告", 12), ("罚款;吊销许可证件", 3)],
        fine: (5_000, 100_000),
        goods: "超过保质期的食品",
        license: "食品经营许可证",
        who: ENT | IND,
        weight: 14,
    },
    CfTpl {
        dept: D_SCJG,
        wfxw: "未取得食品经营许可从事食品经营活动",
        facts: &["未取得食品经营许可从事热食类食品制售", "未取得食品经营许可销售散装食品"],
        breach: "《中华人民共和国食品安全法》第三十五条第一款",
        yj: "《中华人民共和国食品安全法》第一百二十二条第一款",
        kinds: &[("没收违法所得;罚款", 60), ("罚款", 30), ("没收违法所得;没收非法财物;罚款", 10)],
        fine: (50_000, 100_000),
        goods: "违法经营的食品",
        license: "",
        who: ENT | IND | PERSON,
        weight: 8,
    },
    CfTpl {
        dept: D_SCJG,
        wfxw: "未按规定明码标价",
        facts: &["销售的商品未按规定明码标价", "在标价之外加价出售商品"],
        breach: "《明码标价和禁止价格欺诈规定》第五条",
        yj: "《中华人民共和国价格法》第四十二条",
        kinds: &[("罚款", 60), ("没收违法所得;罚款", 25), ("警告", 15)],
        fine: (200, 5_000),
        goods: "",
        license: "",
        who: ENT | IND,
        weight: 8,
    },
    CfTpl {
        dept: D_SCJG,
        wfxw: "使用未经检验的特种设备",
        facts: &["使用未经定期检验的电梯", "使用未经检验的叉车", "使用检验不合格的压力容器"],
        breach: "《中华人民共和国特种设备安全法》第四十条第三款",
        yj: "《中华人民共和国特种设备安全法》第八十四条第（一）项",
        kinds: &[("罚款", 85), ("罚款;责令停产停业", 15)],
        fine: (30_000, 300_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 4,
    },
    CfTpl {
        dept: D_SCJG,
        wfxw: "发布虚假广告",
        facts: &["通过微信公众号发布含有虚假内容的广告", "在店外宣传牌发布虚假广告"],
        breach: "《中华人民共和国广告法》第二十八条",
        yj: "《中华人民共和国广告法》第五十五条第一款",
        kinds: &[("罚款", 90), ("没收违法所得;罚款", 10)],
        fine: (10_000, 200_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 3,
    },
    CfTpl {
        dept: D_SCJG,
        wfxw: "使用不合格的计量器具",
        facts: &["在经营中使用不合格的电子计价秤", "使用未经检定的计量器具"],
        breach: "《中华人民共和国计量法》第九条",
        yj: "《中华人民共和国计量法实施细则》第四十三条",
        kinds: &[("没收非法财物;罚款", 50), ("没收违法所得;没收非法财物;罚款", 20), ("警告", 30)],
        fine: (100, 2_000),
        goods: "不合格的计量器具",
        license: "",
        who: IND | PERSON,
        weight: 5,
    },
    CfTpl {
        dept: D_HB,
        wfxw: "超标排放大气污染物",
        facts: &["废气排放口颗粒物浓度超过排放标准", "挥发性有机物排放浓度超过排放标准"],
        breach: "《中华人民共和国大气污染防治法》第十八条",
        yj: "《中华人民共和国大气污染防治法》第九十九条第（二）项",
        kinds: &[("罚款", 80), ("罚款;责令停产停业", 20)],
        fine: (100_000, 1_000_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 4,
    },
    CfTpl {
        dept: D_HB,
        wfxw: "建设项目未依法报批环境影响评价文件擅自开工建设",
        facts: &["建设项目环境影响评价文件未经批准擅自开工建设"],
        breach: "《中华人民共和国环境影响评价法》第二十五条",
        yj: "《中华人民共和国环境影响评价法》第三十一条第一款",
        kinds: &[("罚款", 100)],
        fine: (20_000, 500_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 3,
    },
    CfTpl {
        dept: D_HB,
        wfxw: "未取得排污许可证排放污染物",
        facts: &["未取得排污许可证排放大气污染物", "未取得排污许可证排放水污染物"],
        breach: "《中华人民共和国环境保护法》第四十五条",
        yj: "《排污许可管理条例》第三十三条第（一）项",
        kinds: &[("罚款", 85), ("罚款;责令停产停业", 15)],
        fine: (200_000, 1_000_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 2,
    },
    CfTpl {
        dept: D_HB,
        wfxw: "露天焚烧秸秆",
        facts: &["在承包地内露天焚烧小麦秸秆", "在田间露天焚烧玉米秸秆"],
        breach: "《中华人民共和国大气污染防治法》第七十七条",
        yj: "《中华人民共和国大气污染防治法》第一百一十九条第一款",
        kinds: &[("罚款", 85), ("警告", 15)],
        fine: (500, 2_000),
        goods: "",
        license: "",
        who: PERSON | COOP,
        weight: 5,
    },
    CfTpl {
        dept: D_YJ,
        wfxw: "未按规定对从业人员进行安全生产教育和培训",
        facts: &["未按照规定对从业人员进行安全生产教育和培训", "特种作业人员未按照规定经专门的安全作业培训即上岗作业"],
        breach: "《中华人民共和国安全生产法》第二十八条",
        yj: "《中华人民共和国安全生产法》第九十七条第（三）项",
        kinds: &[("罚款", 90), ("警告", 10)],
        fine: (10_000, 100_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 5,
    },
    CfTpl {
        dept: D_YJ,
        wfxw: "未采取措施消除事故隐患",
        facts: &["对检查发现的事故隐患未采取措施消除", "生产车间安全出口堵塞，未及时消除事故隐患"],
        breach: "《中华人民共和国安全生产法》第四十一条第二款",
        yj: "《中华人民共和国安全生产法》第一百零二条",
        kinds: &[("罚款", 85), ("罚款;责令停产停业", 15)],
        fine: (10_000, 50_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 4,
    },
    CfTpl {
        dept: D_YJ,
        wfxw: "未经许可经营烟花爆竹",
        facts: &["未取得烟花爆竹经营（零售）许可证销售烟花爆竹", "在住所内存放并销售烟花爆竹"],
        breach: "《烟花爆竹安全管理条例》第三条",
        yj: "《烟花爆竹安全管理条例》第三十六条第二款",
        kinds: &[("没收违法所得;没收非法财物;罚款", 60), ("没收非法财物;罚款", 40)],
        fine: (20_000, 100_000),
        goods: "非法经营的烟花爆竹",
        license: "",
        who: PERSON | IND,
        weight: 4,
    },
    CfTpl {
        dept: D_JT,
        wfxw: "车辆超限运输",
        facts: &["驾驶货车车货总质量超过公路限定标准在公路上行驶", "驾驶货车外廓尺寸超过限定标准在公路上行驶"],
        breach: "《中华人民共和国公路法》第五十条",
        yj: "《公路安全保护条例》第六十四条",
        kinds: &[("罚款", 100)],
        fine: (500, 30_000),
        goods: "",
        license: "",
        who: PERSON | ENT | IND,
        weight: 14,
    },
    CfTpl {
        dept: D_JT,
        wfxw: "未取得道路运输经营许可擅自从事道路普通货物运输经营",
        facts: &["未取得道路运输经营许可擅自从事道路普通货物运输经营"],
        breach: "《中华人民共和国道路运输条例》第二十四条",
        yj: "《中华人民共和国道路运输条例》第六十三条",
        kinds: &[("罚款", 70), ("没收违法所得;罚款", 30)],
        fine: (3_000, 10_000),
        goods: "",
        license: "",
        who: PERSON | IND,
        weight: 5,
    },
    CfTpl {
        dept: D_JT,
        wfxw: "未取得巡游出租汽车经营许可擅自从事经营活动",
        facts: &["驾驶私家车擅自从事巡游出租汽车经营活动"],
        breach: "《巡游出租汽车经营服务管理规定》第八条",
        yj: "《巡游出租汽车经营服务管理规定》第四十五条",
        kinds: &[("罚款", 100)],
        fine: (5_000, 20_000),
        goods: "",
        license: "",
        who: PERSON,
        weight: 3,
    },
    CfTpl {
        dept: D_ZJ,
        wfxw: "未取得施工许可证擅自施工",
        facts: &["未取得施工许可证擅自开工建设", "建设项目未办理施工许可即组织施工"],
        breach: "《中华人民共和国建筑法》第七条",
        yj: "《建设工程质量管理条例》第五十七条",
        kinds: &[("罚款", 100)],
        fine: (20_000, 300_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 3,
    },
    CfTpl {
        dept: D_ZJ,
        wfxw: "施工单位未配备专职安全生产管理人员",
        facts: &["施工现场未配备专职安全生产管理人员", "未设立安全生产管理机构"],
        breach: "《建设工程安全生产管理条例》第二十三条",
        yj: "《建设工程安全生产管理条例》第六十二条",
        kinds: &[("罚款", 80), ("罚款;责令停产停业", 10), ("罚款;降低资质等级", 10)],
        fine: (50_000, 100_000),
        goods: "",
        license: "",
        who: ENT,
        weight: 3,
    },
    CfTpl {
        dept: D_WJ,
        wfxw: "非医师行医",
        facts: &["未取得医师执业证书在住所内为他人诊疗疾病", "未取得医师执业证书开展输液治疗"],
        breach: "《中华人民共和国医师法》第十三条第四款",
        yj: "《中华人民共和国医师法》第五十九条",
        kinds: &[("没收违法所得;没收非法财物;罚款", 100)],
        fine: (20_000, 100_000),
        goods: "药品和医疗器械",
        license: "",
        who: PERSON,
        weight: 3,
    },
    CfTpl {
        dept: D_WJ,
        wfxw: "公共场所未取得卫生许可证擅自营业",
        facts: &["未取得公共场所卫生许可证擅自营业", "公共场所卫生许可证过期后继续营业"],
        breach: "《公共场所卫生管理条例实施细则》第二十二条",
        yj: "《公共场所卫生管理条例实施细则》第三十五条",
        kinds: &[("警告;罚款", 90), ("罚款", 10)],
        fine: (500, 5_000),
        goods: "",
        license: "",
        who: IND | ENT,
        weight: 4,
    },
    CfTpl {
        dept: D_SW,
        wfxw: "未按照规定期限办理纳税申报和报送纳税资料",
        facts: &["未按照规定期限办理增值税纳税申报", "未按照规定期限报送财务会计报表"],
        breach: "《中华人民共和国税收征收管理法》第二十五条第一款",
        yj: "《中华人民共和国税收征收管理法》第六十二条",
        kinds: &[("罚款", 100)],
        fine: (50, 2_000),
        goods: "",
        license: "",
        who: ENT | IND,
        weight: 20,
    },
    CfTpl {
        dept: D_SW,
        wfxw: "未按照规定设置、保管账簿或者保管记账凭证和有关资料",
        facts: &["未按照规定设置账簿", "未按照规定保管记账凭证"],
        breach: "《中华人民共和国税收征收管理法》第十九条",
        yj: "《中华人民共和国税收征收管理法》第六十条",
        kinds: &[("罚款", 100)],
        fine: (200, 10_000),
        goods: "",
        license: "",
        who: ENT | IND,
        weight: 4,
    },
    CfTpl {
        dept: D_CG,
        wfxw: "占道经营",
        facts: &["在城区主干道人行道上摆摊设点经营", "超出门窗外墙摆卖商品"],
        breach: "《城市市容和环境卫生管理条例》第十四条",
        yj: "《城市市容和环境卫生管理条例》第三十六条",
        kinds: &[("警告", 40), ("罚款", 60)],
        fine: (50, 500),
        goods: "",
        license: "",
        who: PERSON | IND,
        weight: 8,
    },
    CfTpl {
        dept: D_CG,
        wfxw: "运输建筑垃圾沿途丢弃、遗撒",
        facts: &["运输建筑垃圾过程中沿途遗撒", "运输建筑垃圾未密闭，沿途丢弃建筑垃圾"],
        breach: "《城市建筑垃圾管理规定》第十四条",
        yj: "《城市建筑垃圾管理规定》第二十三条",
        kinds: &[("警告;罚款", 100)],
        fine: (5_000, 50_000),
        goods: "",
        license: "",
        who: ENT | IND,
        weight: 3,
    },
    CfTpl {
        dept: D_NY,
        wfxw: "经营假种子",
        facts: &["销售以非种子冒充种子的小麦种子", "销售品种名称与标签标注不符的玉米种子"],
        breach: "《中华人民共和国种子法》第四十八条",
        yj: "《中华人民共和国种子法》第七十四条",
        kinds: &[("没收违法所得;没收非法财物;罚款", 75), ("没收违法所得;没收非法财物;罚款;吊销许可证件", 25)],
        fine: (20_000, 200_000),
        goods: "假种子",
        license: "农作物种子生产经营许可证",
        who: ENT | IND | COOP,
        weight: 3,
    },
    CfTpl {
        dept: D_NY,
        wfxw: "经营假农药",
        facts: &["销售以非农药冒充农药的产品", "销售所含有效成分种类与标签标注不符的农药"],
        breach: "《农药管理条例》第四十四条",
        yj: "《农药管理条例》第五十五条",
        kinds: &[("没收违法所得;没收非法财物;罚款", 85), ("没收非法财物;罚款;暂扣许可证件", 15)],
        fine: (5_000, 50_000),
        goods: "假农药",
        license: "农药经营许可证",
        who: IND | ENT | COOP,
        weight: 3,
    },
    CfTpl {
        dept: D_NY,
        wfxw: "违反禁渔期规定进行捕捞",
        facts: &["在禁渔期内使用地笼网在马颊河捕捞", "在禁渔期内使用禁用渔具捕捞"],
        breach: "《中华人民共和国渔业法》第三十条",
        yj: "《中华人民共和国渔业法》第三十八条",
        kinds: &[("没收非法财物;罚款", 60), ("没收违法所得;罚款", 40)],
        fine: (200, 5_000),
        goods: "渔获物及渔具",
        license: "",
        who: PERSON,
        weight: 3,
    },
    CfTpl {
        dept: D_NY,
        wfxw: "未按照规定使用兽药、未建立用药记录",
        facts: &["养殖过程中未建立用药记录", "未按照国家兽药安全使用规定使用兽药"],
        breach: "《兽药管理条例》第三十八条",
        yj: "《兽药管理条例》第六十二条",
        kinds: &[("罚款", 100)],
        fine: (10_000, 50_000),
        goods: "",
        license: "",
        who: PERSON | COOP | ENT,
        weight: 3,
    },
    CfTpl {
        dept: D_ZR,
        wfxw: "非法占用土地",
        facts: &["未经批准占用集体土地建设厂房", "未经批准占用耕地建设养殖棚舍"],
        breach: "《中华人民共和国土地管理法》第四十四条",
        yj: "《中华人民共和国土地管理法》第七十七条",
        kinds: &[("罚款", 50), ("没收非法财物;罚款", 50)],
        fine: (5_000, 300_000),
        goods: "在非法占用的土地上新建的建筑物和其他设施",
        license: "",
        who: PERSON | ENT | COOP,
        weight: 4,
    },
    CfTpl {
        dept: D_SL,
        wfxw: "未经批准擅自取水",
        facts: &["未取得取水许可擅自打井取用地下水", "未经批准擅自取用地下水用于生产"],
        breach: "《中华人民共和国水法》第四十八条",
        yj: "《中华人民共和国水法》第六十九条",
        kinds: &[("罚款", 100)],
        fine: (20_000, 100_000),
        goods: "",
        license: "",
        who: ENT | COOP,
        weight: 2,
    },
    CfTpl {
        dept: D_SL,
        wfxw: "在河道管理范围内设置妨碍行洪的物体",
        facts: &["在河道管理范围内堆放砂石", "在河道管理范围内搭建棚舍"],
        breach: "《中华人民共和国水法》第三十七条",
        yj: "《中华人民共和国水法》第六十五条",
        kinds: &[("罚款", 100)],
        fine: (10_000, 100_000),
        goods: "",
        license: "",
        who: PERSON | ENT,
        weight: 2,
    },
];

const BAD_DATES: &[&str] = &["2024/13/45", "yesterday", "2023/02/29", "2024-00-10", "20241301", "2024年5月"];
const BAD_AMOUNTS: &[&str] = &["-1", "1.2345678", "abc", "-0.5", "1,000"];
const BAD_PERMIT_CATEGORIES: &[&str] = &["审批", "备案", "特别许可", "许可"];
const BAD_PENALTY_KINDS: &[&str] = &["罚金", "责令改正", "批评教育", "拘役"];

// ---------------------------------------------------------------------------------------
// Dates: days since 1970-01-01 (proleptic Gregorian, H. Hinnant's algorithms).

const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

const fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// The same day `n` years later (29 February → 28 February).
fn add_years(day: i32, n: i32) -> i32 {
    let (y, m, d) = civil_from_days(day);
    let y = y + n;
    let d = if m == 2 && d == 29 && !is_leap(y) { 28 } else { d };
    days_from_civil(y, m, d)
}

/// First and last decision day: 2019-01-01 ..= 2026-10-31 (all in the past, fixed so the
/// output does not depend on the clock).
const DECISION_FROM: i32 = days_from_civil(2019, 1, 1);
const DECISION_TO: i32 = days_from_civil(2026, 10, 31);
const FIRST_YEAR: i32 = 2019;
const YEARS: usize = 8;
/// Birth dates of natural persons: 1940-01-01 ..= 2005-12-31.
const BIRTH_FROM: i32 = days_from_civil(1940, 1, 1);
const BIRTH_DAYS: u64 = (days_from_civil(2005, 12, 31) - BIRTH_FROM + 1) as u64;

#[derive(Clone, Copy)]
enum DateFmt {
    Slash,
    Dash,
    Compact,
}

fn push_ymd(s: &mut String, y: i32, m: u32, d: u32, fmt: DateFmt) {
    let sep = match fmt {
        DateFmt::Slash => Some('/'),
        DateFmt::Dash => Some('-'),
        DateFmt::Compact => None,
    };
    push_num(s, y.unsigned_abs().into(), 4);
    if let Some(c) = sep {
        s.push(c);
    }
    push_num(s, m.into(), 2);
    if let Some(c) = sep {
        s.push(c);
    }
    push_num(s, d.into(), 2);
}

fn push_date(s: &mut String, day: i32, fmt: DateFmt) {
    let (y, m, d) = civil_from_days(day);
    push_ymd(s, y, m, d, fmt);
}

/// `2024年3月5日`
fn push_date_zh(s: &mut String, day: i32) {
    let (y, m, d) = civil_from_days(day);
    push_num(s, y.unsigned_abs().into(), 1);
    s.push('年');
    push_num(s, m.into(), 1);
    s.push('月');
    push_num(s, d.into(), 1);
    s.push('日');
}

// ---------------------------------------------------------------------------------------
// Small helpers

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_num(s: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // `buf` is pre-filled with '0', so the padding is already there.
    let start = i.min(buf.len().saturating_sub(width));
    s.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

/// Appends `count` random decimal digits.
fn push_digits(s: &mut String, rng: &mut StdRng, count: u8) {
    let mut left = count;
    while left > 0 {
        let take = left.min(18);
        let n = rng.random_range(0..10u64.pow(u32::from(take)));
        push_num(s, n, usize::from(take));
        left -= take;
    }
}

/// An amount in fen as 万元 without trailing zeros (`0.5`, `2`, `1.234567`).
fn push_wan_yuan(s: &mut String, fen: u64) {
    push_num(s, fen / 1_000_000, 1);
    push_fraction(s, fen % 1_000_000, 6);
}

/// An amount in fen as 元 without trailing zeros (`5000`, `12345.6`).
fn push_yuan(s: &mut String, fen: u64) {
    push_num(s, fen / 100, 1);
    push_fraction(s, fen % 100, 2);
}

fn push_fraction(s: &mut String, mut frac: u64, mut digits: usize) {
    if frac == 0 {
        return;
    }
    while frac.is_multiple_of(10) {
        frac /= 10;
        digits -= 1;
    }
    s.push('.');
    push_num(s, frac, digits);
}

/// A fine in fen within `lo..=hi` 元: mostly rounded to two significant digits, sometimes
/// exact to the fen.
fn fine_fen(rng: &mut StdRng, (lo, hi): (u32, u32)) -> u64 {
    let yuan = u64::from(rng.random_range(lo..=hi.max(lo)));
    if rng.random_range(0..100u32) < 85 {
        let mut unit = 1;
        while yuan / unit >= 100 {
            unit *= 10;
        }
        ((yuan / unit) * unit).max(1) * 100
    } else {
        yuan * 100 + rng.random_range(0..100u64)
    }
}

fn pick<'a>(rng: &mut StdRng, xs: &[&'a str]) -> &'a str {
    xs.get(rng.random_range(0..xs.len().max(1))).copied().unwrap_or("")
}

/// SplitMix64 finaliser: the stateless hash behind the subject pool.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stream of hashed draws from one subject's hash.
struct Draws(u64);

impl Draws {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        (mix(self.0) % n.max(1) as u64) as usize
    }
    fn of<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        let i = self.below(xs.len());
        xs.get(i).copied().unwrap_or("")
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `x ↦ (a·x + b) mod n`, a bijection on `0..n` (gcd(a, n) = 1): unique codes and names by
/// construction, without a set.
struct Affine {
    n: u64,
    a: u64,
    b: u64,
}

impl Affine {
    fn new(n: u64, salt: u64) -> Self {
        let n = n.max(1);
        let mut a = (mix(salt ^ 0xA5A5_A5A5) % n).max(1);
        while gcd(a, n) != 1 {
            a = a % n + 1;
        }
        Affine { n, a, b: mix(salt) % n }
    }
    fn apply(&self, x: u64) -> u64 {
        ((u128::from(x % self.n) * u128::from(self.a) + u128::from(self.b)) % u128::from(self.n)) as u64
    }
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    // Fast path (no early exit, so the scan vectorises): nothing to escape.
    if !bytes.iter().fold(false, |acc, &b| acc | (b < 0x20 || b == b'"' || b == b'\\')) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

// ---------------------------------------------------------------------------------------
// Subjects

/// Everything derived once per run: the subject pool's permutations, villages, department
/// codes, template tables.
struct Pools {
    salt: u64,
    person_share: f64,
    /// Enterprise body (`MA` + 6 characters of base 31).
    body: Affine,
    /// Company names: town × trade × trade × industry.
    company: Affine,
    /// Natural persons: birth day × sequence 001–999.
    person: Affine,
    villages: Vec<&'static str>,
    dept_codes: Vec<String>,
    /// Per subject kind: cumulative weights → template index.
    xk_table: [Vec<(u32, usize)>; 4],
    cf_table: [Vec<(u32, usize)>; 4],
}

fn weighted_table(items: impl Iterator<Item = (u8, u32)>, sk: Sk) -> Vec<(u32, usize)> {
    let mut total = 0;
    let mut out = Vec::new();
    for (i, (who, weight)) in items.enumerate() {
        if who & sk.bit() != 0 && weight > 0 {
            total += weight;
            out.push((total, i));
        }
    }
    out
}

fn pick_weighted(rng: &mut StdRng, table: &[(u32, usize)]) -> usize {
    let total = table.last().map_or(0, |t| t.0);
    if total == 0 {
        return 0;
    }
    let r = rng.random_range(0..total);
    let i = table.partition_point(|&(cum, _)| cum <= r);
    table.get(i).map_or(0, |t| t.1)
}

impl Pools {
    fn new(seed: u64, person_share: f64) -> Self {
        let salt = mix(seed ^ 0x51C0_FE11);
        let villages = VILLAGES_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cols = line.split(',');
                let name = cols.nth(1)?;
                (cols.next()? == "村委会").then_some(name)
            })
            .collect();
        let mk = |sk: Sk| {
            (weighted_table(XK_TPLS.iter().map(|t| (t.who, t.weight)), sk), weighted_table(CF_TPLS.iter().map(|t| (t.who, t.weight)), sk))
        };
        let [e, i, c, p] = Sk::ALL.map(mk);
        Pools {
            salt,
            person_share,
            body: Affine::new(31u64.pow(6), salt ^ 1),
            company: Affine::new((TOWNS.len() * TRADE1.len() * TRADE2.len() * INDUSTRIES.len()) as u64, salt ^ 2),
            person: Affine::new(BIRTH_DAYS * 999, salt ^ 3),
            villages,
            dept_codes: DEPTS.iter().map(|d| dept_uscc(d.demo_serial)).collect(),
            xk_table: [e.0, i.0, c.0, p.0],
            cf_table: [e.1, i.1, c.1, p.1],
        }
    }
}

/// A person's name: a common surname (skewed towards 王李张刘…) and 1–2 given characters.
fn push_person_name(s: &mut String, d: &mut Draws, male: bool) {
    let a = d.below(1000);
    let i = a * a * SURNAMES.len() / 1_000_000;
    s.push_str(SURNAMES.get(i).copied().unwrap_or("王"));
    let pool = if male { GIVEN_MALE } else { GIVEN_FEMALE };
    s.push_str(d.of(pool));
    if d.below(4) != 0 {
        s.push_str(d.of(pool));
    }
}

/// Writes subject number `index` of the pool into the subject block of `f`.
fn write_subject(f: &mut [String], p: &Pools, index: u64) -> Sk {
    let h = mix(p.salt ^ mix(index));
    let u = (h >> 11) as f64 / (1u64 << 53) as f64;
    let mut d = Draws(h);
    if u < p.person_share {
        let q = p.person.apply(index);
        let day = BIRTH_FROM + (q / 999) as i32;
        let seq = q % 999 + 1;
        push_person_name(&mut f[MC], &mut d, seq % 2 == 1);
        f[LB].push_str("自然人");
        f[ZJLX].push_str("身份证");
        let id = &mut f[ZJHM];
        id.push_str(COUNTY);
        push_date(id, day, DateFmt::Compact);
        push_num(id, seq, 3);
        let check = id_check_char(id).unwrap_or('0');
        id.push(check);
        return Sk::Person;
    }
    let sk = match d.below(20) {
        0..=10 => Sk::Ent,
        11..=17 => Sk::Ind,
        _ => Sk::Coop,
    };
    let code = &mut f[SHXYM];
    code.push_str(match sk {
        Sk::Ent => "91",
        Sk::Ind => "92",
        _ => "93",
    });
    code.push_str(COUNTY);
    code.push_str("MA");
    let mut b = p.body.apply(index);
    let mut body = [0u8; 6];
    for c in body.iter_mut().rev() {
        *c = CHARSET[(b % 31) as usize];
        b /= 31;
    }
    for c in body {
        code.push(char::from(c));
    }
    finish_uscc(code);

    let male = d.below(10) < 7;
    push_person_name(&mut f[FRDB], &mut d, male);
    let mut name = std::mem::take(&mut f[MC]);
    name.push_str("清丰县");
    match sk {
        Sk::Ent => {
            f[LB].push_str("法人及非法人组织");
            let mut q = p.company.apply(index) as usize;
            let mut next = |n: usize| {
                let r = q % n;
                q /= n;
                r
            };
            name.push_str(TOWNS[next(TOWNS.len())]);
            name.push_str(TRADE1[next(TRADE1.len())]);
            name.push_str(TRADE2[next(TRADE2.len())]);
            name.push_str(INDUSTRIES[next(INDUSTRIES.len())]);
            name.push_str(if d.below(100) < 85 { "有限公司" } else { "有限责任公司" });
        }
        Sk::Ind => {
            f[LB].push_str("个体工商户");
            name.push_str(d.of(&TOWNS));
            let operator = &f[FRDB];
            if d.below(10) < 3 {
                // 王记饭店
                let surname = operator.chars().next().unwrap_or('王');
                name.push(surname);
                name.push('记');
            } else {
                name.push_str(operator);
            }
            name.push_str(d.of(SHOPS));
        }
        _ => {
            f[LB].push_str("法人及非法人组织");
            if d.below(10) < 7 {
                let v = d.of(&p.villages);
                let v = v.strip_suffix("村委会").unwrap_or(v);
                name.push_str(v);
                if !v.ends_with('村') {
                    name.push('村');
                }
            } else {
                name.push_str(d.of(&TRADE1));
                name.push_str(d.of(&TRADE2));
            }
            name.push_str(d.of(COOP_ITEMS));
            name.push_str("专业合作社");
        }
    }
    f[MC] = name;
    sk
}

// ---------------------------------------------------------------------------------------
// Rows

struct Gen {
    kind: GenKind,
    rng: StdRng,
    pools: Pools,
    subjects: u64,
    bad_share: f64,
    /// The row being built, ordered as [`columns`].
    f: Vec<String>,
    /// Document serials per department and decision year.
    serials: Vec<u32>,
}

impl Gen {
    fn new(opts: &GenOptions) -> io::Result<Self> {
        for (name, v) in [("bad_share", opts.bad_share), ("person_share", opts.person_share)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{name} 须在 0.0–1.0 之间，实际为 {v}")));
            }
        }
        let kind_salt = match opts.kind {
            GenKind::Xk => 0x584B,
            GenKind::Cf => 0x4346,
            GenKind::Commitment | GenKind::TaxA => {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("合成数据只支持 xk、cf，不支持 {}", opts.kind.key())));
            }
        };
        Ok(Gen {
            kind: opts.kind,
            rng: StdRng::seed_from_u64(mix(opts.seed ^ kind_salt)),
            pools: Pools::new(opts.seed, opts.person_share),
            subjects: opts.subject_pool(),
            bad_share: opts.bad_share,
            f: vec![String::with_capacity(64); columns(opts.kind).len()],
            serials: vec![0; DEPTS.len() * YEARS],
        })
    }

    /// Builds the next row in `self.f`; returns its defect, if any.
    fn row(&mut self) -> Option<Defect> {
        for s in &mut self.f {
            s.clear();
        }
        let index = self.rng.random_range(0..self.subjects);
        let sk = write_subject(&mut self.f, &self.pools, index);
        let bad = self.bad_share > 0.0 && self.rng.random::<f64>() < self.bad_share;
        let defect = bad.then(|| {
            let last = if self.kind == GenKind::Xk { Defect::ValidityOrder } else { Defect::BadAmount };
            let code = if sk == Sk::Person { Defect::IdCheck } else { Defect::UsccCheck };
            [code, Defect::MissingName, Defect::MissingDocNo, Defect::BadDate, last, Defect::UnknownCategory][self.rng.random_range(0..6)]
        });
        let fmt = match self.rng.random_range(0..100u32) {
            0..80 => DateFmt::Slash,
            80..92 => DateFmt::Dash,
            _ => DateFmt::Compact,
        };
        let day = self.rng.random_range(DECISION_FROM..=DECISION_TO);
        if self.kind == GenKind::Xk {
            self.xk(sk, day, fmt, defect)
        } else {
            self.cf(sk, day, fmt, defect)
        }
        if let Some(defect) = defect {
            self.spoil(defect);
        }
        defect
    }

    /// Writes the next document number of `dept` for the year of `day`.
    fn doc_no(&mut self, dept: usize, day: i32, xk: bool) {
        let (y, _, _) = civil_from_days(day);
        let slot = dept * YEARS + (y - FIRST_YEAR).clamp(0, YEARS as i32 - 1) as usize;
        let n = match self.serials.get_mut(slot) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => 0,
        };
        let d = &DEPTS[dept];
        let field = if xk { XK_WSH } else { CF_WSH };
        let s = &mut self.f[field];
        s.push_str(if xk { d.xk_prefix } else { d.cf_prefix });
        match d.style {
            DocStyle::Plain => s.push('〔'),
            DocStyle::Zi => s.push_str("字〔"),
        }
        push_num(s, y.unsigned_abs().into(), 4);
        match d.style {
            DocStyle::Plain => s.push('〕'),
            DocStyle::Zi => s.push_str("〕第"),
        }
        push_num(s, n.into(), 1);
        s.push('号');
    }

    fn xk(&mut self, sk: Sk, day: i32, fmt: DateFmt, defect: Option<Defect>) {
        let ti = pick_weighted(&mut self.rng, &self.pools.xk_table[sk.idx()]);
        let Some(t) = XK_TPLS.get(ti) else { return };
        self.doc_no(t.dept, day, true);
        let f = &mut self.f;
        let rng = &mut self.rng;
        f[XK_XKWS].push_str(t.ws);
        f[XK_XKLB].push_str(t.lb);
        f[XK_XKZS].push_str(t.zs);
        let bh_needs_uscc = matches!(t.bh, Bh::Uscc | Bh::Pollutant);
        let bh = if bh_needs_uscc && f[SHXYM].is_empty() { Bh::Doc } else { t.bh };
        let (left, right) = f.split_at_mut(XK_XKBH);
        let out = &mut right[0];
        match bh {
            Bh::Pre(prefix, digits, suffix) => {
                out.push_str(prefix);
                push_digits(out, rng, digits);
                out.push_str(suffix);
            }
            Bh::Uscc => out.push_str(&left[SHXYM]),
            Bh::Pollutant => {
                out.push_str(&left[SHXYM]);
                out.push_str("001");
                out.push(char::from(b"VUQW"[rng.random_range(0..4)]));
            }
            Bh::Doc => out.push_str(&left[XK_WSH]),
            Bh::DateCode(digits) => {
                out.push_str(COUNTY);
                push_date(out, day, DateFmt::Compact);
                push_digits(out, rng, digits);
            }
        }
        f[XK_NR].push_str(pick(rng, t.nr));
        push_date(&mut f[XK_JDRQ], day, fmt);
        push_date(&mut f[XK_YXQZ], day, fmt);
        let long = t.years.1 == 0 || rng.random_range(0..100u8) < t.long_pct;
        let to = &mut f[XK_YXQZI];
        if defect == Some(Defect::ValidityOrder) {
            push_date(to, day - rng.random_range(1..=365), fmt);
        } else if long {
            push_ymd(to, 2099, 12, 31, fmt);
        } else {
            let years = rng.random_range(t.years.0..=t.years.1.max(t.years.0));
            push_date(to, add_years(day, i32::from(years)) - 1, fmt);
        }
        let dept = &DEPTS[t.dept];
        let code = self.pools.dept_codes.get(t.dept).map_or("", String::as_str);
        f[XK_XKJG].push_str(dept.name);
        f[XK_XKJGDM].push_str(code);
        f[XK_ZT].push('1');
        f[XK_LYDW].push_str(dept.name);
        f[XK_LYDWDM].push_str(code);
        f[XK_BZ].push_str(SYNTHETIC_NOTE);
    }

    fn cf(&mut self, sk: Sk, day: i32, fmt: DateFmt, defect: Option<Defect>) {
        let ti = pick_weighted(&mut self.rng, &self.pools.cf_table[sk.idx()]);
        let Some(t) = CF_TPLS.get(ti) else { return };
        self.doc_no(t.dept, day, false);
        let f = &mut self.f;
        let rng = &mut self.rng;
        f[CF_WFXW].push_str(t.wfxw);
        let sy = &mut f[CF_SY];
        sy.push_str("经查，当事人于");
        push_date_zh(sy, day - rng.random_range(7..=90));
        sy.push_str(pick(rng, t.facts));
        sy.push_str("，违反了");
        sy.push_str(t.breach);
        sy.push_str("的规定。");
        f[CF_YJ].push_str(t.yj);

        let kinds = if defect == Some(Defect::BadAmount) {
            t.kinds.iter().map(|k| k.0).find(|k| k.contains("罚款")).unwrap_or("罚款")
        } else {
            let total: u32 = t.kinds.iter().map(|k| k.1).sum();
            let mut r = rng.random_range(0..total.max(1));
            let mut chosen = "罚款";
            for &(k, w) in t.kinds {
                if r < w {
                    chosen = k;
                    break;
                }
                r -= w;
            }
            chosen
        };
        f[CF_CFLB].push_str(kinds);
        let mut seized = 0u64;
        let mut nr = std::mem::take(&mut f[CF_NR]);
        for (i, kind) in kinds.split(';').enumerate() {
            if i > 0 {
                nr.push('；');
            }
            match kind {
                "罚款" => {
                    let fen = fine_fen(rng, t.fine);
                    nr.push_str("罚款人民币");
                    push_yuan(&mut nr, fen);
                    nr.push('元');
                    push_wan_yuan(&mut f[CF_FK], fen);
                }
                "没收违法所得" => {
                    let fen = rng.random_range(10_000..5_000_000u64);
                    seized += fen;
                    nr.push_str("没收违法所得人民币");
                    push_yuan(&mut nr, fen);
                    nr.push('元');
                }
                "没收非法财物" => {
                    seized += rng.random_range(20_000..2_000_000u64);
                    nr.push_str("没收");
                    nr.push_str(t.goods);
                }
                "吊销许可证件" | "暂扣许可证件" => {
                    let suspend = kind == "暂扣许可证件";
                    nr.push_str(if suspend { "暂扣《" } else { "吊销《" });
                    nr.push_str(t.license);
                    nr.push_str(if suspend { "》三个月" } else { "》" });
                    let z = &mut f[CF_ZKDX];
                    z.push_str(t.license);
                    z.push_str("（编号：");
                    push_digits(z, rng, 12);
                    z.push('）');
                }
                "责令停产停业" => nr.push_str("责令停产停业整顿"),
                other => nr.push_str(other),
            }
        }
        f[CF_NR] = nr;
        if seized > 0 {
            push_wan_yuan(&mut f[CF_WFFF], seized);
        }
        push_date(&mut f[CF_JDRQ], day, fmt);
        push_date(&mut f[CF_YXQ], add_years(day, 1), fmt);
        let dept = &DEPTS[t.dept];
        let code = self.pools.dept_codes.get(t.dept).map_or("", String::as_str);
        f[CF_CFJG].push_str(dept.name);
        f[CF_CFJGDM].push_str(code);
        f[CF_SJLY].push_str(dept.name);
        f[CF_SJLYDM].push_str(code);
        f[CF_BZ].push_str(SYNTHETIC_NOTE);
    }

    /// Applies the one defect of a bad row (ValidityOrder is built in by `xk`).
    fn spoil(&mut self, defect: Defect) {
        let xk = self.kind == GenKind::Xk;
        let f = &mut self.f;
        let rng = &mut self.rng;
        match defect {
            Defect::UsccCheck => wrong_last(&mut f[SHXYM], CHARSET, rng),
            Defect::IdCheck => wrong_last(&mut f[ZJHM], b"0123456789X", rng),
            Defect::MissingName => f[MC].clear(),
            Defect::MissingDocNo if xk => {
                f[XK_WSH].clear();
                f[XK_XKBH].clear();
            }
            Defect::MissingDocNo => f[CF_WSH].clear(),
            Defect::BadDate => {
                let field = if xk { XK_JDRQ } else { CF_JDRQ };
                f[field].clear();
                f[field].push_str(pick(rng, BAD_DATES));
            }
            Defect::ValidityOrder => {}
            Defect::BadAmount => {
                f[CF_FK].clear();
                f[CF_FK].push_str(pick(rng, BAD_AMOUNTS));
            }
            Defect::UnknownCategory if xk => {
                f[XK_XKLB].clear();
                f[XK_XKLB].push_str(pick(rng, BAD_PERMIT_CATEGORIES));
            }
            Defect::UnknownCategory => {
                // One unknown kind; the amounts go with the kinds they belonged to.
                f[CF_CFLB].clear();
                f[CF_CFLB].push_str(pick(rng, BAD_PENALTY_KINDS));
                f[CF_FK].clear();
                f[CF_WFFF].clear();
                f[CF_ZKDX].clear();
            }
        }
    }
}

/// Replaces the last (check) character of `s` with a different one from `alphabet`.
fn wrong_last(s: &mut String, alphabet: &[u8], rng: &mut StdRng) {
    let Some(last) = s.pop() else { return };
    let at = alphabet.iter().position(|&b| char::from(b) == last).unwrap_or(0);
    let shift = rng.random_range(1..alphabet.len().max(2));
    let c = alphabet.get((at + shift) % alphabet.len().max(1)).copied().unwrap_or(b'0');
    s.push(char::from(c));
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};
    use std::time::Instant;

    use chrono::NaiveDate;
    use qingfeng_core::{Fen, ResidentId, Uscc};

    use super::*;

    const CF_GSJZQ: usize = 24;
    const FIELDS_CSV: &str = include_str!("../data/shuanggongshi_fields.csv");
    const TOWNS_CSV: &str = include_str!("../../platform/data/qingfeng_towns_2023.csv");
    const PERMIT_OK: &[&str] = crate::model::PERMIT_CATEGORIES;
    const PENALTY_OK: &[&str] = crate::model::PENALTY_KINDS;

    fn opts(kind: GenKind, records: u64, bad_share: f64, seed: u64) -> GenOptions {
        GenOptions { kind, records, bad_share, seed, person_share: 0.3, subjects: (records / 20).max(1) }
    }

    fn csv_bytes(o: &GenOptions) -> (Vec<u8>, GenStats) {
        let mut out = Vec::new();
        let stats = write_csv(&mut out, o).unwrap();
        (out, stats)
    }

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        let mut rdr = csv::Reader::from_reader(bytes);
        let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
        let rows = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        (header, rows)
    }

    /// The standard's `(code, zh)` columns of a dataset, in `seq` order, from the data file.
    fn standard(dataset: &str) -> Vec<(String, String)> {
        let mut rdr = csv::Reader::from_reader(FIELDS_CSV.as_bytes());
        let mut rows: Vec<(u32, String, String)> = rdr
            .records()
            .map(Result::unwrap)
            .filter(|r| &r[0] == dataset)
            .map(|r| (r[1].parse().unwrap(), r[3].to_string(), r[2].to_string()))
            .collect();
        rows.sort_by_key(|r| r.0);
        rows.into_iter().map(|r| (r.1, r.2)).collect()
    }

    fn strict_date(s: &str) -> Option<NaiveDate> {
        if !s.is_ascii() {
            return None;
        }
        let b = s.as_bytes();
        let (y, m, d) = match (b.len(), b.get(4)) {
            (10, Some(&sep)) if (sep == b'/' || sep == b'-') && b[7] == sep => (&s[0..4], &s[5..7], &s[8..10]),
            (8, _) => (&s[0..4], &s[4..6], &s[6..8]),
            _ => return None,
        };
        if ![y, m, d].iter().all(|p| p.bytes().all(|c| c.is_ascii_digit())) {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// The defects of one row, by simple independent checks.
    fn problems(kind: GenKind, row: &[String]) -> Vec<&'static str> {
        let cols = columns(kind);
        let get = |code: &str| row[cols.iter().position(|c| c.0 == code).unwrap()].as_str();
        let p = match kind {
            GenKind::Xk => "XK_",
            _ => "CF_",
        };
        let mut out = Vec::new();
        if get(&format!("{p}XDR_MC")).is_empty() {
            out.push("name");
        }
        if get(&format!("{p}WSH")).is_empty() {
            out.push("doc_no");
        }
        let lb = get(&format!("{p}XDR_LB"));
        if lb == "自然人" {
            assert!(get(&format!("{p}XDR_SHXYM")).is_empty());
            assert_eq!(get(&format!("{p}XDR_ZJLX")), "身份证");
            if ResidentId::parse(get(&format!("{p}XDR_ZJHM"))).is_err() {
                out.push("id");
            }
        } else {
            assert!(lb == "法人及非法人组织" || lb == "个体工商户", "{lb}");
            assert!(get(&format!("{p}XDR_ZJHM")).is_empty());
            assert!(!get(&format!("{p}FRDB")).is_empty());
            if Uscc::parse(get(&format!("{p}XDR_SHXYM"))).is_err() {
                out.push("uscc");
            }
        }
        let dept_codes = match kind {
            GenKind::Xk => ["XK_XKJGDM", "XK_LYDWDM"],
            _ => ["CF_CFJGDM", "CF_SJLYDM"],
        };
        for c in dept_codes {
            if Uscc::parse(get(c)).is_err() {
                out.push("dept_uscc");
            }
        }
        match kind {
            GenKind::Xk => {
                let d = strict_date(get("XK_JDRQ"));
                let from = strict_date(get("XK_YXQZ"));
                let to = strict_date(get("XK_YXQZI"));
                if d.is_none() || from.is_none() || to.is_none() {
                    out.push("date");
                }
                if let (Some(a), Some(b)) = (from, to)
                    && b < a
                {
                    out.push("validity_order");
                }
                if !PERMIT_OK.contains(&get("XK_XKLB")) {
                    out.push("category");
                }
                if get("XK_XKBH").is_empty() && !out.contains(&"doc_no") {
                    out.push("permit_no");
                }
            }
            _ => {
                if strict_date(get("CF_JDRQ")).is_none() || strict_date(get("CF_YXQ")).is_none() {
                    out.push("date");
                }
                let kinds: Vec<&str> = get("CF_CFLB").split(';').collect();
                if kinds.iter().any(|k| !PENALTY_OK.contains(k)) {
                    out.push("category");
                }
                for (code, needed) in [("CF_NR_FK", kinds.contains(&"罚款")), ("CF_NR_WFFF", false)] {
                    let v = get(code);
                    if v.is_empty() {
                        if needed {
                            out.push("amount");
                        }
                    } else if !Fen::from_wan_yuan_str(v).is_ok_and(|f| f.0 >= 0) {
                        out.push("amount");
                    }
                }
            }
        }
        out
    }

    #[test]
    fn columns_match_the_standard_file() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let want = standard(kind.zh());
            let got: Vec<(String, String)> = columns(kind).iter().map(|c| (c.0.to_string(), c.1.to_string())).collect();
            assert_eq!(got, want, "{kind:?}");
        }
        let xk = columns(GenKind::Xk);
        for (i, code) in [
            (MC, "XK_XDR_MC"),
            (LB, "XK_XDR_LB"),
            (SHXYM, "XK_XDR_SHXYM"),
            (FRDB, "XK_FRDB"),
            (ZJLX, "XK_XDR_ZJLX"),
            (ZJHM, "XK_XDR_ZJHM"),
            (XK_XKWS, "XK_XKWS"),
            (XK_WSH, "XK_WSH"),
            (XK_XKLB, "XK_XKLB"),
            (XK_XKZS, "XK_XKZS"),
            (XK_XKBH, "XK_XKBH"),
            (XK_NR, "XK_NR"),
            (XK_JDRQ, "XK_JDRQ"),
            (XK_YXQZ, "XK_YXQZ"),
            (XK_YXQZI, "XK_YXQZI"),
            (XK_XKJG, "XK_XKJG"),
            (XK_XKJGDM, "XK_XKJGDM"),
            (XK_ZT, "XK_ZT"),
            (XK_LYDW, "XK_LYDW"),
            (XK_LYDWDM, "XK_LYDWDM"),
            (XK_BZ, "BZ"),
        ] {
            assert_eq!(xk[i].0, code);
        }
        let cf = columns(GenKind::Cf);
        for (i, code) in [
            (MC, "CF_XDR_MC"),
            (LB, "CF_XDR_LB"),
            (SHXYM, "CF_XDR_SHXYM"),
            (FRDB, "CF_FRDB"),
            (ZJLX, "CF_XDR_ZJLX"),
            (ZJHM, "CF_XDR_ZJHM"),
            (CF_WSH, "CF_WSH"),
            (CF_WFXW, "CF_WFXW"),
            (CF_SY, "CF_SY"),
            (CF_YJ, "CF_YJ"),
            (CF_CFLB, "CF_CFLB"),
            (CF_NR, "CF_NR"),
            (CF_FK, "CF_NR_FK"),
            (CF_WFFF, "CF_NR_WFFF"),
            (CF_ZKDX, "CF_NR_ZKDX"),
            (CF_JDRQ, "CF_JDRQ"),
            (CF_YXQ, "CF_YXQ"),
            (CF_CFJG, "CF_CFJG"),
            (CF_CFJGDM, "CF_CFJGDM"),
            (CF_SJLY, "CF_SJLY"),
            (CF_SJLYDM, "CF_SJLYDM"),
            (CF_BZ, "BZ"),
        ] {
            assert_eq!(cf[i].0, code);
        }
    }

    #[test]
    fn reference_data_is_the_real_county() {
        let towns: Vec<String> = TOWNS_CSV.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_string()).collect();
        assert_eq!(towns, TOWNS.to_vec());
        let p = Pools::new(1, 0.3);
        assert_eq!(p.villages.len(), 503);
        assert!(p.villages.iter().all(|v| v.ends_with("村委会")));
    }

    #[test]
    fn templates_cover_every_subject_kind() {
        let p = Pools::new(7, 0.3);
        for sk in Sk::ALL {
            assert!(!p.xk_table[sk.idx()].is_empty(), "XK {sk:?}");
            assert!(!p.cf_table[sk.idx()].is_empty(), "CF {sk:?}");
        }
        for t in XK_TPLS {
            assert!(PERMIT_OK.contains(&t.lb));
            assert!(!t.nr.is_empty());
            assert!(!(matches!(t.bh, Bh::Uscc | Bh::Pollutant) && t.who & PERSON != 0), "{}", t.ws);
        }
        for t in CF_TPLS {
            assert!(t.kinds.iter().any(|k| k.0.contains("罚款")), "{}: a BadAmount row needs a 罚款 combination", t.wfxw);
            for (k, _) in t.kinds {
                for part in k.split(';') {
                    assert!(PENALTY_OK.contains(&part), "{part}");
                }
                assert!(!k.contains("没收非法财物") || !t.goods.is_empty(), "{}", t.wfxw);
                assert!(!k.contains("许可证件") || !t.license.is_empty(), "{}", t.wfxw);
            }
        }
    }

    #[test]
    fn departments_have_valid_codes() {
        let deps = departments();
        assert_eq!(deps.len(), 12);
        for (name, code) in &deps {
            let u = Uscc::parse(code).unwrap();
            assert_eq!(&code[..2], "11", "{name}");
            assert_eq!(u.division_code(), "410922");
        }
        // Same construction as the demo organisations (qingfeng::demo::synthetic_uscc("11", 20)).
        assert_eq!(deps[0].0, "清丰县市场监督管理局");
        assert_eq!(&deps[0].1[8..16], "MA100020");
        let set: HashSet<&String> = deps.iter().map(|d| &d.1).collect();
        assert_eq!(set.len(), deps.len());
    }

    #[test]
    fn date_arithmetic_matches_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for day in (-40_000..50_000).step_by(7) {
            let (y, m, d) = civil_from_days(day);
            let c = epoch + chrono::Duration::days(i64::from(day));
            assert_eq!(NaiveDate::from_ymd_opt(y, m, d), Some(c));
            assert_eq!(days_from_civil(y, m, d), day);
        }
        let leap = days_from_civil(2024, 2, 29);
        assert_eq!(civil_from_days(add_years(leap, 1)), (2025, 2, 28));
        assert_eq!(civil_from_days(add_years(leap, 4)), (2028, 2, 29));
    }

    #[test]
    fn number_formatting() {
        let mut s = String::new();
        for (fen, want) in [(500_000, "0.5"), (2_000_000, "2"), (1_234_567, "1.234567"), (5, "0.000005"), (0, "0")] {
            s.clear();
            push_wan_yuan(&mut s, fen);
            assert_eq!(s, want);
            assert_eq!(Fen::from_wan_yuan_str(&s).unwrap().0, fen as i64);
        }
        for (fen, want) in [(500_000, "5000"), (123_450, "1234.5"), (7, "0.07")] {
            s.clear();
            push_yuan(&mut s, fen);
            assert_eq!(s, want);
        }
        s.clear();
        push_num(&mut s, 7, 3);
        assert_eq!(s, "007");
    }

    #[test]
    fn csv_encoding_matches_the_csv_crate() {
        let records: [&[&str]; 4] = [
            &["清丰县", "", "1,000", "a\"b"],
            &["x\ny", "\r", "", "《法》第一条，（二）"],
            &["", "", "", ""],
            &["plain", "2024/03/05", "0.5", "合成演示数据"],
        ];
        let mut mine = Vec::new();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        for r in records {
            push_csv_record(&mut mine, r.iter().copied());
            theirs.write_record(r).unwrap();
        }
        assert_eq!(String::from_utf8(mine).unwrap(), String::from_utf8(theirs.into_inner().unwrap()).unwrap());
    }

    #[test]
    fn deterministic_for_a_seed() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let a = csv_bytes(&opts(kind, 2_000, 0.1, 42));
            let b = csv_bytes(&opts(kind, 2_000, 0.1, 42));
            let c = csv_bytes(&opts(kind, 2_000, 0.1, 43));
            assert_eq!(a, b);
            assert_ne!(a.0, c.0);
        }
    }

    #[test]
    fn header_and_row_count() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let (bytes, stats) = csv_bytes(&opts(kind, 1_234, 0.0, 5));
            let (header, rows) = read(&bytes);
            let want: Vec<String> = standard(kind.zh()).into_iter().map(|c| c.1).collect();
            assert_eq!(header, want);
            assert_eq!(rows.len(), 1_234);
            assert!(rows.iter().all(|r| r.len() == want.len()));
            assert_eq!(stats, GenStats { rows: 1_234, bad_rows: 0, distinct_keys: 1_234 });
            assert!(!String::from_utf8(bytes).unwrap().starts_with('\u{feff}'));
        }
        let (bytes, stats) = csv_bytes(&opts(GenKind::Xk, 0, 0.5, 5));
        assert_eq!(read(&bytes).1.len(), 0);
        assert_eq!(stats, GenStats::default());
    }

    #[test]
    fn clean_output_is_valid_everywhere() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let (bytes, stats) = csv_bytes(&opts(kind, 5_000, 0.0, 9));
            assert_eq!(stats.bad_rows, 0);
            let (_, rows) = read(&bytes);
            let mut persons = 0;
            let mut categories = HashSet::new();
            let mut formats = HashSet::new();
            for row in &rows {
                assert_eq!(problems(kind, row), Vec::<&str>::new(), "{row:?}");
                persons += usize::from(row[LB] == "自然人");
                if !row[SHXYM].is_empty() {
                    categories.insert(row[SHXYM][..2].to_string());
                    assert_eq!(&row[SHXYM][2..8], "410922");
                } else {
                    let id = ResidentId::parse(&row[ZJHM]).unwrap();
                    assert_eq!(id.address_code(), "410922");
                    let born = id.birth_date();
                    assert!(born >= NaiveDate::from_ymd_opt(1940, 1, 1).unwrap());
                    assert!(born <= NaiveDate::from_ymd_opt(2005, 12, 31).unwrap());
                }
                let date = &row[if kind == GenKind::Xk { XK_JDRQ } else { CF_JDRQ }];
                formats.insert(date.len() * 10 + usize::from(date.contains('/')));
                let d = strict_date(date).unwrap();
                assert!(d >= NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() && d <= NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
                assert_eq!(row[row.len() - 1], SYNTHETIC_NOTE);
            }
            assert_eq!(categories, HashSet::from(["91".to_string(), "92".to_string(), "93".to_string()]), "{kind:?}");
            assert_eq!(formats.len(), 3, "slash, dash and compact dates");
            let share = persons as f64 / rows.len() as f64;
            assert!((0.2..0.4).contains(&share), "{share}");
        }
    }

    #[test]
    fn xk_and_cf_fields_look_right() {
        let (bytes, _) = csv_bytes(&opts(GenKind::Xk, 3_000, 0.0, 11));
        let (_, rows) = read(&bytes);
        let long = rows.iter().filter(|r| r[XK_YXQZI].replace(['/', '-'], "") == "20991231").count();
        assert!(long > 0 && long < rows.len());
        for r in &rows {
            assert_eq!(r[XK_ZT], "1");
            assert_eq!(r[XK_XKJG], r[XK_LYDW]);
            assert_eq!(r[XK_YXQZ], r[XK_JDRQ]);
            assert!(r[XK_WSH].contains('〔') && r[XK_WSH].ends_with('号'));
        }
        let (bytes, _) = csv_bytes(&opts(GenKind::Cf, 3_000, 0.0, 11));
        let (_, rows) = read(&bytes);
        let mut decimals = HashSet::new();
        let mut combos = 0;
        for r in &rows {
            let fined = r[CF_CFLB].split(';').any(|k| k == "罚款");
            assert_eq!(fined, !r[CF_FK].is_empty(), "{r:?}");
            if fined {
                decimals.insert(r[CF_FK].split('.').nth(1).map_or(0, str::len));
                let fen = Fen::from_wan_yuan_str(&r[CF_FK]).unwrap().0;
                assert!(fen > 0);
                assert!(r[CF_NR].contains("罚款人民币"));
            }
            combos += usize::from(r[CF_CFLB].contains(';'));
            assert!(r[CF_GSJZQ].is_empty());
            let d = strict_date(&r[CF_JDRQ]).unwrap();
            let to = strict_date(&r[CF_YXQ]).unwrap();
            assert!(to > d && (to - d).num_days() >= 365 && (to - d).num_days() <= 366);
            assert!(r[CF_YJ].starts_with('《'));
        }
        assert!(combos > 0);
        assert!(decimals.contains(&0) && decimals.len() >= 4, "{decimals:?}");
    }

    #[test]
    fn bad_rows_are_counted_and_reproducible() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let (bytes, stats) = csv_bytes(&opts(kind, 10_000, 0.1, 2024));
            assert!((850..=1150).contains(&stats.bad_rows), "{kind:?} {stats:?}");
            assert_eq!(stats.distinct_keys, stats.rows - stats.bad_rows);
            let (_, rows) = read(&bytes);
            let mut failing = 0;
            let mut by_kind: HashMap<&str, u64> = HashMap::new();
            for row in &rows {
                let p = problems(kind, row);
                assert!(p.len() <= 1, "one defect per bad row: {p:?} {row:?}");
                if let Some(k) = p.first() {
                    failing += 1;
                    *by_kind.entry(k).or_default() += 1;
                }
            }
            assert_eq!(failing, stats.bad_rows, "{kind:?}");
            let want: &[&str] = match kind {
                GenKind::Xk => &["uscc", "id", "name", "doc_no", "date", "validity_order", "category"],
                _ => &["uscc", "id", "name", "doc_no", "date", "amount", "category"],
            };
            for k in want {
                assert!(by_kind.get(k).copied().unwrap_or(0) > 20, "{kind:?} {k}: {by_kind:?}");
            }
        }
    }

    #[test]
    fn doc_numbers_and_natural_keys_are_unique() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let (bytes, stats) = csv_bytes(&opts(kind, 20_000, 0.05, 3));
            let (_, rows) = read(&bytes);
            let (doc, dept) = match kind {
                GenKind::Xk => (XK_WSH, XK_LYDWDM),
                _ => (CF_WSH, CF_SJLYDM),
            };
            let mut docs = HashSet::new();
            let mut keys = HashSet::new();
            for r in rows.iter().filter(|r| problems(kind, r).is_empty()) {
                assert!(docs.insert(r[doc].clone()), "duplicate {}", r[doc]);
                let subject = if r[SHXYM].is_empty() { &r[ZJHM] } else { &r[SHXYM] };
                keys.insert((r[dept].clone(), r[doc].clone(), subject.clone()));
            }
            assert_eq!(keys.len() as u64, stats.distinct_keys);
        }
    }

    #[test]
    fn subjects_recur_and_are_consistent() {
        let o = GenOptions { kind: GenKind::Cf, records: 40_000, bad_share: 0.0, seed: 8, person_share: 0.3, subjects: 2_000 };
        let (bytes, _) = csv_bytes(&o);
        let (_, rows) = read(&bytes);
        let mut subjects: HashMap<String, (String, String)> = HashMap::new();
        let mut names = HashSet::new();
        for r in &rows {
            let code = if r[SHXYM].is_empty() { r[ZJHM].clone() } else { r[SHXYM].clone() };
            let entry = subjects.entry(code).or_insert_with(|| (r[MC].clone(), r[LB].clone()));
            assert_eq!(entry, &(r[MC].clone(), r[LB].clone()), "a code always has the same subject");
            if r[LB] != "自然人" {
                names.insert(r[MC].clone());
            }
        }
        // 40k draws over 2,000 subjects: all but a handful (e^-20) are drawn, ~20 rows each.
        assert!(subjects.len() >= 1_990 && subjects.len() <= 2_000, "{}", subjects.len());
        let orgs = subjects.values().filter(|s| s.1 != "自然人").count();
        assert!(names.len() * 100 >= orgs * 97, "names mostly distinct: {} of {orgs}", names.len());
        // The same seed gives the same subject pool in the XK file.
        let (bytes, _) = csv_bytes(&GenOptions { kind: GenKind::Xk, ..o });
        let (_, xk_rows) = read(&bytes);
        for r in xk_rows.iter().take(500) {
            let code = if r[SHXYM].is_empty() { &r[ZJHM] } else { &r[SHXYM] };
            assert_eq!(subjects.get(code).map(|s| &s.0), Some(&r[MC]));
        }
    }

    #[test]
    fn jsonl_has_the_same_rows_keyed_by_code() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let o = opts(kind, 500, 0.2, 77);
            let (bytes, stats) = csv_bytes(&o);
            let (_, rows) = read(&bytes);
            let mut out = Vec::new();
            let jstats = write_jsonl(&mut out, &o).unwrap();
            assert_eq!(stats, jstats);
            let text = String::from_utf8(out).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), rows.len());
            for (line, row) in lines.iter().zip(&rows) {
                let v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
                assert_eq!(v.len(), columns(kind).len());
                for ((code, _), value) in columns(kind).iter().zip(row) {
                    assert_eq!(v[*code].as_str(), Some(value.as_str()), "{code}");
                }
            }
        }
        let mut buf = Vec::new();
        push_json_str(&mut buf, "a\"b\\c\n\u{1}清");
        assert_eq!(serde_json::from_slice::<String>(&buf).unwrap(), "a\"b\\c\n\u{1}清");
    }

    #[test]
    fn invalid_shares_are_refused() {
        for (bad, person) in [(1.5, 0.3), (-0.1, 0.3), (0.1, f64::NAN), (0.0, 2.0)] {
            let o = GenOptions { bad_share: bad, person_share: person, ..GenOptions::new(GenKind::Xk, 10) };
            assert_eq!(write_csv(Vec::new(), &o).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        }
        // All bad, all persons: still one defect per row.
        let o = GenOptions { bad_share: 1.0, person_share: 1.0, ..GenOptions::new(GenKind::Cf, 300) };
        let (bytes, stats) = csv_bytes(&o);
        assert_eq!(stats.bad_rows, 300);
        let (_, rows) = read(&bytes);
        assert!(rows.iter().all(|r| problems(GenKind::Cf, r).len() == 1));
    }

    #[test]
    fn timing_200k_rows() {
        for kind in [GenKind::Xk, GenKind::Cf] {
            let o = opts(kind, 200_000, 0.01, 1);
            let start = Instant::now();
            let stats = write_csv(io::sink(), &o).unwrap();
            let secs = start.elapsed().as_secs_f64();
            let mut counter = Counter(0);
            write_csv(&mut counter, &o).unwrap();
            println!(
                "generate {kind:?}: {} rows in {secs:.3} s = {:.0} rows/s, {:.0} bytes/row (print only, not asserted)",
                stats.rows,
                stats.rows as f64 / secs,
                counter.0 as f64 / stats.rows as f64
            );
            let start = Instant::now();
            write_jsonl(io::sink(), &o).unwrap();
            let secs = start.elapsed().as_secs_f64();
            println!("generate {kind:?} JSONL: {:.0} rows/s (print only, not asserted)", stats.rows as f64 / secs);
        }
    }

    struct Counter(u64);

    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
