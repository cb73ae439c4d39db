//! Journeys in real Chromium (through chromedriver) on a phone-sized window.
//! CI sets `QINGFENG_REQUIRE_BROWSER=1`, which turns a missing browser into a failure;
//! elsewhere the test is skipped with a message.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::harness::{PW, TestApp};

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(bin: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|p| p.join(bin)).find(|p| p.is_file()))
}

/// Screenshots go to `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A Chromium session on a 390×844 window, or `None` (skip) when no browser is installed.
pub async fn browser() -> Option<(fantoccini::Client, Driver)> {
    let required = std::env::var("QINGFENG_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(driver), Some(chromium)) = (find("chromedriver"), find("chromium").or_else(|| find("chromium-browser"))) else {
        assert!(!required, "QINGFENG_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed");
        eprintln!("SKIP browser test: chromium and chromedriver not found (apt-get install chromium chromium-driver)");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(driver).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let guard = Driver(child);
    let profile = tempfile::tempdir().unwrap().keep();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=390,844", "--lang=zh-CN", format!("--user-data-dir={}", profile.display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(conn).capabilities(caps.clone()).connect(&url).await {
            Ok(c) => return Some((c, guard)),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not start on {url}");
}

/// Save the window as `target/screenshots/{name}-390x844.png`.
pub async fn shot(b: &fantoccini::Client, name: &str) {
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join(format!("{name}-390x844.png")), png).unwrap();
}

/// Click `button` and wait until the page it submits has replaced this one and shows `ready`.
pub async fn submit_and_wait(b: &fantoccini::Client, button: Locator<'_>, ready: Locator<'_>) {
    let old = b.find(Locator::Css("body")).await.unwrap();
    b.find(button).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if old.text().await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    b.wait().for_element(ready).await.unwrap();
}

#[tokio::test]
async fn staff_sign_in_on_a_phone_reaches_the_dashboard() {
    let Some((b, _driver)) = browser().await else { return };
    let app = TestApp::start(qingfeng_platform::testing::sqlite().await.unwrap()).await;
    b.set_window_size(390, 844).await.unwrap();
    b.goto(&app.url("/")).await.unwrap();
    let shots = screenshot_dir();
    std::fs::write(shots.join("home-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.goto(&app.url("/login")).await.unwrap();
    std::fs::write(shots.join("login-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.find(Locator::Id("username")).await.unwrap().send_keys("chengguan").await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PW).await.unwrap();
    b.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    let dash = b.wait().for_element(Locator::Id("dashboard")).await.unwrap();
    let text = dash.text().await.unwrap();
    assert!(text.contains("城关镇"), "{text}");
    assert!(b.current_url().await.unwrap().path().ends_with("/console"));
    // The page fits the phone: nothing wider than the window.
    let width = b.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 390, "page is {width}px wide on a 390px window");
    std::fs::write(shots.join("dashboard-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.goto(&app.url("/console/grids")).await.unwrap();
    std::fs::write(shots.join("grids-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    // The English switch keeps the person on the page they were reading.
    b.find(Locator::Css("a.lang")).await.unwrap().click().await.unwrap();
    let heading = b.wait().for_element(Locator::Css("nav.crumbs")).await.unwrap().text().await.unwrap();
    assert!(heading.contains("Console") && heading.contains("Grids"), "{heading}");
    std::fs::write(shots.join("grids-en-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.goto(&app.url("/console/grids/999999")).await.unwrap();
    std::fs::write(shots.join("error-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    // Back in Chinese, sign out and in as the county administrator: the accounts page.
    b.goto(&app.url("/lang/zh?next=/console")).await.unwrap();
    b.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    // Signing out lands on the home page; wait for it before going on.
    b.wait().for_element(Locator::Css("section.hero")).await.unwrap();
    b.goto(&app.url("/login")).await.unwrap();
    b.find(Locator::Id("username")).await.unwrap().send_keys("county").await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PW).await.unwrap();
    b.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("dashboard")).await.unwrap();
    b.goto(&app.url("/console/users")).await.unwrap();
    let width = b.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 390, "accounts page is {width}px wide");
    std::fs::write(shots.join("users-390x844.png"), b.screenshot().await.unwrap()).unwrap();
    b.close().await.unwrap();
    app.stop().await;
}

/// The page fits a 390px phone window: nothing wider than the window, nor than the room
/// beside the scroll bar (no sideways scrolling at all).
pub async fn fits_the_phone(b: &Client, what: &str) {
    let width = b.execute("return document.documentElement.scrollWidth", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 390, "{what} is {width}px wide on a 390px window");
    let room = b.execute("return document.documentElement.clientWidth", vec![]).await.unwrap();
    assert!(width.as_i64() <= room.as_i64(), "{what} is {width}px wide in {room}px");
}

/// Sign in as `user` from the login form (signing out first if someone is signed in).
pub async fn sign_in(b: &Client, app: &TestApp, user: &str) {
    b.goto(&app.url("/login")).await.unwrap();
    if b.find(Locator::Css("form[action='/logout'] button")).await.is_ok() {
        b.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
        b.wait().for_element(Locator::Css("section.hero")).await.unwrap();
        b.goto(&app.url("/login")).await.unwrap();
    }
    b.find(Locator::Id("username")).await.unwrap().send_keys(user).await.unwrap();
    b.find(Locator::Id("password")).await.unwrap().send_keys(PW).await.unwrap();
    b.find(Locator::Id("login-submit")).await.unwrap().click().await.unwrap();
    b.wait().for_element(Locator::Id("dashboard")).await.unwrap();
}
