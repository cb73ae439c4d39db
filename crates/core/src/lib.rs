//! 清丰 Qingfeng core: pure building blocks with no I/O.
//!
//! * [`Uscc`] 统一社会信用代码, [`ResidentId`] 公民身份号码, [`DivisionCode`] 行政区划代码 —
//!   parsed once at the edge ("parse, don't validate").
//! * [`Fen`] money in 分, parsed exactly from 元/万元 decimal strings.
//! * [`HolidayCalendar`] the working-day calendar as data, and [`due_date`], the one
//!   deadline calculator.
//! * [`validate`] the line-oriented checker behind `qingfeng validate`.
//!
//! Errors carry a stable machine code ([`codes`]) and a Chinese message.

pub mod calendar;
pub mod deadline;
pub mod division;
pub mod error;
pub mod money;
pub mod phone;
pub mod resident_id;
pub mod uscc;
pub mod validate;

pub use calendar::{CalendarDay, CalendarError, DayKind, HolidayCalendar};
pub use deadline::{CHINA_STANDARD_TIME, Deadline, DeadlineStatus, Period, due_date};
pub use division::{DivisionCode, DivisionLevel};
pub use error::{IdError, Warning, codes};
pub use money::Fen;
pub use phone::Phone;
pub use resident_id::{ResidentId, Sex, id_check_char};
pub use uscc::{Uscc, UsccCategory, compose_uscc, gb11714_check_char, uscc_check_char};
