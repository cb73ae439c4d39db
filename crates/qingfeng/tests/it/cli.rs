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
    // The note about what the backup does not hold: the personal-data key and attachments.
    let key = dir.path().join("keys").join("pii.key");
    assert!(out.contains(&format!("个人信息密钥文件 {}", key.display())) && out.contains("NOT included"), "{out}");
    assert!(out.contains(&dir.path().join("attachments").display().to_string()), "{out}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "backup", "--to", backup.to_str().unwrap()]));
    assert_eq!(code, 1, "never overwrites: {err}");

    // Tamper with the live database (after dropping the append-only triggers, as only a
    // DBA could): verify names the entry and fails.
    let db_path = dir.path().join("qingfeng.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = qingfeng_platform::Db::connect(&format!("sqlite://{}", db_path.display())).await.unwrap();
        if let qingfeng_platform::Db::Sqlite(p) = &db {
            let refused = sqlx::query("UPDATE audit_log SET actor = 'system:nobody' WHERE seq = 2").execute(p).await.unwrap_err();
            assert!(refused.to_string().contains("append-only"), "{refused}");
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(p).await.unwrap();
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

#[test]
fn restore_goes_into_the_configured_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let live = dir.path().join("custom.db");
    std::fs::write(dir.path().join("qingfeng.toml"), format!("database_url = \"sqlite://{}\"\n", live.display())).unwrap();
    let (code, out, err) =
        run(qingfeng().args(["--data-dir", d, "user", "add", "--username", "ops", "--name", "运维", "--role", "system_admin"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(live.is_file());
    let backup = dir.path().join("backup.db");
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "backup", "--to", backup.to_str().unwrap()]));
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "restore", "--from", backup.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(err.contains("custom.db") && err.contains("--force"), "{err}");
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "restore", "--from", backup.to_str().unwrap(), "--force"]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(&format!("→ {}", live.display())), "{out}");
    assert!(!dir.path().join("qingfeng.db").exists(), "nothing restored beside the configured file");
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().starts_with("custom.db.before-restore-"));
    assert!(kept, "the previous database is kept");
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "user", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("ops"), "{out}");
}

#[test]
fn demo_data_is_refused_on_a_database_with_real_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, out, err) =
        run(qingfeng().args(["--data-dir", d, "user", "add", "--username", "ops", "--name", "运维", "--role", "system_admin"]));
    assert_eq!(code, 0, "{out}{err}");
    let mut child = qingfeng()
        .args(["--data-dir", d, "serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The server must stop by itself; never let the test hang on it.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`serve --demo` kept running on a database with real accounts");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!status.success(), "{err}");
    assert!(err.contains("--demo 只能用于演示库或空库") && err.contains("正式（非演示）账号"), "{err}");
    // Not one demo account was created.
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "user", "list"]));
    assert_eq!(code, 0);
    assert!(out.contains("ops") && !out.contains("grid01") && !out.contains("\tadmin\t"), "{out}");
}

