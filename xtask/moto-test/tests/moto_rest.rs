//! Clients generated from the official EFS, EKS and Glacier models (restJson1) against
//! moto: creating, listing through the paginator, describing, the typed errors of
//! missing and busy resources, tags, deleting; Glacier's archives streamed up from a
//! file and down as they arrive. `MOTO_SERVER` names the `moto_server` program;
//! each test starts a moto server of its own.

use moto_test::Moto;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const ACCOUNT: &str = "123456789012";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn efs_against_moto() {
    use efs::types::Tag;
    use efs_paginators::IntoPaginator as _;

    let moto = Moto::start();
    let client = moto_test::client_for!(efs, moto);
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build().unwrap();

    // 30 file systems, each with its creation token and a Name tag.
    let mut created = BTreeMap::new();
    for i in 0..30 {
        let token = format!("token-{i:02}");
        let fs = client
            .create_file_system()
            .creation_token(&token)
            .encrypted(i % 2 == 0)
            .tags(tag("Name", &format!("fs-{i:02}")))
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateFileSystem {token}: {e}"));
        assert_eq!(fs.creation_token(), token);
        assert!(fs.file_system_id().starts_with("fs-"), "{fs:?}");
        assert_eq!(fs.owner_id(), ACCOUNT);
        assert_eq!(fs.name(), Some(format!("fs-{i:02}").as_str()));
        assert_eq!(fs.encrypted(), Some(i % 2 == 0));
        let previous = created.insert(fs.file_system_id().to_string(), token);
        assert!(previous.is_none(), "two file systems with one id: {fs:?}");
    }
    assert_eq!(created.len(), 30);

    // All of them, through the paginator, seven to a page (`MaxItems` / `NextMarker`).
    let mut pages = client
        .describe_file_systems()
        .into_paginator()
        .page_size(7)
        .pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().file_systems().len());
    }
    assert_eq!(sizes, vec![7, 7, 7, 7, 2]);
    let mut items = client
        .describe_file_systems()
        .into_paginator()
        .page_size(7)
        .items();
    let mut listed = Vec::new();
    while let Some(fs) = items.next().await {
        let fs = fs.unwrap();
        listed.push((
            fs.file_system_id().to_string(),
            fs.creation_token().to_string(),
        ));
    }
    assert_eq!(listed.len(), 30, "{listed:?}");
    let unique: BTreeMap<String, String> = listed.into_iter().collect();
    assert_eq!(unique, created, "every file system exactly once");

    // `max_items` stops the listing in the middle of a page.
    let first: Vec<_> = client
        .describe_file_systems()
        .into_paginator()
        .page_size(7)
        .max_items(10)
        .items()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(first.len(), 10);
    assert!(first.iter().all(Result::is_ok));

    // One, by its id and by its creation token.
    let (id, token) = created
        .iter()
        .find(|(_, token)| token.as_str() == "token-03")
        .unwrap();
    let by_id = client
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.file_systems().len(), 1);
    assert_eq!(by_id.file_systems()[0].creation_token(), token);
    assert_eq!(by_id.next_marker(), None);
    let by_token = client
        .describe_file_systems()
        .creation_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.file_systems().len(), 1);
    assert_eq!(by_token.file_systems()[0].file_system_id(), id);

    // A missing one: the modeled error (HTTP 404, `FileSystemNotFound`).
    let err = client
        .describe_file_systems()
        .file_system_id("fs-0123456789abcdef0")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        efs::error::DescribeFileSystemsError::FileSystemNotFound(nf) => {
            let message = nf.message().unwrap_or_default();
            assert!(message.contains("fs-0123456789abcdef0"), "{nf:?}");
        }
        other => panic!("expected FileSystemNotFound, got {other:?}"),
    }

    // Tags: added to the Name tag, read back, then taken off again (`tagKeys` in the
    // query string).
    let tags_of = |id: String| {
        let client = client.clone();
        async move {
            let out = client
                .list_tags_for_resource()
                .resource_id(id)
                .send()
                .await
                .unwrap();
            out.tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string()))
                .collect::<BTreeMap<_, _>>()
        }
    };
    client
        .tag_resource()
        .resource_id(id)
        .tags(tag("team", "storage"))
        .tags(tag("cost center", "42/a&b"))
        .send()
        .await
        .unwrap();
    let expected: BTreeMap<String, String> = [
        ("Name", "fs-03"),
        ("team", "storage"),
        ("cost center", "42/a&b"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(tags_of(id.clone()).await, expected);
    let described = client
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.file_systems()[0].tags().len(), 3);
    client
        .untag_resource()
        .resource_id(id)
        .tag_keys("team")
        .tag_keys("cost center")
        .send()
        .await
        .unwrap();
    let left: BTreeMap<String, String> = [("Name".to_string(), "fs-03".to_string())].into();
    assert_eq!(tags_of(id.clone()).await, left);

    // Deleted: gone from the listing, and describing it is the typed error again.
    client
        .delete_file_system()
        .file_system_id(id)
        .send()
        .await
        .unwrap();
    let err = client
        .describe_file_systems()
        .file_system_id(id)
        .send()
        .await
        .unwrap_err();
    let service_error = err.as_service_error().unwrap_or_else(|| panic!("{err}"));
    assert!(
        service_error.is_file_system_not_found(),
        "{service_error:?}"
    );
    let remaining: Vec<_> = client
        .describe_file_systems()
        .into_paginator()
        .page_size(7)
        .items()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(remaining.len(), 29);
    drop(moto);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eks_against_moto() {
    use eks::error::{DeleteClusterError, DescribeClusterError};
    use eks::types::{NodegroupScalingConfig, NodegroupStatus, VpcConfigRequest};
    use eks_paginators::IntoPaginator as _;

    let moto = Moto::start();
    let client = moto_test::client_for!(eks, moto);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/eks-cluster");
    let node_role = format!("arn:aws:iam::{ACCOUNT}:role/eks-nodes");
    let subnets = ["subnet-0a", "subnet-0b"];

    // Five clusters (so that listing them takes pages).
    let names: Vec<String> = (0..5).map(|i| format!("cluster-{i}")).collect();
    for name in &names {
        let out = client
            .create_cluster()
            .name(name)
            .version("1.31")
            .role_arn(&role)
            .resources_vpc_config(
                VpcConfigRequest::builder()
                    .subnet_ids(subnets[0])
                    .subnet_ids(subnets[1])
                    .endpoint_public_access(true)
                    .build(),
            )
            .tags("env", "moto")
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateCluster {name}: {e}"));
        let cluster = out.cluster().expect("the created cluster");
        assert_eq!(cluster.name(), Some(name.as_str()));
    }

    // Listed through the paginator, two to a page (`maxResults` / `nextToken`).
    let mut pages = client.list_clusters().into_paginator().page_size(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().clusters().len());
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    let mut items = client.list_clusters().into_paginator().page_size(2).items();
    let mut listed = Vec::new();
    while let Some(name) = items.next().await {
        listed.push(name.unwrap());
    }
    assert_eq!(listed, names);

    // One, described.
    let described = client
        .describe_cluster()
        .name("cluster-2")
        .send()
        .await
        .unwrap();
    let cluster = described.cluster().unwrap();
    assert_eq!(cluster.name(), Some("cluster-2"));
    assert_eq!(cluster.version(), Some("1.31"));
    assert_eq!(cluster.role_arn(), Some(role.as_str()));
    assert_eq!(
        cluster.arn(),
        Some(format!("arn:aws:eks:us-east-1:{ACCOUNT}:cluster/cluster-2").as_str())
    );
    assert_eq!(cluster.status().map(|s| s.as_str()), Some("ACTIVE"));
    assert_eq!(
        cluster
            .tags()
            .and_then(|t| t.get("env"))
            .map(String::as_str),
        Some("moto")
    );
    let vpc = cluster
        .resources_vpc_config()
        .expect("the VPC configuration");
    assert_eq!(vpc.subnet_ids(), &subnets.map(String::from)[..]);

    // The model's waiters: `ClusterActive` succeeds at once (moto makes clusters
    // ACTIVE as they are created), with the output that matched; `ClusterDeleted` on a
    // cluster that is still ACTIVE stops at its failure acceptor.
    let active = client
        .describe_cluster()
        .name("cluster-2")
        .wait_until_cluster_active(Duration::from_secs(120))
        .await
        .expect("the cluster is active")
        .expect("the output that matched");
    assert_eq!(active.cluster().and_then(|c| c.name()), Some("cluster-2"));
    let e = client
        .describe_cluster()
        .name("cluster-2")
        .wait_until_cluster_deleted(Duration::from_secs(120))
        .await
        .unwrap_err();
    // The poll that matched comes back: the cluster, still ACTIVE.
    let eks::primitives::WaiterError::Failure {
        waiter: "ClusterDeleted",
        last: eks::primitives::LastPoll::Output(out),
    } = e
    else {
        panic!("{e}")
    };
    assert_eq!(
        out.cluster().and_then(|c| c.status()).map(|s| s.as_str()),
        Some("ACTIVE")
    );

    // A missing one: the modeled error.
    let err = client
        .describe_cluster()
        .name("no-such-cluster")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        DescribeClusterError::ResourceNotFoundException(_) => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }

    // Three node groups on cluster-2, listed two to a page, one described.
    let groups = ["workers-a", "workers-b", "workers-c"];
    for (i, group) in groups.iter().enumerate() {
        let size = i as i32 + 1;
        let out = client
            .create_nodegroup()
            .cluster_name("cluster-2")
            .nodegroup_name(*group)
            .node_role(&node_role)
            .subnets(subnets[0])
            .subnets(subnets[1])
            .scaling_config(
                NodegroupScalingConfig::builder()
                    .min_size(size)
                    .max_size(size + 2)
                    .desired_size(size)
                    .build(),
            )
            .instance_types("t3.medium")
            .labels("group", *group)
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateNodegroup {group}: {e}"));
        let nodegroup = out.nodegroup().expect("the created node group");
        assert_eq!(nodegroup.nodegroup_name(), Some(*group));
        assert_eq!(nodegroup.cluster_name(), Some("cluster-2"));
    }
    let mut listed = Vec::new();
    let mut items = client
        .list_nodegroups()
        .cluster_name("cluster-2")
        .into_paginator()
        .page_size(2)
        .items();
    while let Some(name) = items.next().await {
        listed.push(name.unwrap());
    }
    assert_eq!(listed, groups);
    let empty = client
        .list_nodegroups()
        .cluster_name("cluster-0")
        .send()
        .await
        .unwrap();
    assert!(empty.nodegroups().is_empty());
    let described = client
        .describe_nodegroup()
        .cluster_name("cluster-2")
        .nodegroup_name("workers-b")
        .send()
        .await
        .unwrap();
    let nodegroup = described.nodegroup().unwrap();
    assert_eq!(nodegroup.nodegroup_name(), Some("workers-b"));
    assert_eq!(nodegroup.node_role(), Some(node_role.as_str()));
    assert_eq!(nodegroup.status(), Some(&NodegroupStatus::Active));
    let scaling = nodegroup.scaling_config().unwrap();
    assert_eq!(
        (
            scaling.min_size(),
            scaling.max_size(),
            scaling.desired_size()
        ),
        (Some(2), Some(4), Some(2))
    );
    assert_eq!(nodegroup.instance_types(), ["t3.medium"]);
    assert_eq!(
        nodegroup
            .labels()
            .and_then(|l| l.get("group"))
            .map(String::as_str),
        Some("workers-b")
    );

    // A cluster with node groups cannot be deleted: ResourceInUseException.
    let err = client
        .delete_cluster()
        .name("cluster-2")
        .send()
        .await
        .unwrap_err();
    match err.into_service_error() {
        DeleteClusterError::ResourceInUseException(_) => {}
        other => panic!("expected ResourceInUseException, got {other:?}"),
    }

    // Node groups deleted, then the cluster: gone from the listings.
    for group in groups {
        let out = client
            .delete_nodegroup()
            .cluster_name("cluster-2")
            .nodegroup_name(group)
            .send()
            .await
            .unwrap();
        assert_eq!(out.nodegroup().unwrap().nodegroup_name(), Some(group));
    }
    let none = client
        .list_nodegroups()
        .cluster_name("cluster-2")
        .send()
        .await
        .unwrap();
    assert!(none.nodegroups().is_empty(), "{none:?}");
    let deleted = client
        .delete_cluster()
        .name("cluster-2")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.cluster().unwrap().name(), Some("cluster-2"));
    let err = client
        .describe_cluster()
        .name("cluster-2")
        .send()
        .await
        .unwrap_err();
    let service_error = err.as_service_error().unwrap_or_else(|| panic!("{err}"));
    assert!(
        service_error.is_resource_not_found_exception(),
        "{service_error:?}"
    );
    // Now `ClusterDeleted` succeeds, on that error: there is no output to hand back.
    let gone = client
        .describe_cluster()
        .name("cluster-2")
        .wait_until_cluster_deleted(Duration::from_secs(120))
        .await
        .expect("the cluster is deleted");
    assert!(gone.is_none());
    let left: BTreeSet<String> = client
        .list_clusters()
        .into_paginator()
        .page_size(2)
        .items()
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let expected: BTreeSet<String> = ["cluster-0", "cluster-1", "cluster-3", "cluster-4"]
        .map(String::from)
        .into();
    assert_eq!(left, expected);
    drop(moto);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn glacier_streams_archives_against_moto() {
    use glacier::primitives::ByteStream;

    let moto = Moto::start();
    let client = moto_test::client_for!(glacier, moto);
    // No account id: `-`, the caller's own account, as the SDKs do.
    client
        .create_vault()
        .vault_name("photos")
        .send()
        .await
        .unwrap();
    let vault = client
        .describe_vault()
        .vault_name("photos")
        .send()
        .await
        .unwrap();
    assert_eq!(vault.vault_name.as_deref(), Some("photos"));
    assert!(vault
        .vault_arn
        .as_deref()
        .is_some_and(|a| a.ends_with(":vaults/photos")));

    // A 3 MB archive, read from a file as it is sent, with Glacier's hashes.
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let dir = std::env::temp_dir().join(format!("moto-glacier-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("archive.bin");
    std::fs::write(&path, &data).unwrap();
    let uploaded = client
        .upload_archive()
        .vault_name("photos")
        .archive_description("pattern")
        .body(ByteStream::from_path(&path).await.unwrap())
        .send()
        .await
        .unwrap();
    let archive_id = uploaded.archive_id.clone().expect("an archive id");

    // Retrieve it: a job, then its output, read chunk by chunk.
    let job = client
        .initiate_job()
        .vault_name("photos")
        .job_parameters(
            glacier::types::JobParameters::builder()
                .r#type("archive-retrieval")
                .archive_id(&archive_id)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let job_id = job.job_id.clone().expect("a job id");
    let mut completed = false;
    for _ in 0..40 {
        let d = client
            .describe_job()
            .vault_name("photos")
            .job_id(&job_id)
            .send()
            .await
            .unwrap();
        if d.completed {
            completed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(completed, "the retrieval job did not complete");
    let mut out = client
        .get_job_output()
        .vault_name("photos")
        .job_id(&job_id)
        .send()
        .await
        .unwrap();
    let mut received = Vec::with_capacity(data.len());
    while let Some(chunk) = out.body.next().await {
        received.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(received.len(), data.len());
    assert!(received == data, "the archive came back different");

    client
        .delete_archive()
        .vault_name("photos")
        .archive_id(&archive_id)
        .send()
        .await
        .unwrap();
    // A vault that is not there: the service's code is kept.
    let e = client
        .describe_vault()
        .vault_name("missing")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.code().is_some(), "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
