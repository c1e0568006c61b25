//! What the moto tests share: a moto server of their own on a free 127.0.0.1 port.
//! `MOTO_SERVER` names the `moto_server` program. The tests are `tests/moto.rs`
//! (Network Firewall, awsJson1_0), `tests/moto_rest.rs` (EFS, EKS and Glacier,
//! restJson1) and `tests/moto_json.rs` (DynamoDB, awsJson1_0, and Secrets Manager,
//! awsJson1_1).

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A moto server on 127.0.0.1, stopped when dropped.
pub struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    /// Starts `MOTO_SERVER` on a free port and waits until it listens.
    pub fn start() -> Moto {
        let program =
            std::env::var("MOTO_SERVER").expect("MOTO_SERVER names the moto_server program");
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start listening on {addr}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT`, for `endpoint_url`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client of the generated crate `$krate` for the moto server `$moto` (a [`Moto`]):
/// region us-east-1, fixed credentials (moto accepts any), the server's endpoint. A
/// macro, as every generated crate has its own `Client` and `Config` types.
#[macro_export]
macro_rules! client_for {
    ($krate:ident, $moto:expr) => {
        $krate::Client::from_conf(
            $krate::Config::builder()
                .region("us-east-1")
                .credentials($krate::Credentials::new("AKIDMOTO", "moto-secret", None))
                .endpoint_url($moto.endpoint())
                .build(),
        )
    };
}
