//! Embeds the policy library (`data/policies/{national,henan}/*.md`) in the binary: writes
//! `$OUT_DIR/policy_files.rs`, a sorted list of `(folder, file name, include_str!(…))`.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("data/policies");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for folder in ["national", "henan"] {
        let dir = root.join(folder);
        println!("cargo:rerun-if-changed={}", dir.display());
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "md") {
                let name = path.file_name().and_then(|n| n.to_str()).ok_or("non-UTF-8 file name")?.to_string();
                files.push((folder, name, path));
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// `(folder, file name, text)` of every embedded policy file, sorted.\npub const POLICY_FILES: &[(&str, &str, &str)] = &[\n",
    );
    for (folder, name, path) in &files {
        writeln!(out, "    ({folder:?}, {name:?}, include_str!({:?})),", path.display().to_string())?;
    }
    out.push_str("];\n");
    std::fs::write(PathBuf::from(std::env::var("OUT_DIR")?).join("policy_files.rs"), out)?;
    Ok(())
}
