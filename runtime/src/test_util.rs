//! Test support: an HTTP/1.1 server on 127.0.0.1 (real sockets) that records every
//! request, checks its SigV4 signature with an independent implementation, and
//! answers from a script; and the timing loop of the benchmarks. Enabled by the
//! `test-util` feature.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Runs `f` in batches for about `budget` (after a warm-up that sizes a batch to about
/// 20 ms) and returns the best time per call of a batch, the figure the benchmarks
/// print.
pub fn best_time(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut batch = 1u32;
    loop {
        let t = std::time::Instant::now();
        for _ in 0..batch {
            f();
        }
        if t.elapsed() > Duration::from_millis(20) || batch > 1 << 24 {
            break;
        }
        batch *= 2;
    }
    let mut best = Duration::MAX;
    let start = std::time::Instant::now();
    while start.elapsed() < budget {
        let t = std::time::Instant::now();
        for _ in 0..batch {
            f();
        }
        best = best.min(t.elapsed() / batch);
    }
    best
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The request target (path and query).
    pub path: String,
    /// Headers, names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the SigV4 signature checked out (see [`TestServer::credentials`]).
    pub signature_valid: Result<(), String>,
}

impl RecordedRequest {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Close the connection instead of answering.
    pub hang_up: bool,
    /// Instead of `body`, this many bytes of [`pattern_byte`], written a chunk at a
    /// time (a download of any size, without holding it).
    pub pattern_len: Option<u64>,
    /// Of a pattern body, send only this many bytes, then close the connection (a
    /// server that breaks off a download).
    pub cut_after: Option<u64>,
    /// Of the body, send only this many bytes, then send nothing more and keep the
    /// connection open (a stalled download).
    pub stall_after: Option<u64>,
}

/// The byte at `offset` of a [`Reply::pattern`] body.
pub fn pattern_byte(offset: u64) -> u8 {
    (offset % 251) as u8
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/x-amz-json-1.0".into())],
            body: body.into(),
            delay: None,
            hang_up: false,
            pattern_len: None,
            cut_after: None,
            stall_after: None,
        }
    }

    /// A pattern body that announces `len` bytes but breaks off after `sent`.
    pub fn pattern_cut(status: u16, len: u64, sent: u64) -> Self {
        Reply {
            cut_after: Some(sent),
            ..Reply::pattern(status, len)
        }
    }

    /// A binary response of `len` bytes of [`pattern_byte`], generated as it is sent.
    pub fn pattern(status: u16, len: u64) -> Self {
        Reply {
            headers: vec![("content-type".into(), "application/octet-stream".into())],
            pattern_len: Some(len),
            ..Reply::json(status, "")
        }
    }

    /// Adds a header.
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    /// Delays the answer.
    pub fn delayed(mut self, d: Duration) -> Self {
        self.delay = Some(d);
        self
    }

    /// Sends the head and `sent` bytes of the body, then nothing more, with the
    /// connection left open.
    pub fn stalled_after(mut self, sent: u64) -> Self {
        self.stall_after = Some(sent);
        self
    }

    /// Closes the connection without answering.
    pub fn hang_up() -> Self {
        Reply {
            hang_up: true,
            ..Reply::json(500, "")
        }
    }
}

type Responder = Box<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// The server. It stops when dropped.
pub struct TestServer {
    addr: std::net::SocketAddr,
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The access key id the server's signature check expects.
pub const ACCESS_KEY_ID: &str = "AKIDTESTSERVER";
/// The secret the server's signature check expects.
pub const SECRET_ACCESS_KEY: &str = "test/server/secret";
/// The region the server's signature check expects.
pub const REGION: &str = "us-east-1";

impl TestServer {
    /// Answers the scripted replies in order (the last one repeats).
    pub async fn scripted(replies: Vec<Reply>, signing_name: &'static str) -> Self {
        let queue = Mutex::new(VecDeque::from(replies));
        let last = Mutex::new(None::<Reply>);
        Self::start(
            move |_| {
                let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                match next {
                    Some(r) => {
                        if let Ok(mut l) = last.lock() {
                            *l = Some(r.clone());
                        }
                        r
                    }
                    None => last
                        .lock()
                        .ok()
                        .and_then(|l| l.clone())
                        .unwrap_or_else(|| Reply::json(500, "{}")),
                }
            },
            signing_name,
        )
        .await
    }

