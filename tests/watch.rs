//! The file watcher on a real folder: bursts, editors' save dances,
//! rename-on-save, folders that are not part of the site.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use protokol::watch::SiteWatcher;

/// Long enough that a busy test machine does not split a burst.
const QUIET: Duration = Duration::from_millis(300);

fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap();
    fs::write(root.join("config.toml"), "title = \"x\"\n").unwrap();
    fs::create_dir_all(root.join("content/hu/2024-01-01")).unwrap();
    fs::create_dir_all(root.join("public")).unwrap();
    (dir, root)
}

fn watcher(root: &Path) -> SiteWatcher {
    let mut w = SiteWatcher::new(root).unwrap();
    w.set_quiet(QUIET);
    w
}

/// Writes a file the next batch must contain, after the events before it
/// have settled: what comes before it in that batch is what the earlier
/// steps left over.
fn sentinel(root: &Path, name: &str) -> PathBuf {
    std::thread::sleep(QUIET * 2);
    let path = root.join("content/hu/2024-01-01").join(name);
    fs::write(&path, "+++\ntitle = \"s\"\n+++\n").unwrap();
    path
}

#[test]
fn a_burst_of_thousands_of_files_is_one_batch() {
    let (_dir, root) = site();
    let mut w = watcher(&root);
    // As a `git checkout` does: many folders and files at once.
    let mut written = Vec::new();
    for m in 0..20 {
        let dir = root.join(format!("content/hu/2023-02-{:02}", m + 1));
        fs::create_dir_all(&dir).unwrap();
        for i in 0..100 {
            let path = dir.join(format!("{i:02}-punkt.md"));
            fs::write(&path, "+++\ntitle = \"a\"\n+++\n").unwrap();
            written.push(path);
        }
    }
    let batch = w.next_batch().unwrap();
    assert!(!batch.rescan);
    // Files in folders created during the burst may be seen only through
    // their folder (watches on new folders come a moment late): either
    // way, the folder's meeting is rebuilt.
    for path in &written {
        assert!(
            batch.paths.contains(path) || batch.paths.contains(path.parent().unwrap()),
            "{} is missing from the batch",
            path.display()
        );
    }
    let last = sentinel(&root, "99-sidst.md");
    let next = w.next_batch().unwrap();
    assert_eq!(
        next.paths.into_iter().collect::<Vec<_>>(),
        vec![last],
        "the burst made more than one batch"
    );
}

#[test]
fn editor_saves_show_the_real_file_only() {
    let (_dir, root) = site();
    let mut w = watcher(&root);
    let meeting = root.join("content/hu/2024-01-01");
    let file = meeting.join("01-a.md");
    fs::write(&file, "old").unwrap();
    let _ = w.next_batch().unwrap();

    // vim: a swap file, a write test, a backup by rename, a new file.
    fs::write(meeting.join(".01-a.md.swp"), "swap").unwrap();
    fs::write(meeting.join("4913"), "").unwrap();
    fs::remove_file(meeting.join("4913")).unwrap();
    fs::rename(&file, meeting.join("01-a.md~")).unwrap();
    fs::write(&file, "new").unwrap();
    fs::remove_file(meeting.join("01-a.md~")).unwrap();
    // emacs: a lock link and an auto-save file.
    fs::write(meeting.join(".#01-a.md"), "lock").unwrap();
    fs::write(meeting.join("#01-a.md#"), "autosave").unwrap();
    let batch = w.next_batch().unwrap();
    assert_eq!(batch.paths.into_iter().collect::<Vec<_>>(), vec![file]);
}

#[test]
fn rename_on_save_of_config_toml_is_seen() {
    let (_dir, root) = site();
    let mut w = watcher(&root);
    let tmp = root.join("config.toml.tmp");
    fs::write(&tmp, "title = \"y\"\n").unwrap();
    fs::rename(&tmp, root.join("config.toml")).unwrap();
    let batch = w.next_batch().unwrap();
    assert!(batch.paths.contains(&root.join("config.toml")), "{batch:?}");
    assert!(!batch.paths.contains(&tmp));
}

#[test]
fn the_output_folder_and_other_files_are_not_watched() {
    let (_dir, root) = site();
    let mut w = watcher(&root);
    fs::write(root.join("public/index.html"), "built").unwrap();
    fs::create_dir_all(root.join("public/a/b")).unwrap();
    fs::write(root.join("public/a/b/index.html"), "built").unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join(".git/index"), "git").unwrap();
    let last = sentinel(&root, "01-s.md");
    let batch = w.next_batch().unwrap();
    assert_eq!(batch.paths.into_iter().collect::<Vec<_>>(), vec![last]);
}

#[test]
fn folders_created_later_are_watched() {
    let (_dir, root) = site();
    let mut w = watcher(&root);
    fs::create_dir_all(root.join("templates")).unwrap();
    let batch = w.next_batch().unwrap();
    assert!(batch.paths.contains(&root.join("templates")));
    // The watcher now watches inside the new folder too.
    let tpl = root.join("templates/item.html");
    fs::write(&tpl, "{{ x }}").unwrap();
    let batch = w.next_batch().unwrap();
    assert!(batch.paths.contains(&tpl), "{batch:?}");
}

/// Like `sed -i`: a new file renamed over the old one.
#[cfg(unix)]
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("sedtmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

/// Folders and item files may be links to elsewhere (the loader follows
/// them): an edit behind a link is seen under the path the loader reads.
#[cfg(unix)]
#[test]
fn edits_behind_links_are_seen() {
    let (_dir, root) = site();
    let outside = tempfile::tempdir().unwrap();
    let outside = fs::canonicalize(outside.path()).unwrap();
    fs::create_dir_all(outside.join("tu/2024-02-02")).unwrap();
    fs::write(outside.join("tu/2024-02-02/01-a.md"), "a").unwrap();
    fs::write(outside.join("x.md"), "x").unwrap();
    std::os::unix::fs::symlink(outside.join("tu"), root.join("content/tu")).unwrap();
    std::os::unix::fs::symlink(
        outside.join("x.md"),
        root.join("content/hu/2024-01-01/02-x.md"),
    )
    .unwrap();
    let mut w = watcher(&root);

    // A missed edit must fail, not wait forever.
    let mut next = |what: &str| match w.wait(Some(Duration::from_secs(5))) {
        protokol::watch::Waited::Batch(b) => b,
        other => panic!("{what}: no batch: {other:?}"),
    };
    save_by_rename(&outside.join("tu/2024-02-02/01-a.md"), "closed");
    let batch = next("a linked folder");
    assert!(
        batch
            .paths
            .contains(&root.join("content/tu/2024-02-02/01-a.md")),
        "{batch:?}"
    );
    // A linked file, saved twice: the second save replaces the file the
    // first one wrote.
    let link = root.join("content/hu/2024-01-01/02-x.md");
    for text in ["closed", "closed again"] {
        std::thread::sleep(QUIET * 2);
        save_by_rename(&outside.join("x.md"), text);
        let batch = next(text);
        assert!(batch.paths.contains(&link), "{text}: {batch:?}");
    }
}
