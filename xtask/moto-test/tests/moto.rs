//! The generated Network Firewall client against moto (an independent implementation
//! of the service, from PyPI): create, list through the paginator, describe, a missing
//! resource, logging configuration. `MOTO_SERVER` names the `moto_server` program.

use futures_util::StreamExt as _;
use moto_test::Moto;
use network_firewall::types::{
    LogDestinationConfig, LogDestinationType, LogType, LoggingConfiguration, SubnetMapping,
};
use network_firewall_paginators::IntoPaginator as _;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn network_firewall_against_moto() {
    let moto = Moto::start();
    let client = moto_test::client_for!(network_firewall, moto);
    let policy = "arn:aws:network-firewall:us-east-1:123456789012:firewall-policy/moto-policy";

    let mut expected = Vec::new();
    for i in 0..25 {
        let name = format!("firewall-{i:02}");
        let out = client
            .create_firewall()
            .firewall_name(&name)
            .firewall_policy_arn(policy)
            .vpc_id("vpc-0123456789abcdef0")
            .subnet_mappings(
                SubnetMapping::builder()
                    .subnet_id(format!("subnet-{i:02}"))
                    .build()
                    .unwrap(),
            )
            .description(format!("number {i}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateFirewall {name}: {e}"));
        let firewall = out.firewall().expect("the created firewall");
        assert_eq!(firewall.firewall_name(), Some(name.as_str()));
        expected.push(name);
    }

    // Every firewall, through the paginator, seven at a time.
    let pages: Vec<_> = client
        .list_firewalls()
        .into_paginator()
        .page_size(7)
        .pages()
        .collect()
        .await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.as_ref().unwrap().firewalls().len())
        .collect();
    assert_eq!(sizes, vec![7, 7, 7, 4]);
    let mut names: Vec<String> = client
        .list_firewalls()
        .into_paginator()
        .page_size(7)
        .items()
        .map(|f| f.unwrap().firewall_name().unwrap().to_string())
        .collect()
        .await;
    names.sort();
    assert_eq!(names, expected);

    // One, described.
    let described = client
        .describe_firewall()
        .firewall_name("firewall-07")
        .send()
        .await
        .unwrap();
    let firewall = described.firewall().unwrap();
    assert_eq!(firewall.firewall_name(), Some("firewall-07"));
    assert_eq!(firewall.vpc_id(), "vpc-0123456789abcdef0");
    assert_eq!(firewall.description(), Some("number 7"));
    let arn = firewall.firewall_arn().expect("an ARN").to_string();

    // A missing one: the modeled error variant.
    let err = client
        .describe_firewall()
        .firewall_name("no-such-firewall")
        .send()
        .await
        .unwrap_err();
    let service_error = err.as_service_error().unwrap_or_else(|| panic!("{err}"));
    assert!(
        service_error.is_resource_not_found_exception(),
        "{service_error:?}"
    );

    // Logging configuration, updated then read back.
    let config = LoggingConfiguration::builder()
        .log_destination_configs(
            LogDestinationConfig::builder()
                .log_type(LogType::Flow)
                .log_destination_type(LogDestinationType::S3)
                .log_destination("bucketName", "moto-logs")
                .log_destination("prefix", "flows")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let updated = client
        .update_logging_configuration()
        .firewall_arn(&arn)
        .logging_configuration(config.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.logging_configuration(), Some(&config));
    let read = client
        .describe_logging_configuration()
        .firewall_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(read.firewall_arn(), Some(arn.as_str()));
    assert_eq!(read.logging_configuration(), Some(&config));
    drop(moto);
}