/// On PostgreSQL, `backup` and `restore` run pg_dump/pg_restore with the password in
/// `PGPASSWORD`, never on the command line. Stand-ins first on PATH record what they got.
#[cfg(unix)]
#[test]
fn backup_and_restore_on_postgres_keep_the_password_off_the_command_line() {
    use std::os::unix::fs::PermissionsExt;
    let Some(base) = qingfeng_platform::testing::postgres_url() else { return };
    let real =
        |name: &str| std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).map(|d| d.join(name)).find(|p| p.is_file());
    let (Some(pg_dump), Some(pg_restore)) = (real("pg_dump"), real("pg_restore")) else {
        eprintln!("pg_dump/pg_restore not installed: skipped");
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let tdb = rt.block_on(qingfeng_platform::testing::postgres(&base)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for (name, target) in [("pg_dump", &pg_dump), ("pg_restore", &pg_restore)] {
        let log = dir.path().join(format!("{name}.log"));
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}'\nprintf 'PGPASSWORD=%s\\n' \"$PGPASSWORD\" >> '{log}'\nexec '{target}' \"$@\"\n",
            log = log.display(),
            target = target.display()
        );
        let path = bin.join(name);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path =
        std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())))
            .unwrap();
    let pg = |args: &[&str]| {
        let mut c = qingfeng();
        c.env("QINGFENG_DATABASE_URL", &tdb.url).env("PATH", &path).env_remove("PGPASSWORD").arg("--data-dir").arg(d).args(args);
        run(&mut c)
    };
    let password = tdb.url.split_once("://").and_then(|(_, rest)| rest.split_once('@')).and_then(|(cred, _)| cred.split_once(':'));
    let (code, out, err) = pg(&["user", "add", "--username", "ops", "--name", "运维", "--role", "system_admin"]);
    assert_eq!(code, 0, "{out}{err}");

    let dump = dir.path().join("qingfeng.dump");
    let (code, out, err) = pg(&["backup", "--to", dump.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(dump.is_file() && out.contains("pg_dump") && out.contains("NOT included"), "{out}");
    let (code, out, err) = pg(&["user", "add", "--username", "later", "--name", "后加", "--role", "dept_staff"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = pg(&["restore", "--from", dump.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, _) = pg(&["user", "list"]);
    assert_eq!(code, 0);
    assert!(out.contains("ops") && !out.contains("later"), "{out}");
    let (code, out, _) = pg(&["audit", "verify"]);
    assert_eq!(code, 0, "{out}");

    for name in ["pg_dump", "pg_restore"] {
        let log = std::fs::read_to_string(dir.path().join(format!("{name}.log"))).unwrap();
        let (args, env) = log.rsplit_once("PGPASSWORD=").unwrap();
        assert!(args.contains("postgres"), "{name} got the database URL: {args}");
        if let Some((user, pw)) = password {
            assert!(
                !args.contains(&format!("{user}:{pw}@")) && !args.contains("password"),
                "{name} got the password on its command line: {args}"
            );
            assert_eq!(env.trim_end(), pw, "{name} gets the password through PGPASSWORD");
        }
    }
}

#[test]
fn configuration_layers_file_then_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("qingfeng.toml"), "bind = \"127.0.0.1:9001\"\nsession_hours = 4\n").unwrap();
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "config"]));
    assert_eq!(code, 0);
    assert!(out.contains("bind = \"127.0.0.1:9001\"") && out.contains("session_hours = 4"), "{out}");
    // The environment wins over the file; secrets are masked.
    let (code, out, _) = run(qingfeng()
        .args(["--data-dir", d, "config"])
        .env("QINGFENG_BIND", "0.0.0.0:9002")
        .env("QINGFENG_DATABASE_URL", "postgres://qf:s3cret@db.example:5432/qf"));
    assert_eq!(code, 0);
    assert!(out.contains("bind = \"0.0.0.0:9002\""), "{out}");
    assert!(out.contains("postgres://qf:***@db.example:5432/qf") && !out.contains("s3cret"), "{out}");
    // A bad file is a Chinese error, not a panic.
    std::fs::write(dir.path().join("qingfeng.toml"), "session_hours = \"many\"\n").unwrap();
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "config"]));
    assert_eq!(code, 1);
    assert!(err.contains("配置错误"), "{err}");
}

/// The fixture below is TEST DATA with made-up dates for a year no notice covers yet;
/// it is not an official arrangement and is never shipped.
const TEST_CALENDAR_2031: &str = "date,kind,name,source\n2031-01-01,holiday,元旦,TEST DATA (not an official notice)\n2031-10-01,holiday,国庆节,TEST DATA (not an official notice)\n2031-10-11,workday,国庆节调休上班,TEST DATA (not an official notice)\n";

#[test]
fn an_administrator_loads_a_later_years_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let good = dir.path().join("2031.csv");
    std::fs::write(&good, TEST_CALENDAR_2031).unwrap();
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "calendar", "import", good.to_str().unwrap()]));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("read=3 stored=3") && out.contains("2031"), "{out}");
    // A bad row rejects the whole file with its line number, and stores nothing.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "date,kind,name,source\n2032-01-01,holiday,元旦,x\n2032-13-01,holiday,坏日期,x\n").unwrap();
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "calendar", "import", bad.to_str().unwrap()]));
    assert_eq!(code, 1);
    assert!(err.contains("第 3 行"), "{err}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let years = rt.block_on(async {
        let db = qingfeng_platform::Db::connect(&format!("sqlite://{}", dir.path().join("qingfeng.db").display())).await.unwrap();
        let cal = qingfeng_platform::calendar::load(&db).await.unwrap();
        db.close().await;
        cal.covered_years()
    });
    assert!(years.contains(&2031) && !years.contains(&2032), "{years:?}");
    assert!(years.contains(&2026), "the built-in years stay");
}

fn test_uscc(prefix2: &str, body8: &str) -> String {
    qingfeng_core::compose_uscc(prefix2, "410922", body8).unwrap()
}