    /// Answers each request with `f`.
    pub async fn start(
        f: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
        signing_name: &'static str,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let responder: Arc<Responder> = Arc::new(Box::new(f));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let responder = responder.clone();
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, responder, recorded, signing_name).await;
                });
            }
        });
        TestServer {
            addr,
            requests,
            task,
        }
    }

    /// The endpoint URL (`http://127.0.0.1:PORT`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The credentials the signature check expects.
    pub fn credentials() -> crate::Credentials {
        crate::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            Some("session-token".into()),
        )
    }

    /// Runs an example program with `args`, configured through the standard AWS
    /// environment variables to call this server (one attempt, no retries).
    pub fn run_example(&self, program: &std::path::Path, args: &[&str]) -> std::process::Output {
        std::process::Command::new(program)
            .args(args)
            .env_clear()
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
            .env("AWS_SESSION_TOKEN", "session-token")
            .env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .expect("the example runs")
    }

    /// A client configuration pointing at this server, with fast retries.
    pub fn config(&self) -> crate::Config {
        crate::Config::builder()
            .region(REGION)
            .credentials(Self::credentials())
            .endpoint_url(self.endpoint())
            .retry_config(
                crate::RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(5))
                    .with_max_backoff(Duration::from_millis(20)),
            )
            .build()
    }
}

async fn serve(
    mut stream: TcpStream,
    responder: Arc<Responder>,
    recorded: Arc<Mutex<Vec<RecordedRequest>>>,
    signing_name: &str,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        // Read the head.
        let head_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 8192];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_string();
        let path = first.next().unwrap_or_default().to_string();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        buf.drain(..head_end + 4);
        let body = if chunked {
            let Some(body) = read_chunked(&mut stream, &mut buf).await? else {
                return Ok(());
            };
            body
        } else {
            if !fill(&mut stream, &mut buf, len).await? {
                return Ok(());
            }
            buf.drain(..len).collect()
        };
        let mut request = RecordedRequest {
            method,
            path,
            headers,
            body,
            signature_valid: Ok(()),
        };
        request.signature_valid = verify_sigv4(&request, SECRET_ACCESS_KEY, REGION, signing_name);
        let reply = responder(&request);
        if let Ok(mut r) = recorded.lock() {
            r.push(request);
        }
        if let Some(d) = reply.delay {
            tokio::time::sleep(d).await;
        }
        if reply.hang_up {
            return Ok(());
        }
        let mut out = format!(
            "HTTP/1.1 {} Reply\r\ncontent-length: {}\r\n",
            reply.status,
            reply.pattern_len.unwrap_or(reply.body.len() as u64)
        );
        for (k, v) in &reply.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        stream.write_all(out.as_bytes()).await?;
        let stall = |total: u64| reply.stall_after.map_or(total, |s| s.min(total));
        match reply.pattern_len {
            None => {
                let end = usize::try_from(stall(reply.body.len() as u64)).unwrap_or(usize::MAX);
                stream.write_all(&reply.body[..end]).await?;
            }
            Some(announced) => {
                // One period of the pattern per write, from where the last one ended.
                let period: Vec<u8> = (0..251 * 256).map(pattern_byte).collect();
                let total = stall(reply.cut_after.unwrap_or(announced).min(announced));
                let mut sent = 0u64;
                while sent < total {
                    let n = (total - sent).min(period.len() as u64) as usize;
                    stream.write_all(&period[..n]).await?;
                    sent += n as u64;
                }
                if total < announced && reply.stall_after.is_none() {
                    stream.flush().await?;
                    return Ok(());
                }
            }
        }
        stream.flush().await?;
        if reply.stall_after.is_some() {
            // Until the client gives up and closes the connection.
            let mut rest = [0u8; 1024];
            while stream.read(&mut rest).await? > 0 {}
            return Ok(());
        }
    }
}

