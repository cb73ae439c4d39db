//! 部门职责 and 公共服务 in real Chromium on a 390×844 phone window, on each configured
//! database: from the portal home to the department list, one department, one of its
//! services (with its 好差评 link); then a department's staff member edits the profile
//! and the public page shows it. Screenshots: `portal-departments-390x844.png`,
//! `portal-services-390x844.png`,
//! `portal-department-390x844.png`, `portal-service-390x844.png`,
//! `portal-department-edit-390x844.png`, `portal-service-edit-390x844.png` in
//! `target/screenshots/`.

use fantoccini::{Client, Locator};

use crate::browser::{browser, fits_the_phone, shot, sign_in};
use crate::harness::TestApp;

async fn height(b: &Client, css: &str) -> f64 {
    let h = b.execute(&format!("return document.querySelector(\"{css}\").getBoundingClientRect().height"), vec![]).await.unwrap();
    h.as_f64().unwrap()
}

#[tokio::test]
async fn departments_to_a_service_and_a_profile_edit() {
    for tdb in qingfeng_platform::testing::all().await.unwrap() {
        let Some((b, _driver)) = browser().await else { return };
        let app = TestApp::start(tdb).await;
        let be = app.backend;
        b.set_window_size(390, 844).await.unwrap();

        // Home → 部门职责 tile → the list.
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-departments")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("department-list")).await.unwrap();
        let rows = b.find_all(Locator::Css("#department-list li a")).await.unwrap();
        assert_eq!(rows.len(), 20, "{be}: the first page of the 26 departments");
        assert!(height(&b, "#department-list li a").await >= 44.0, "{be}: rows are touch targets");
        fits_the_phone(&b, "the department list").await;
        shot(&b, "portal-departments").await;

        // Search, then a department.
        b.find(Locator::Id("dept-q")).await.unwrap().send_keys("市场监督").await.unwrap();
        b.find(Locator::Id("dept-search")).await.unwrap().click().await.unwrap();
        // The first page's rows match the selector too: wait for the results page itself.
        for _ in 0..100 {
            if b.current_url().await.unwrap().query().is_some_and(|q| q.contains("q=")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        b.wait().for_element(Locator::Css("#department-list li a[href^='/portal/departments/']")).await.unwrap();
        let found = b.find_all(Locator::Css("#department-list li a")).await.unwrap();
        assert_eq!(found.len(), 1, "{be}");
        found[0].click().await.unwrap();
        b.wait().for_element(Locator::Id("department")).await.unwrap();
        let h1 = b.find(Locator::Css("#department h1")).await.unwrap().text().await.unwrap();
        assert!(h1.starts_with("清丰县市场监督管理局") && h1.contains("演示"), "{be}: {h1}");
        assert!(height(&b, "#dept-phone").await >= 44.0, "{be}: the phone link is a touch target");
        fits_the_phone(&b, "a department").await;
        shot(&b, "portal-department").await;

        // One of its services.
        let services = b.find_all(Locator::Css("#department-services li a")).await.unwrap();
        assert_eq!(services.len(), 3, "{be}");
        services[0].click().await.unwrap();
        b.wait().for_element(Locator::Id("service")).await.unwrap();
        let rate = b.find(Locator::Id("service-rate")).await.unwrap();
        let href = rate.attr("href").await.unwrap().unwrap();
        let id = b.current_url().await.unwrap().path().trim_start_matches("/portal/services/").to_string();
        assert_eq!(href, format!("/portal/ratings/new?service={id}"), "{be}");
        assert!(height(&b, "#service-rate").await >= 44.0, "{be}");
        assert!(!b.find_all(Locator::Css("#service-materials li")).await.unwrap().is_empty(), "{be}");
        fits_the_phone(&b, "a service guide").await;
        shot(&b, "portal-service").await;
        b.find(Locator::Id("service-dept")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("department")).await.unwrap();

        // The 公共服务 tile: filter by type with the form (no JavaScript needed).
        b.goto(&app.url("/portal")).await.unwrap();
        b.find(Locator::Id("module-public_services")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("service-filter")).await.unwrap();
        b.find(Locator::Id("service-type")).await.unwrap().select_by_value("01").await.unwrap();
        b.find(Locator::Id("service-search")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Css("#service-type option[value='01'][selected]")).await.unwrap();
        assert_eq!(b.find_all(Locator::Css("#service-list li a")).await.unwrap().len(), 2, "{be}: the two demo 行政许可 guides");
        fits_the_phone(&b, "the service list").await;
        shot(&b, "portal-services").await;

        // A market-regulation staff member edits the profile from the phone.
        sign_in(&b, &app, "scjg").await;
        b.goto(&app.url("/console/portal/departments")).await.unwrap();
        let mine = b.find_all(Locator::Css("#console-departments li a")).await.unwrap();
        assert_eq!(mine.len(), 1, "{be}: only their own department");
        mine[0].click().await.unwrap();
        b.wait().for_element(Locator::Id("profile-form")).await.unwrap();
        let phone = b.find(Locator::Id("phone")).await.unwrap();
        phone.clear().await.unwrap();
        phone.send_keys("12345").await.unwrap();
        b.find(Locator::Id("profile-submit")).await.unwrap().click().await.unwrap();
        let err = b.wait().for_element(Locator::Id("form-error")).await.unwrap();
        assert_eq!(err.attr("data-code").await.unwrap().as_deref(), Some("portal.department_phone"), "{be}");
        let phone = b.find(Locator::Id("phone")).await.unwrap();
        phone.clear().await.unwrap();
        phone.send_keys("0393 1000188").await.unwrap();
        let duties = b.find(Locator::Id("duties")).await.unwrap();
        duties.clear().await.unwrap();
        duties.send_keys("负责本县市场主体登记（浏览器测试修改）。").await.unwrap();
        b.find(Locator::Id("profile-submit")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("saved")).await.unwrap();
        fits_the_phone(&b, "the profile form").await;
        shot(&b, "portal-department-edit").await;
        b.find(Locator::Css("a[href^='/portal/departments/']")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Id("department-duties")).await.unwrap();
        let duties = b.find(Locator::Id("department-duties")).await.unwrap().text().await.unwrap();
        assert!(duties.contains("负责本县市场主体登记（浏览器测试修改）。"), "{be}: {duties}");
        assert_eq!(b.find(Locator::Id("dept-phone")).await.unwrap().text().await.unwrap(), "0393-1000188", "{be}");

        // The guide form fits the phone too, and answers a §6.2 rule in Chinese.
        b.goto(&app.url("/console/portal/services/new")).await.unwrap();
        b.find(Locator::Id("name")).await.unwrap().send_keys("浏览器测试事项").await.unwrap();
        b.find(Locator::Id("legal_days")).await.unwrap().send_keys("10").await.unwrap();
        b.find(Locator::Id("promised_days")).await.unwrap().send_keys("3").await.unwrap();
        b.find(Locator::Id("phone")).await.unwrap().send_keys("0393-1000102").await.unwrap();
        // Scroll the box clear of the sticky header, as a thumb would, and untick it.
        b.execute("document.getElementById('form_online').scrollIntoView({block: 'center'})", vec![]).await.unwrap();
        b.find(Locator::Id("form_online")).await.unwrap().click().await.unwrap();
        b.find(Locator::Id("service-submit")).await.unwrap().click().await.unwrap();
        let err = b.wait().for_element(Locator::Id("form-error")).await.unwrap();
        assert_eq!(err.attr("data-code").await.unwrap().as_deref(), Some("portal.service_forms"), "{be}");
        fits_the_phone(&b, "the guide form").await;
        shot(&b, "portal-service-edit").await;

        b.close().await.unwrap();
        app.stop().await;
    }
}
