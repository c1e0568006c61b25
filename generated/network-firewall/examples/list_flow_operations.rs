//! Lists one page of a firewall's flow operations, with the configuration of the
//! environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL, ...).
//!
//! cargo run -p network-firewall --example list_flow_operations -- \
//!     --firewall-arn ARN [--max-results N] [--next-token T]
//!
//! Prints one line per flow operation (id, type, status, timestamp in RFC 3339), then
//! `next_token: T` when there is a next page. Errors go to stderr, with exit code 1.

use network_firewall::types::FlowOperationMetadata;
use network_firewall::Client;
use std::io::Write as _;
use std::process::ExitCode;

struct Args {
    firewall_arn: String,
    max_results: Option<i32>,
    next_token: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut firewall_arn = None;
    let mut max_results = None;
    let mut next_token = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--firewall-arn" => firewall_arn = Some(value()?),
            "--max-results" => {
                let v = value()?;
                max_results = Some(
                    v.parse()
                        .map_err(|_| format!("--max-results takes a number, not `{v}`"))?,
                );
            }
            "--next-token" => next_token = Some(value()?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        firewall_arn: firewall_arn.ok_or("--firewall-arn is required")?,
        max_results,
        next_token,
    })
}

/// One output line: id, type, status and timestamp, `-` for what the service left out.
fn line(op: &FlowOperationMetadata) -> String {
    format!(
        "{} {} {} {}",
        op.flow_operation_id().unwrap_or("-"),
        op.flow_operation_type().map_or("-", |t| t.as_str()),
        op.flow_operation_status().map_or("-", |s| s.as_str()),
        op.flow_request_timestamp()
            .map_or_else(|| "-".to_string(), |t| t.to_rfc3339()),
    )
}

/// Prints a line; stops quietly when stdout is closed (`| head`).
macro_rules! out {
    ($($arg:tt)*) => {
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            return ExitCode::SUCCESS;
        }
    };
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\nusage: list_flow_operations --firewall-arn ARN [--max-results N] [--next-token T]");
            return ExitCode::from(2);
        }
    };
    let client = Client::from_env();
    let result = client
        .list_flow_operations()
        .firewall_arn(args.firewall_arn)
        .set_max_results(args.max_results)
        .set_next_token(args.next_token)
        .send()
        .await;
    match result {
        Ok(output) => {
            for op in output.flow_operations() {
                out!("{}", line(op));
            }
            if let Some(token) = output.next_token() {
                out!("next_token: {token}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
