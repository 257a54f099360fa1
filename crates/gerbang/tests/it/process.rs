//! `gerbang demo` and `gerbang serve` as real processes: the README's demo
//! path, start-up refusals, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use crate::support::{gerbang, stderr};

/// A started server: the process, its address, and its log lines so far.
pub(crate) struct Running {
    pub(crate) child: Child,
    pub(crate) address: String,
    log: Arc<Mutex<Vec<String>>>,
}

/// Starts `gerbang ARGS` and waits for the line with its address; the rest
/// of its standard error keeps being collected.
pub(crate) fn spawn_listening(args: &[&str]) -> Running {
    spawn_listening_with(args, &[])
}

/// [`spawn_listening`] with `env` set for the process.
pub(crate) fn spawn_listening_with(args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gerbang starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("stderr is text");
        if let Some(rest) = line.split("mendengarkan di http://").nth(1) {
            let address = rest.split_whitespace().next().expect("address").to_owned();
            seen.push(line);
            let log = Arc::new(Mutex::new(seen));
            let sink = Arc::clone(&log);
            std::thread::spawn(move || lines.map_while(Result::ok).for_each(|l| sink.lock().unwrap().push(l)));
            return Running { child, address, log };
        }
        seen.push(line);
    }
    let _ = child.kill();
    let status = child.wait();
    panic!("gerbang stopped before listening ({status:?}): {seen:?}");
}

impl Running {
    /// Its standard error so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

/// A server still running when its test ends (a failed assertion) is
/// killed rather than left behind; one already stopped is only reaped.
impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

pub(crate) fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    child.wait().unwrap()
}

/// A supervisor may stop the server the moment it says it listens: the
/// signal handlers are in place before that line (they once were installed
/// only when the accept loop first ran, and a SIGTERM in between killed the
/// process instead of stopping it).
#[test]
fn a_sigterm_right_after_the_ready_line_stops_the_server_cleanly() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("demo");
    let args = ["demo", "--data-dir", dir.to_str().unwrap(), "--residents", "20", "--listen", "127.0.0.1:0"];
    for _ in 0..5 {
        let mut running = spawn_listening(&args);
        let status = terminate(&mut running.child);
        assert!(status.success(), "SIGTERM at once after the ready line: {status:?}\n{}", running.log());
    }
}

#[test]
fn demo_seeds_once_serves_and_stops_cleanly() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("demo");
    let dir_arg = dir.to_str().unwrap();
    let args = ["demo", "--data-dir", dir_arg, "--residents", "300", "--listen", "127.0.0.1:0", "--dev-open-register"];
    let mut first = spawn_listening(&args);
    let health = reqwest::blocking::get(format!("http://{}/healthz", first.address)).unwrap();
    assert_eq!(health.status(), 200);
    assert!(terminate(&mut first.child).success(), "SIGTERM stops the server cleanly");
    let mut first_output = String::new();
    std::io::Read::read_to_string(&mut first.child.stdout.take().unwrap(), &mut first_output).unwrap();
    assert!(first_output.contains("Selesai: 300 penduduk"), "{first_output}");
    assert!(first_output.contains("Penduduk umpan (canary): 6 ditanam"), "{first_output}");
    let nik = first_output.lines().find_map(|l| l.split("NIK ").nth(1)).unwrap().split_whitespace().next().unwrap();
    let nik = nik.to_owned();
    assert!(first_output.contains("Kredensial mitra demo: "), "{first_output}");
    let credentials_file = dir.join("demo-credentials.json");
    let credentials: serde_json::Value = serde_json::from_slice(&std::fs::read(&credentials_file).unwrap()).unwrap();
    assert_eq!(
        credentials.as_array().unwrap().len(),
        15,
        "a service account, an operator and an administrator for each of five partners"
    );

    let mut second = spawn_listening(&args);
    let record = reqwest::blocking::get(format!("http://{}/api/v1/residents/{nik}", second.address)).unwrap();
    assert_eq!(record.status(), 200, "the second run serves the first run's register");
    let record: serde_json::Value = record.json().unwrap();
    let name = record["elements"]["NAMA_LGKP"].as_str().unwrap().to_owned();

    // A partner client of the existing service, pointed at the demo.
    let lpsk =
        credentials.as_array().unwrap().iter().find(|c| c["institution"] == "lpsk" && c["role"] == "service").unwrap();
    let password = lpsk["password"].as_str().unwrap().to_owned();
    let body =
        serde_json::json!({ "USER_ID": lpsk["user_id"], "PASSWORD": password, "IP_USER": "127.0.0.1", "NIK": nik });
    let answer: serde_json::Value = reqwest::blocking::Client::new()
        .post(format!("http://{}/dukcapil/get_json/{}/CALL_NIK", second.address, lpsk["instansi"].as_str().unwrap()))
        .header("content-type", "application/json,Accept: application/json")
        .body(body.to_string())
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(answer["content"][0]["NIK"].as_u64(), Some(nik.parse().unwrap()), "{answer}");
    assert_eq!(answer["quotaLimiter"], 999);

    terminate(&mut second.child);
    let mut second_output = String::new();
    std::io::Read::read_to_string(&mut second.child.stdout.take().unwrap(), &mut second_output).unwrap();
    // The 300 seeded residents and the 6 synthetic canaries the first run planted.
    assert!(second_output.contains("Register: 306 penduduk"), "{second_output}");
    assert!(!second_output.contains("Selesai:"), "the second run does not seed again: {second_output}");
    let again: serde_json::Value = serde_json::from_slice(&std::fs::read(&credentials_file).unwrap()).unwrap();
    assert_eq!(again, credentials, "the second run reuses the accounts and their passwords");

    // The server logged the request (route template, status) but neither the
    // NIK from the path nor the resident's name.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let log = second.log.lock().unwrap().join("\n");
    assert!(log.contains("/api/v1/residents/{nik}") && log.contains("200"), "access log present: {log}");
    assert!(!log.contains(&nik), "a NIK reached the log: {log}");
    assert!(!log.contains(&name), "a name reached the log: {log}");
    assert!(!log.contains(&password), "a password reached the log");
}

#[test]
fn serve_refuses_to_start_without_a_register() {
    let folder = tempfile::tempdir().unwrap();
    let output = gerbang(&folder.path().join("empty"), &["serve", "--listen", "127.0.0.1:0"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("gerbang seed"), "{}", stderr(&output));
    assert!(!folder.path().join("empty").exists(), "serve writes nothing");
}

#[test]
fn serve_reports_an_address_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let output = gerbang(&crate::support::seeded().dir, &["serve", "--listen", &port]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("galat [serve.bind]"), "{}", stderr(&output));
}