#[test]
fn credit_import_from_the_command_line_reconciles_and_writes_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let dept = test_uscc("11", "MB000001");
    let firm = test_uscc("91", "MA40AB12");
    // Field codes as the header, in a different order from the standard, plus a column it does not know.
    let header = "CF_WSH,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM,内部编号";
    let row = |doc: &str, code: &str, amount: &str| {
        format!(
            "{doc},清丰县鑫源建材有限公司,法人及非法人组织,{code},无证经营,无证经营食品,《食品安全法》第一百二十二条,罚款,罚款一万元,{amount},2025/05/06,2026/05/06,清丰县市场监督管理局,{dept},清丰县市场监督管理局,{dept},X1"
        )
    };
    let text = [
        header.to_string(),
        row("清市监罚〔2025〕11号", &firm, "1"),
        row("清市监罚〔2025〕12号", "91410922MA40AB1210", "1"),
        row("清市监罚〔2025〕13号", &firm, "abc"),
    ]
    .join("\n");
    let file = dir.path().join("cf.csv");
    std::fs::write(&file, text).unwrap();
    let rejects = dir.path().join("rejects.csv");
    let args = ["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "cf", "--rejects", rejects.to_str().unwrap()];
    let (code, out, err) = run(qingfeng().args(args));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "read=3 stored=1 updated=0 duplicate=0 rejected=2", "{err}");
    assert!(err.contains("第 3 行") && err.contains("uscc.check_digit"), "{err}");
    assert!(err.contains("第 4 行") && err.contains("money.format"), "{err}");
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(written.lines().count(), 3, "{written}");
    assert!(written.lines().next().unwrap().ends_with("内部编号,行号,错误原因"));
    // Again, with a small page cache: nothing is stored twice.
    let (code, out, _) = run(qingfeng().args(args).args(["--cache-mib", "8"]));
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "read=3 stored=0 updated=0 duplicate=1 rejected=2");
    // A cache size out of range is refused before anything is read.
    let (code, _, err) = run(qingfeng().args(args).args(["--cache-mib", "0"]));
    assert_eq!(code, 1);
    assert!(err.contains("--cache-mib 应在 2 到 65536 之间"), "{err}");
    // Bad arguments are Chinese errors.
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "zz"]));
    assert_eq!(code, 1);
    assert!(err.contains("未知的信息类别"), "{err}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "xk"]));
    assert_eq!(code, 1);
    assert!(err.contains("表头缺少必填列"), "{err}");
}

/// `kill -9` in the middle of an import leaves the database consistent, and running the
/// same import again completes it with nothing stored twice.
#[test]
fn an_import_killed_midway_completes_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let dept = test_uscc("11", "MB000001");
    let firm = test_uscc("91", "MA40AB12");
    let rows = 60_000;
    let mut text = String::from(
        "CF_WSH,CF_XDR_MC,CF_XDR_LB,CF_XDR_SHXYM,CF_WFXW,CF_SY,CF_YJ,CF_CFLB,CF_NR,CF_NR_FK,CF_JDRQ,CF_YXQ,CF_CFJG,CF_CFJGDM,CF_SJLY,CF_SJLYDM\n",
    );
    for i in 0..rows {
        text.push_str(&format!(
            "清市监罚〔2025〕{i}号,清丰县鑫源建材有限公司,法人及非法人组织,{firm},无证经营,无证经营食品,《食品安全法》第一百二十二条,警告,警告,,2025/05/06,2026/05/06,清丰县市场监督管理局,{dept},清丰县市场监督管理局,{dept}\n"
        ));
    }
    let file = dir.path().join("big.csv");
    std::fs::write(&file, text).unwrap();
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "migrate"]));
    assert_eq!(code, 0, "{err}");
    let db_url = format!("sqlite://{}", dir.path().join("qingfeng.db").display());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let count = || {
        rt.block_on(async {
            let db = qingfeng_platform::Db::connect(&db_url).await.unwrap();
            let (records, _) = qingfeng_credit::store::totals(&db, "410922").await.unwrap();
            db.close().await;
            records
        })
    };
    let mut child = qingfeng()
        .args(["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "cf"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let mut seen = 0;
    while started.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(50));
        seen = count();
        if seen > 0 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up.
    child.wait().unwrap();
    let after_kill = count();
    assert!(after_kill > 0 && after_kill < rows, "killed midway: {after_kill} of {rows} stored (seen {seen})");
    assert_eq!(after_kill % qingfeng_credit::ingest::BATCH_ROWS as i64, 0, "only whole batches are ever stored");
    let (code, out, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "cf"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), format!("read={rows} stored={} updated=0 duplicate={after_kill} rejected=0", rows - after_kill));
    assert_eq!(count(), rows);
    let (code, out, _) = run(qingfeng().args(["--data-dir", d, "audit", "verify"]));
    assert_eq!(code, 0, "{out}");
}

