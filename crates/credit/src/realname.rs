//! 实名认证 Real-name authentication before a person sees their own credit profile.
//!
//! Knowing a name and an ID number is not proof of being that person: a deployment
//! that opens `/credit/me` to the public should put a real-name check in front of it —
//! an SMS code to the phone registered for the ID, 电子社保卡, or a provincial
//! 实名认证 service. Each is an integration with an outside service under contract, so
//! none ships with this build. [`RealNameProvider`] is the point where one plugs in, and
//! the configuration key `real_name_provider` names it; empty means none integrated, and
//! the page says so plainly. A configured name this build does not know is refused, never
//! silently downgraded to name + ID only.

use qingfeng_core::ResidentId;
use qingfeng_platform::AppError;

/// A real-name authentication service (SMS, 电子社保卡, provincial 实名认证平台…).
pub trait RealNameProvider: Send + Sync {
    /// The configuration value that selects it.
    fn key(&self) -> &'static str;
    /// 中文 name shown on the page.
    fn zh(&self) -> &'static str;
    /// Does `evidence` (the code or token the person brought back from the provider)
    /// prove that the person asking is `name` holding `id`?
    fn verify(&self, name: &str, id: &ResidentId, evidence: &str) -> Result<bool, AppError>;
}

/// The providers this build integrates: none (see the module documentation).
const PROVIDERS: &[&dyn RealNameProvider] = &[];

/// How a person is identified on `/credit/me`.
pub enum Identification {
    /// Name + ID number only, throttled; no real-name provider is integrated.
    NameAndIdOnly,
    Provider(&'static dyn RealNameProvider),
}

/// The identification the configuration asks for (`real_name_provider`).
pub fn configured(key: &str) -> Result<Identification, AppError> {
    let key = key.trim();
    if key.is_empty() {
        return Ok(Identification::NameAndIdOnly);
    }
    PROVIDERS.iter().find(|p| p.key() == key).map(|p| Identification::Provider(*p)).ok_or_else(|| {
        AppError::unavailable(
            "credit.real_name_unavailable",
            format!("已配置实名认证服务“{key}”，但本版本未接入该服务，暂不能查询本人信用信息"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_means_name_and_id_only_and_unknown_providers_are_refused() {
        assert!(matches!(configured(" ").unwrap(), Identification::NameAndIdOnly));
        let e = configured("sms").err().unwrap();
        assert_eq!(e.code, "credit.real_name_unavailable");
        assert!(e.message.contains("sms"));
    }
}
