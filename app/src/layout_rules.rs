//! The app's layout rules (ARCHITECTURE.md, "app/"), checked by reading
//! the `crate::` paths of every file under `app/src`:
//!
//! * a record family's folder never names another family;
//! * `core/`, `platform/`, `ui/`, `nav/` and `words/` never name a family;
//! * `ui/`, `core/`, `platform/`, `nav/` and `words/` never name a page,
//!   the shell or the root component;
//! * `platform/` names nothing of the app but itself;
//! * no two files name each other through a loop of `crate::` paths (a
//!   file naming its own parent module, as `impl` files of the store do,
//!   is a part of it, not a loop).
//!
//! A family is a folder of `app/src` listed in [`FAMILIES`]; the ones not
//! moved into their folder yet are not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The record families, each a folder of `app/src` once moved there.
const FAMILIES: &[&str] = &[
    "owner_visits",
    "duty_log",
    "visitors",
    "keys",
    "permits",
    "show_flat",
    "handover",
    "complaints",
    "rounds",
    "admin",
];

/// The layers beneath the families.
const BENEATH: &[&str] = &["core", "platform", "ui", "nav", "words"];

/// What sits above the families: only `main.rs` and the shell name these.
const ABOVE: &[&str] = &["app", "shell"];

fn src() -> PathBuf {
    // Read at run time: CI reuses a test binary built in another clone, whose
    // compile-time path may be gone.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf())
        .join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// The top-level modules a file names as `crate::<module>` (comments left
/// out), with the line each is first named on.
fn named_modules(text: &str) -> Vec<(String, usize)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && seen.insert(name.clone()) {
                out.push((name, n + 1));
            }
            rest = after;
        }
    }
    out
}

/// The folder of `app/src` a file sits in (`None` for top-level files).
fn folder(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).ok()?;
    let mut parts = relative.components();
    let first = parts.next()?.as_os_str().to_str()?.to_owned();
    parts.next().map(|_| first)
}

#[test]
fn families_and_layers_import_only_downwards() {
    let root = src();
    let moved: Vec<&str> = FAMILIES
        .iter()
        .copied()
        .filter(|f| root.join(f).is_dir())
        .collect();
    let mut files = Vec::new();
    rust_files(&root, &mut files).expect("app/src is readable");
    files.sort();
    let mut broken = Vec::new();
    for file in &files {
        let Some(home) = folder(file) else { continue };
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        let shown = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        for (module, line) in named_modules(&text) {
            let module = module.as_str();
            let rule = if moved.contains(&home.as_str()) {
                (moved.contains(&module) && module != home)
                    .then_some("a family never imports another family")
            } else if BENEATH.contains(&home.as_str()) {
                if moved.contains(&module) {
                    Some("core, platform, ui, nav and words never import a family")
                } else if ABOVE.contains(&module) {
                    Some("core, platform, ui, nav and words never import a page or the shell")
                } else if home == "platform" && module != "platform" {
                    Some("platform imports nothing of the app but itself")
                } else {
                    None
                }
            } else {
                None
            };
            if let Some(rule) = rule {
                broken.push(format!("{shown}:{line} names crate::{module}: {rule}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layout rules broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn the_check_sees_every_family_named() {
    let text = "use crate::core::store::Store;\n// crate::keys in a comment\nlet x = crate::visitors::view::status(l, s); crate::keys::view::Viewer";
    let names: Vec<String> = named_modules(text).into_iter().map(|(m, _)| m).collect();
    assert_eq!(names, ["core", "visitors", "keys"]);
}

/// The file a `crate::a::b::…` path lands in: the longest prefix that is
/// a file (`a/b.rs` or `a/b/mod.rs`).
fn file_of(root: &Path, path: &[&str]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let dir: PathBuf = path[..n].iter().collect();
        let file = root.join(&dir).with_extension("rs");
        let module = root.join(&dir).join("mod.rs");
        [file, module].into_iter().find(|f| f.is_file())
    })
}

/// Every `crate::` path of a file (comments left out), as segments.
fn crate_paths(text: &str) -> Vec<Vec<&str>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (at, _) in code.match_indices("crate::") {
            let path: Vec<&str> = code[at + "crate::".len()..]
                .split("::")
                .map(|s| {
                    let end = s
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(s.len());
                    &s[..end]
                })
                .take_while(|s| !s.is_empty())
                .collect();
            out.push(path);
        }
    }
    out
}

/// Whether `parent` is the module file of a folder holding `child`.
fn is_ancestor(parent: &Path, child: &Path) -> bool {
    let folder = if parent.file_name().is_some_and(|n| n == "mod.rs") {
        parent.parent().map(Path::to_path_buf)
    } else {
        Some(parent.with_extension(""))
    };
    folder.is_some_and(|f| child.starts_with(f))
}

#[test]
fn no_import_loops_between_files() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files).expect("app/src is readable");
    let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        let targets = edges.entry(file.clone()).or_default();
        for path in crate_paths(&text) {
            if let Some(target) = file_of(&root, &path)
                && target != *file
                && !is_ancestor(&target, file)
            {
                targets.insert(target);
            }
        }
    }
    // A loop is a file reachable from itself.
    let mut loops = Vec::new();
    for start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&PathBuf> = edges[start].iter().collect();
        while let Some(next) = todo.pop() {
            if next == start {
                loops.push(
                    start
                        .strip_prefix(&root)
                        .unwrap_or(start)
                        .display()
                        .to_string(),
                );
                break;
            }
            if seen.insert(next) {
                todo.extend(edges.get(next).into_iter().flatten());
            }
        }
    }
    assert!(
        loops.is_empty(),
        "files in an import loop:\n{}",
        loops.join("\n")
    );
}