/// The generator's deliberate defects are exactly what the import rejects.
#[test]
fn generated_records_import_with_exactly_the_bad_rows_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for (kind, file) in [("xk", "xk.csv"), ("cf", "cf.jsonl")] {
        let path = dir.path().join(file);
        let (code, out, err) = run(qingfeng().args([
            "credit",
            "generate",
            "--kind",
            kind,
            "--records",
            "3000",
            "--bad-share",
            "0.05",
            "--seed",
            "7",
            "--out",
            path.to_str().unwrap(),
        ]));
        assert_eq!(code, 0, "{err}");
        let bad: u64 = out.split("bad=").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
        assert!(bad > 50, "{out}");
        let (code, out, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", path.to_str().unwrap(), "--kind", kind]));
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), format!("read=3000 stored={} updated=0 duplicate=0 rejected={bad}", 3000 - bad), "{kind}");
    }
}

#[test]
fn credit_import_of_an_excel_workbook_writes_csv_rejects() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let tax = test_uscc("11", "MB000003");
    let firm = test_uscc("91", "MA40AB12");
    let header = [
        "纳税人名称",
        "纳税人识别号",
        "评价年度",
        "评价结果",
        "评价单位",
        "评价单位统一社会信用代码",
        "发布日期",
        "数据来源单位",
        "数据来源单位统一社会信用代码",
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, code, grade)) in
        [("清丰县鑫源建材有限公司", firm.as_str(), "A"), ("清丰县某某商贸有限公司", firm.as_str(), "B")].iter().enumerate()
    {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *name).unwrap();
        ws.write_string(r, 1, *code).unwrap();
        ws.write_number(r, 2, 2025.0).unwrap();
        ws.write_string(r, 3, *grade).unwrap();
        ws.write_string(r, 4, "国家税务总局清丰县税务局").unwrap();
        ws.write_string(r, 5, &tax).unwrap();
        ws.write_datetime_with_format(r, 6, ExcelDateTime::from_ymd(2026, 4, 20).unwrap(), &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        ws.write_string(r, 7, "国家税务总局清丰县税务局").unwrap();
        ws.write_string(r, 8, &tax).unwrap();
    }
    let file = dir.path().join("A级纳税人.xlsx");
    std::fs::write(&file, wb.save_to_buffer().unwrap()).unwrap();
    let rejects = dir.path().join("rejects.csv");
    let args = ["--data-dir", d, "credit", "import", file.to_str().unwrap(), "--kind", "tax_a", "--rejects", rejects.to_str().unwrap()];
    let (code, out, err) = run(qingfeng().args(args));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.trim(), "read=2 stored=1 updated=0 duplicate=0 rejected=1", "{err}");
    assert!(err.contains("第 3 行") && err.contains("row.tax_grade"), "{err}");
    let written = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines.len(), 2, "{written}");
    assert!(lines[0].starts_with("纳税人名称,") && lines[0].ends_with("行号,错误原因"));
    assert!(lines[1].contains(",2025,B,") && lines[1].contains("2026-04-20"), "cells as read: {}", lines[1]);
    // Again: nothing twice. A file that is no workbook is refused in Chinese.
    let (_, out, _) = run(qingfeng().args(args));
    assert_eq!(out.trim(), "read=2 stored=0 updated=0 duplicate=1 rejected=1");
    let junk = dir.path().join("junk.xlsx");
    std::fs::write(&junk, b"PK\x03\x04junk").unwrap();
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", junk.to_str().unwrap(), "--kind", "tax_a"]));
    assert_ne!(code, 0);
    assert!(err.contains("不是可读取的 Excel 工作簿"), "{err}");
    let (code, _, err) = run(qingfeng().args(["--data-dir", d, "credit", "import", junk.to_str().unwrap(), "--kind", "gold"]));
    assert_ne!(code, 0);
    assert!(err.contains("dishonest_debtor（失信被执行人）"), "the kinds are listed: {err}");
}