/// Reads until `buf` holds `len` bytes; `false` when the peer closed first.
async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>, len: usize) -> std::io::Result<bool> {
    while buf.len() < len {
        let mut chunk = [0u8; 65536];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(false);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(true)
}

/// Reads a chunked body (`buf` starts at its first chunk size line); `None` when the
/// peer closed first.
async fn read_chunked(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = find(buf, b"\r\n") {
                break i;
            }
            let have = buf.len();
            if !fill(stream, buf, have + 1).await? {
                return Ok(None);
            }
        };
        let line = String::from_utf8_lossy(&buf[..line_end]).into_owned();
        let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        buf.drain(..line_end + 2);
        if size == 0 {
            // No trailers are sent: the last chunk ends with an empty line.
            if !fill(stream, buf, 2).await? {
                return Ok(None);
            }
            buf.drain(..2);
            return Ok(Some(body));
        }
        if !fill(stream, buf, size + 2).await? {
            return Ok(None);
        }
        body.extend_from_slice(&buf[..size]);
        buf.drain(..size + 2);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m =
        <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a request's SigV4 `Authorization` header from first principles (not with
/// the `aws-sigv4` crate the client signs with).
pub fn verify_sigv4(
    req: &RecordedRequest,
    secret: &str,
    region: &str,
    service: &str,
) -> Result<(), String> {
    let auth = req
        .header("authorization")
        .ok_or("no authorization header")?;
    let rest = auth
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let (credential, signed_headers, signature) = (
        credential.ok_or("no Credential")?,
        signed_headers.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    let amz_date = req.header("x-amz-date").ok_or("no x-amz-date")?;
    let date = amz_date.get(..8).ok_or("bad x-amz-date")?;
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let expected_credential = format!("{ACCESS_KEY_ID}/{scope}");
    if credential != expected_credential {
        return Err(format!(
            "credential scope is {credential}, expected {expected_credential}"
        ));
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    for required in ["host", "x-amz-date", "content-type", "x-amz-target"] {
        let sent = matches!(required, "host" | "x-amz-date") || req.header(required).is_some();
        if sent && !names.contains(&required) {
            return Err(format!("{required} is not signed"));
        }
    }
    // The payload's hash: the body's, or what `x-amz-content-sha256` says, which must
    // then be the body's too (or `UNSIGNED-PAYLOAD`).
    let body_hash = hex(&Sha256::digest(&req.body));
    let payload_hash = match req.header("x-amz-content-sha256") {
        None => body_hash,
        Some("UNSIGNED-PAYLOAD") => "UNSIGNED-PAYLOAD".to_string(),
        Some(given) if given == body_hash => body_hash,
        Some(given) => {
            return Err(format!(
                "x-amz-content-sha256 is {given}, but the body's SHA-256 is {body_hash}"
            ))
        }
    };
    let mut canonical_headers = String::new();
    for name in &names {
        let value = req
            .header(name)
            .ok_or_else(|| format!("signed header {name} is missing"))?;
        canonical_headers.push_str(&format!(
            "{name}:{}\n",
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    // Services other than S3 sign the path encoded once more.
    let path: String = path
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let canonical = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method, path, query, canonical_headers, signed_headers, payload_hash
    );
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex(&hmac(&k_signing, to_sign.as_bytes()));
    if expected == signature {
        Ok(())
    } else {
        Err(format!(
            "signature mismatch: expected {expected}, got {signature}"
        ))
    }
}

/// Finds an example program that cargo built beside the running test binary: the one
/// named `name` whose usage text (printed when run without arguments) mentions
/// `usage_mentions`. Two crates of a workspace may have examples of the same name, and
/// cargo builds both into one folder as `name-<hash>`.
///
/// `None` when it was not built (a test run limited to one target); under CI, where
/// `cargo xtask test` builds every example first, that is a failure.
pub fn example_program(name: &str, usage_mentions: &str) -> Option<std::path::PathBuf> {
    let found = (|| {
        let exe = std::env::current_exe().ok()?;
        let dir = exe.parent()?.parent()?.join("examples");
        let mut candidates: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let file = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                file.starts_with(name) && p.extension().map_or(true, |e| e == "exe")
            })
            .collect();
        candidates.sort();
        candidates.into_iter().find(|p| {
            std::process::Command::new(p)
                .env_clear()
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stderr).contains(usage_mentions))
        })
    })();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the example program `{name}` must be built (cargo build --examples) in CI"
        );
        eprintln!("the example program `{name}` is not built: skipping");
    }
    found
}
