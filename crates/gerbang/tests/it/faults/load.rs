//! Steady load on one server for the fault tests: client threads that call
//! CALL_NIK without pause, half through the v1 API (bearer token), half
//! through the compatible service (User ID and password), and keep every
//! answer: when it was sent, how long it took, its status, its operation id
//! and, for refusals, the code and message.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Longest a client waits for one answer: well above anything the server
/// should take, so a hang shows as a failure rather than a slow test.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);

/// Which front a request went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Front {
    V1,
    Compat,
}

/// One request and what came back.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) front: Front,
    pub(crate) sent: Instant,
    pub(crate) took: Duration,
    /// The HTTP status; `None` when no answer arrived (refused connection,
    /// reset, timeout), with the reason in `failure`.
    pub(crate) status: Option<u16>,
    pub(crate) failure: Option<String>,
    /// The operation id from the `x-request-id` header.
    pub(crate) operation_id: Option<String>,
    /// The hits left today, from the `x-quota-remaining` header (v1 only).
    pub(crate) remaining: Option<u64>,
    /// The body.
    pub(crate) body: Value,
}

impl Answer {
    /// The row of a compatible-service answer.
    fn row(&self) -> &Value {
        &self.body["content"][0]
    }

    /// Whether the resident's data was handed out.
    pub(crate) fn served(&self) -> bool {
        self.status == Some(200)
            && match self.front {
                Front::V1 => self.body["outcome"] == "found",
                Front::Compat => self.row().get("RESPONSE_CODE").is_none() && self.row().get("NIK").is_some(),
            }
    }

    /// The stable code of a refusal (v1 `code`, compatible `RESPONSE_CODE`).
    pub(crate) fn code(&self) -> Option<&str> {
        match self.front {
            Front::V1 => self.body["code"].as_str(),
            Front::Compat => self.row()["RESPONSE_CODE"].as_str(),
        }
    }

    /// The message of a refusal.
    pub(crate) fn message(&self) -> Option<&str> {
        match self.front {
            Front::V1 => self.body["message"].as_str(),
            Front::Compat => self.row()["RESPON"].as_str(),
        }
    }

    /// The operation id the v1 body carries (the compatible body has none).
    pub(crate) fn body_operation_id(&self) -> Option<&str> {
        self.body["operation_id"].as_str()
    }
}

/// Client threads calling one server until stopped.
pub(crate) struct Load {
    stop: Arc<AtomicBool>,
    answers: Arc<Mutex<Vec<Answer>>>,
    threads: Vec<JoinHandle<()>>,
}

impl Load {
    /// Starts `threads` clients calling CALL_NIK for `nik` on `address` as
    /// the demo account `login`.
    pub(crate) fn start(address: &str, login: &Value, nik: &str, threads: usize) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let answers = Arc::new(Mutex::new(Vec::new()));
        let threads = (0..threads)
            .map(|n| {
                let front = if n % 2 == 0 { Front::V1 } else { Front::Compat };
                let (stop, answers) = (Arc::clone(&stop), Arc::clone(&answers));
                let (address, login, nik) = (address.to_owned(), login.clone(), nik.to_owned());
                std::thread::spawn(move || {
                    let client = reqwest::blocking::Client::builder().timeout(CLIENT_TIMEOUT).build().unwrap();
                    while !stop.load(Ordering::Relaxed) {
                        let answer = call(&client, front, &address, &login, &nik);
                        answers.lock().unwrap().push(answer);
                    }
                })
            })
            .collect();
        Load { stop, answers, threads }
    }

    /// The answers so far.
    pub(crate) fn answers(&self) -> Vec<Answer> {
        self.answers.lock().unwrap().clone()
    }

    /// Stops the clients; every answer, in the order the requests were sent.
    pub(crate) fn finish(self) -> Vec<Answer> {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            thread.join().unwrap();
        }
        let mut answers = self.answers.lock().unwrap().clone();
        answers.sort_by_key(|a| a.sent);
        answers
    }
}

/// One CALL_NIK through `front`.
pub(crate) fn call(
    client: &reqwest::blocking::Client,
    front: Front,
    address: &str,
    login: &Value,
    nik: &str,
) -> Answer {
    let request = match front {
        Front::V1 => client
            .post(format!("http://{address}/api/v1/call-nik"))
            .bearer_auth(login["token"].as_str().unwrap())
            .json(&serde_json::json!({ "nik": nik })),
        Front::Compat => client
            .post(format!("http://{address}/dukcapil/get_json/{}/CALL_NIK", login["instansi"].as_str().unwrap()))
            .json(&serde_json::json!({
                "USER_ID": login["user_id"], "PASSWORD": login["password"], "IP_USER": "127.0.0.1", "NIK": nik,
            })),
    };
    let sent = Instant::now();
    let mut answer = Answer {
        front,
        sent,
        took: Duration::ZERO,
        status: None,
        failure: None,
        operation_id: None,
        remaining: None,
        body: Value::Null,
    };
    match request.send() {
        Ok(response) => {
            answer.status = Some(response.status().as_u16());
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            answer.operation_id = header("x-request-id");
            answer.remaining = header("x-quota-remaining").and_then(|v| v.parse().ok());
            match response.json() {
                Ok(body) => answer.body = body,
                Err(error) => answer.failure = Some(format!("body: {error}")),
            }
        }
        Err(error) => answer.failure = Some(error.to_string()),
    }
    answer.took = sent.elapsed();
    answer
}
