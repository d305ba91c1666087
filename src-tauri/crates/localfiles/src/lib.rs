//! Entra Desk's own files on this computer — the accounts file, the watch rules, the local copy of the
//! directory, the practice tenant's port — are written **atomically** (a temporary file in the same
//! folder, flushed to disk, renamed over the old one, then the folder flushed: a crash or a full disk
//! leaves the old file or the new one, never half of one) and **privately** (files 0600, folders 0700
//! on Unix: they name the organisation's people and accounts). A file that cannot be read any more is
//! **set aside** under a new name, never deleted, so the app can start afresh and support can still
//! look at it.

pub mod csv;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Creates `dir` and its missing parents, private to this user (0700 on Unix; folders that already
/// exist keep their permissions).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes `bytes` to `path` atomically and privately (see the module documentation).
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    create_private_dir(dir)?;
    // tempfile creates the file 0600 on Unix, in the same folder so that the rename is atomic.
    let mut tmp = tempfile::Builder::new()
        .prefix(".entra-desk-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Moves a damaged `path` (and its `companions`, suffixes such as `-wal` and `-shm` of an SQLite
/// database, when they exist) aside as `{name}.damaged-{unix seconds}[suffix]` and returns the new
/// path of `path`. Nothing is deleted.
pub fn set_aside(path: &Path, companions: &[&str]) -> io::Result<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut target = path.with_file_name(format!("{name}.damaged-{secs}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = path.with_file_name(format!("{name}.damaged-{secs}-{n}"));
    }
    std::fs::rename(path, &target)?;
    for suffix in companions {
        let from = PathBuf::from(format!("{}{suffix}", path.display()));
        if from.exists() {
            std::fs::rename(&from, PathBuf::from(format!("{}{suffix}", target.display())))?;
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_replaces_the_old_one_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/accounts.json");
        write_private(&path, b"first").unwrap();
        write_private(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, ["accounts.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn files_and_new_folders_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/watch/rules.json");
        write_private(&path, b"{}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("data/watch")), 0o700);
        assert_eq!(mode(&dir.path().join("data")), 0o700);
    }

    #[test]
    fn a_damaged_file_is_set_aside_with_its_companions_and_nothing_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("copy.sqlite3");
        std::fs::write(&db, b"not a database").unwrap();
        std::fs::write(dir.path().join("copy.sqlite3-wal"), b"wal").unwrap();
        let aside = set_aside(&db, &["-wal", "-shm"]).unwrap();
        assert!(!db.exists());
        assert!(aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("copy.sqlite3.damaged-"));
        assert_eq!(std::fs::read(&aside).unwrap(), b"not a database");
        assert_eq!(std::fs::read(format!("{}-wal", aside.display())).unwrap(), b"wal");
        // A second damaged file in the same second gets a name of its own.
        std::fs::write(&db, b"again").unwrap();
        let second = set_aside(&db, &[]).unwrap();
        assert_ne!(second, aside);
        assert_eq!(std::fs::read(&second).unwrap(), b"again");
    }
}
