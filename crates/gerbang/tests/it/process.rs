//! `gerbang demo` and `gerbang serve` as real processes: the README's demo
//! path, start-up refusals, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::support::{gerbang, stderr};

/// Starts `gerbang ARGS` and waits for the line with its address.
fn spawn_listening(args: &[&str]) -> (Child, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .args(args)
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
            std::thread::spawn(move || lines.for_each(drop));
            return (child, address, seen);
        }
        seen.push(line);
    }
    let _ = child.kill();
    let status = child.wait();
    panic!("gerbang stopped before listening ({status:?}): {seen:?}");
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    child.wait().unwrap()
}

#[test]
fn demo_seeds_once_serves_and_stops_cleanly() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("demo");
    let dir_arg = dir.to_str().unwrap();
    let args = ["demo", "--data-dir", dir_arg, "--residents", "300", "--listen", "127.0.0.1:0", "--dev-open-register"];
    let (mut child, address, _) = spawn_listening(&args);
    let health = reqwest::blocking::get(format!("http://{address}/healthz")).unwrap();
    assert_eq!(health.status(), 200);
    assert!(terminate(&mut child).success(), "SIGTERM stops the server cleanly");
    let mut first_output = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut first_output).unwrap();
    assert!(first_output.contains("Selesai: 300 penduduk"), "{first_output}");
    let nik = first_output.lines().find_map(|l| l.split("NIK ").nth(1)).unwrap().split_whitespace().next().unwrap();
    let nik = nik.to_owned();

    let (mut child, address, _) = spawn_listening(&args);
    let record = reqwest::blocking::get(format!("http://{address}/api/v1/residents/{nik}")).unwrap();
    assert_eq!(record.status(), 200, "the second run serves the first run's register");
    terminate(&mut child);
    let mut second_output = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut second_output).unwrap();
    assert!(second_output.contains("Memakai register yang ada: 300 penduduk"), "{second_output}");
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
