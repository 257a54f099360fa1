//! A private PostgreSQL cluster that a fault test may stop and start at
//! will, without disturbing the cluster every other test shares. It is
//! made with the same building blocks as the shared one (`scripts/postgres.sh`),
//! and stopped and removed when the guard is dropped, even when the test
//! fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The script whose functions initialise, start and stop clusters.
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres.sh")
}

/// A running (or deliberately stopped) cluster of one's own.
pub(crate) struct Cluster {
    folder: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// Initialises a cluster in a new temporary folder and starts it on a
    /// free loopback port.
    pub(crate) fn start() -> Cluster {
        let folder = tempfile::Builder::new().prefix("gerbang-pg-fault").tempdir().expect("a temporary folder");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let cluster = Cluster { folder, port };
        cluster.run(r#"gerbang_pg_init "$1" && gerbang_pg_up "$1" "$2""#);
        cluster
    }

    /// The URL of the cluster's `postgres` database.
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server the way an operator's restart does (`pg_ctl stop
    /// -m fast`: sessions are ended, open transactions rolled back).
    pub(crate) fn stop(&self) {
        self.run(r#"gerbang_pg_down "$1" fast"#);
    }

    /// Starts the stopped server again on the same port; returns once it
    /// accepts connections.
    pub(crate) fn start_again(&self) {
        self.run(r#"gerbang_pg_up "$1" "$2""#);
    }

    /// Runs `body` with the script's functions, the folder as `$1` and the
    /// port as `$2`.
    fn run(&self, body: &str) {
        let output = Command::new("bash")
            .arg("-c")
            .arg(format!(r#"source "{}" && {body}"#, script().display()))
            .arg("gerbang-pg-fault")
            .arg(self.folder.path())
            .arg(self.port.to_string())
            .output()
            .expect("bash runs");
        assert!(
            output.status.success(),
            "a private PostgreSQL cluster is needed (run the suite with scripts/test.sh, which installs the \
             Debian postgresql package): `{body}` failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Quietly: the server may already be stopped, and a failure here
        // must not hide the test's own.
        let _ = Command::new("bash")
            .arg("-c")
            .arg(format!(r#"source "{}" && gerbang_pg_down "$1" immediate"#, script().display()))
            .arg("gerbang-pg-fault")
            .arg(self.folder.path())
            .output();
    }
}
