//! The command line: validate, audit verify, users, backup and restore.

use std::process::Command;

fn qingfeng() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_qingfeng"));
    c.env_remove("QINGFENG_DATABASE_URL").env_remove("QINGFENG_DATA_DIR");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn validate_gives_the_domain_verdicts() {
    // DOMAIN.md §11 and §2.1–2.2.
    let (code, out, _) =
        run(qingfeng().args(["validate", "uscc", "91350100M000100Y43", "91320100748204660Q", "91410922MA40AB121G", "11320100MB1886843H"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().all(|l| l.ends_with("\tok")), "{out}");
    let (code, out, _) = run(qingfeng().args(["validate", "uscc", "91350100M000100Y4Z", "91310115MA1H8R7C6D", "91320100748204660Q"]));
    assert_eq!(code, 1);
    let lines: Vec<_> = out.lines().collect();
    assert!(lines[0].starts_with("91350100M000100Y4Z\terror\t"), "{out}");
    assert!(lines[1].starts_with("91310115MA1H8R7C6D\terror\t"), "{out}");
    assert_eq!(lines[1].split('\t').count(), 4, "VALUE<TAB>error<TAB>CODE<TAB>说明");
    assert_eq!(lines[2], "91320100748204660Q\tok");
    // Pilot-era codes: rejected strictly, accepted leniently with a warning code.
    let (code, _, _) = run(qingfeng().args(["validate", "uscc", "91350100M0001TGQXM"]));
    assert_eq!(code, 1);
    let (code, out, _) = run(qingfeng().args(["validate", "--lenient", "uscc", "91350100M0001TGQXM"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("check_digit_mismatch"), "{out}");

    let (code, out, _) =
        run(qingfeng().args(["validate", "id", "11010519491231002X", "440524188001010014", "410922195001010013", "41092219450315002x"]));
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(qingfeng().args(["validate", "id", "410922195001010014", "410922195002300013"]));
    assert_eq!(code, 1);
    assert!(out.lines().all(|l| l.contains("\terror\t")), "{out}");

    let (code, out, _) = run(qingfeng().args(["validate", "division", "410922", "410922100", "410922100201", "41", "4109"]));
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(qingfeng().args(["validate", "division", "4109221"]));
    assert_eq!(code, 1, "{out}");
    let (code, _, err) = run(qingfeng().args(["validate", "phone", "123"]));
    assert_ne!(code, 0);
    assert!(err.contains("未知的校验类型"));
}

#[test]
fn users_audit_backup_and_restore_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "migrate"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) =
        run(qingfeng().args(["--data-dir", d, "user", "add", "--username", "ops", "--name", "运维", "--role", "system_admin"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("初始密码"));
    let (code, _, err) =
        run(qingfeng().args(["--data-dir", d, "user", "add", "--username", "ops", "--name", "运维", "--role", "system_admin"]));
    assert_eq!(code, 1);
    assert!(err.contains("已被使用"), "{err}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "user", "add", "--username", "x1", "--name", "某", "--role", "king"]));
    assert_eq!(code, 1);
    assert!(err.contains("未知角色"), "{err}");
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "user", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("ops\t运维\tsystem_admin"), "{out}");
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "config"]));
    assert_eq!(code, 0);
    assert!(out.contains("county_code = \"410922\""), "{out}");

    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("审计链完整"));

    let backup = dir.path().join("backup.db");
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "backup", "--to", backup.to_str().unwrap()]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "backup", "--to", backup.to_str().unwrap()]));
    assert_eq!(code, 1, "never overwrites: {err}");

    // Tamper with the live database: verify names the entry and fails.
    let db_path = dir.path().join("qingfeng.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = qingfeng_platform::Db::connect(&format!("sqlite://{}", db_path.display())).await.unwrap();
        if let qingfeng_platform::Db::Sqlite(p) = &db {
            sqlx::query("UPDATE audit_log SET actor = 'system:nobody' WHERE seq = 2").execute(p).await.unwrap();
        }
        db.close().await;
    });
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "audit", "verify"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("#2\taudit.edited"), "{out}");

    // Restore refuses to overwrite without --force, then brings the intact chain back.
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "restore", "--from", backup.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(err.contains("--force"), "{err}");
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "restore", "--from", backup.to_str().unwrap(), "--force"]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "audit", "verify"]));
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "user", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("ops"));
    // A file that is not a backup is refused.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let (code, _, _) = run(qingfeng().args(["--data-dir", d, "restore", "--from", junk.to_str().unwrap(), "--force"]));
    assert_eq!(code, 1);
}
