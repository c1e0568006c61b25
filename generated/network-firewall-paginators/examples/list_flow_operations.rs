//! Lists every flow operation of a firewall across pages, with the configuration of
//! the environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL, ...).
//!
//! cargo run -p network-firewall-paginators --example list_flow_operations -- \
//!     --firewall-arn ARN [--page-size N] [--max-items N] [--starting-token T]
//!
//! Prints one line per flow operation (id, type, status, timestamp in RFC 3339), then
//! `resume: T` when `--max-items` stopped the listing early; pass T back as
//! `--starting-token` to continue exactly there. Errors go to stderr, with exit code 1.

use network_firewall::Client;
use network_firewall_paginators::IntoPaginator as _;
use std::io::Write as _;
use std::process::ExitCode;

struct Args {
    firewall_arn: String,
    page_size: Option<i32>,
    max_items: Option<usize>,
    starting_token: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut firewall_arn = None;
    let mut page_size = None;
    let mut max_items = None;
    let mut starting_token = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--firewall-arn" => firewall_arn = Some(value()?),
            "--page-size" => {
                let v = value()?;
                page_size = Some(
                    v.parse()
                        .map_err(|_| format!("--page-size takes a number, not `{v}`"))?,
                );
            }
            "--max-items" => {
                let v = value()?;
                max_items = Some(
                    v.parse()
                        .map_err(|_| format!("--max-items takes a number, not `{v}`"))?,
                );
            }
            "--starting-token" => starting_token = Some(value()?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Args {
        firewall_arn: firewall_arn.ok_or("--firewall-arn is required")?,
        page_size,
        max_items,
        starting_token,
    })
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
            eprintln!(
                "error: {e}\nusage: list_flow_operations --firewall-arn ARN [--page-size N] [--max-items N] [--starting-token T]"
            );
            return ExitCode::from(2);
        }
    };
    let client = Client::from_env();
    let mut paginator = client
        .list_flow_operations()
        .firewall_arn(args.firewall_arn)
        .into_paginator();
    if let Some(n) = args.page_size {
        paginator = paginator.page_size(n);
    }
    if let Some(n) = args.max_items {
        paginator = paginator.max_items(n);
    }
    if let Some(t) = args.starting_token {
        paginator = paginator.starting_token(t);
    }
    let mut items = paginator.items();
    while let Some(item) = items.next().await {
        match item {
            Ok(op) => out!(
                "{} {} {} {}",
                op.flow_operation_id().unwrap_or("-"),
                op.flow_operation_type().map_or("-", |t| t.as_str()),
                op.flow_operation_status().map_or("-", |s| s.as_str()),
                op.flow_request_timestamp()
                    .map_or_else(|| "-".to_string(), |t| t.to_rfc3339()),
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if let Some(token) = items.resume_token() {
        out!("resume: {token}");
    }
    ExitCode::SUCCESS
}
