//! The ids (and types) of the shapes of the prelude and of the trait namespaces
//! models commonly `use` (`aws.api`, `aws.auth`, `aws.customizations`,
//! `aws.endpoints`, `aws.protocols`, `smithy.framework`, `smithy.protocols`,
//! `smithy.rules`, `smithy.test`, `smithy.waiters`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Shape names and types, by namespace.
const SHAPES: &[(&str, &[(&str, &str)])] = &[
    (
        "aws.api",
        &[
            ("ArnNamespace", "string"),
            ("CloudFormationName", "string"),
            ("CloudWatchMetricNamespace", "string"),
            ("ResourceDelimiter", "enum"),
            ("ServiceTagOperationReference", "string"),
            ("TagOperationReference", "string"),
            ("TaggableApiConfig", "structure"),
            ("TaggableServiceApiConfig", "structure"),
            ("arn", "structure"),
            ("arnReference", "structure"),
            ("awsChunked", "structure"),
            ("clientDiscoveredEndpoint", "structure"),
            ("clientEndpointDiscovery", "structure"),
            ("clientEndpointDiscoveryId", "structure"),
            ("controlPlane", "structure"),
            ("data", "enum"),
            ("dataPlane", "structure"),
            ("service", "structure"),
            ("tagEnabled", "structure"),
            ("taggable", "structure"),
        ],
    ),
    (
        "aws.auth",
        &[
            ("StringList", "list"),
            ("cognitoUserPools", "structure"),
            ("cognitoUserPoolsScopes", "list"),
            ("sigv4", "structure"),
            ("sigv4a", "structure"),
            ("unsignedPayload", "structure"),
        ],
    ),
    (
        "aws.customizations",
        &[("s3UnwrappedXmlOutput", "structure")],
    ),
    (
        "aws.endpoints",
        &[
            ("PartitionEndpointPattern", "enum"),
            ("PartitionEndpointSpecialCase", "structure"),
            ("PartitionEndpointSpecialCaseList", "list"),
            ("PartitionEndpointSpecialCaseMap", "map"),
            ("PartitionSpecialCase", "structure"),
            ("PartitionSpecialCaseList", "list"),
            ("PartitionSpecialCaseMap", "map"),
            ("RegionSpecialCase", "structure"),
            ("RegionSpecialCaseList", "list"),
            ("RegionSpecialCaseMap", "map"),
            ("dualStackOnlyEndpoints", "structure"),
            ("endpointsModifier", "structure"),
            ("rulesBasedEndpoints", "structure"),
            ("standardPartitionalEndpoints", "structure"),
            ("standardRegionalEndpoints", "structure"),
        ],
    ),
    (
        "aws.protocols",
        &[
            ("ChecksumAlgorithm", "enum"),
            ("ChecksumAlgorithmSet", "list"),
            ("HttpConfiguration", "structure"),
            ("StringList", "list"),
            ("awsJson1_0", "structure"),
            ("awsJson1_1", "structure"),
            ("awsQuery", "structure"),
            ("awsQueryCompatible", "structure"),
            ("awsQueryError", "structure"),
            ("ec2Query", "structure"),
            ("ec2QueryName", "string"),
            ("httpChecksum", "structure"),
            ("restJson1", "structure"),
            ("restXml", "structure"),
        ],
    ),
    (
        "smithy.api",
        &[
            ("AuthTraitReference", "string"),
            ("BigDecimal", "bigDecimal"),
            ("BigInteger", "bigInteger"),
            ("Blob", "blob"),
            ("Boolean", "boolean"),
            ("Byte", "byte"),
            ("ClosureId", "string"),
            ("CommonMark", "string"),
            ("Document", "document"),
            ("Double", "double"),
            ("EnumConstantBodyName", "string"),
            ("EnumDefinition", "structure"),
            ("Example", "structure"),
            ("ExampleError", "structure"),
            ("Float", "float"),
            ("HttpApiKeyLocations", "enum"),
            ("IdempotentErrors", "list"),
            ("Identifier", "string"),
            ("Integer", "integer"),
            ("LocalMixinTrait", "string"),
            ("LocalMixinTraitList", "list"),
            ("Long", "long"),
            ("Namespaces", "list"),
            ("NonEmptyString", "string"),
            ("NonEmptyStringList", "list"),
            ("NonEmptyStringMap", "map"),
            ("PrimitiveBoolean", "boolean"),
            ("PrimitiveByte", "byte"),
            ("PrimitiveDouble", "double"),
            ("PrimitiveFloat", "float"),
            ("PrimitiveInteger", "integer"),
            ("PrimitiveLong", "long"),
            ("PrimitiveShort", "short"),
            ("Reference", "structure"),
            ("Renames", "map"),
            ("RequestCompressionEncodingsList", "list"),
            ("Severity", "enum"),
            ("ShapeClosure", "structure"),
            ("ShapeClosures", "list"),
            ("Short", "short"),
            ("String", "string"),
            ("StructurallyExclusive", "enum"),
            ("Timestamp", "timestamp"),
            ("TraitChangeType", "enum"),
            ("TraitDiffRule", "structure"),
            ("TraitDiffRules", "list"),
            ("TraitShapeId", "string"),
            ("TraitShapeIdList", "list"),
            ("TraitValidator", "structure"),
            ("Unit", "structure"),
            ("addedDefault", "structure"),
            ("auth", "list"),
            ("authDefinition", "structure"),
            ("box", "structure"),
            ("clientOptional", "structure"),
            ("cors", "structure"),
            ("default", "document"),
            ("deprecated", "structure"),
            ("documentation", "string"),
            ("endpoint", "structure"),
            ("enum", "list"),
            ("enumValue", "document"),
            ("error", "enum"),
            ("eventHeader", "structure"),
            ("eventPayload", "structure"),
            ("examples", "list"),
            ("externalDocumentation", "map"),
            ("hostLabel", "structure"),
            ("http", "structure"),
            ("httpApiKeyAuth", "structure"),
            ("httpBasicAuth", "structure"),
            ("httpBearerAuth", "structure"),
            ("httpChecksumRequired", "structure"),
            ("httpDigestAuth", "structure"),
            ("httpError", "integer"),
            ("httpHeader", "string"),
            ("httpLabel", "structure"),
            ("httpPayload", "structure"),
            ("httpPrefixHeaders", "string"),
            ("httpQuery", "string"),
            ("httpQueryParams", "structure"),
            ("httpResponseCode", "structure"),
            ("idRef", "structure"),
            ("idempotencyToken", "structure"),
            ("idempotent", "structure"),
            ("input", "structure"),
            ("internal", "structure"),
            ("jsonName", "string"),
            ("length", "structure"),
            ("longPoll", "structure"),
            ("mediaType", "string"),
            ("metadata", "structure"),
            ("mixin", "structure"),
            ("nestedProperties", "structure"),
            ("noReplace", "structure"),
            ("notProperty", "structure"),
            ("optionalAuth", "structure"),
            ("output", "structure"),
            ("paginated", "structure"),
            ("pattern", "string"),
            ("private", "structure"),
            ("property", "structure"),
            ("protocolDefinition", "structure"),
            ("range", "structure"),
            ("readonly", "structure"),
            ("recommended", "structure"),
            ("references", "list"),
            ("requestCompression", "structure"),
            ("required", "structure"),
            ("requiresLength", "structure"),
            ("resourceIdentifier", "string"),
            ("retryable", "structure"),
            ("sensitive", "structure"),
            ("since", "string"),
            ("sparse", "structure"),
            ("streaming", "structure"),
            ("suppress", "list"),
            ("tags", "list"),
            ("timestampFormat", "enum"),
            ("title", "string"),
            ("trait", "structure"),
            ("traitValidators", "map"),
            ("uniqueItems", "structure"),
            ("unitType", "structure"),
            ("unstable", "structure"),
            ("xmlAttribute", "structure"),
            ("xmlFlattened", "structure"),
            ("xmlName", "string"),
            ("xmlNamespace", "structure"),
        ],
    ),
    (
        "smithy.framework",
        &[
            ("ValidationException", "structure"),
            ("ValidationExceptionField", "structure"),
            ("ValidationExceptionFieldList", "list"),
        ],
    ),
    (
        "smithy.protocols",
        &[
            ("StringList", "list"),
            ("rpcv2Cbor", "structure"),
            ("rpcv2Json", "structure"),
        ],
    ),
    (
        "smithy.rules",
        &[
            ("ClientContextParamDefinition", "structure"),
            ("Condition", "structure"),
            ("Conditions", "list"),
            ("DocumentList", "list"),
            ("EndpointExpectation", "structure"),
            ("EndpointHeaderValue", "list"),
            ("EndpointHeaders", "map"),
            ("EndpointObject", "structure"),
            ("EndpointObjectHeaders", "map"),
            ("EndpointProperties", "map"),
            ("EndpointTest", "structure"),
            ("EndpointTestExpectation", "union"),
            ("EndpointTestList", "list"),
            ("OperationContextParamDefinition", "structure"),
            ("OperationInput", "structure"),
            ("OperationInputs", "list"),
            ("Parameter", "structure"),
            ("ParameterType", "enum"),
            ("Parameters", "map"),
            ("Properties", "map"),
            ("Result", "structure"),
            ("ResultType", "enum"),
            ("Results", "list"),
            ("ShapeType", "enum"),
            ("StaticContextParamDefinition", "structure"),
            ("clientContextParams", "map"),
            ("contextParam", "structure"),
            ("endpointBdd", "structure"),
            ("endpointRuleSet", "document"),
            ("endpointTests", "structure"),
            ("operationContextParams", "map"),
            ("staticContextParams", "map"),
        ],
    ),
    (
        "smithy.test",
        &[
            ("AppliesTo", "enum"),
            ("Event", "structure"),
            ("EventHeaderValue", "union"),
            ("EventHeaders", "map"),
            ("EventStreamTestCase", "structure"),
            ("EventType", "enum"),
            ("Events", "list"),
            ("HttpMalformedRequestDefinition", "structure"),
            ("HttpMalformedRequestTestCase", "structure"),
            ("HttpMalformedRequestTestParametersDefinition", "map"),
            ("HttpMalformedResponseBodyAssertion", "union"),
            ("HttpMalformedResponseBodyDefinition", "structure"),
            ("HttpMalformedResponseDefinition", "structure"),
            ("HttpMessageMixin", "structure"),
            ("HttpRequestMixin", "structure"),
            ("HttpRequestTestCase", "structure"),
            ("HttpResponseMixin", "structure"),
            ("HttpResponseTestCase", "structure"),
            ("InitialHttpRequest", "structure"),
            ("InitialHttpResponse", "structure"),
            ("NonEmptyString", "string"),
            ("NonEmptyStringList", "list"),
            ("StringList", "list"),
            ("StringMap", "map"),
            ("TestExpectation", "union"),
            ("TestFailureExpectation", "structure"),
            ("eventStreamTests", "list"),
            ("httpMalformedRequestTests", "list"),
            ("httpRequestTests", "list"),
            ("httpResponseTests", "list"),
        ],
    ),
    (
        "smithy.waiters",
        &[
            ("Acceptor", "structure"),
            ("AcceptorState", "enum"),
            ("Acceptors", "list"),
            ("Matcher", "union"),
            ("NonEmptyString", "string"),
            ("NonEmptyStringList", "list"),
            ("PathComparator", "enum"),
            ("PathMatcher", "structure"),
            ("Waiter", "structure"),
            ("WaiterDelay", "integer"),
            ("WaiterName", "string"),
            ("waitable", "map"),
        ],
    ),
];

fn prelude() -> &'static [(&'static str, &'static str)] {
    SHAPES
        .iter()
        .find(|(ns, _)| *ns == "smithy.api")
        .map(|(_, s)| *s)
        .unwrap_or(&[])
}

/// Whether `smithy.api#<name>` is a prelude shape.
pub(crate) fn is_prelude_shape(name: &str) -> bool {
    prelude().binary_search_by(|(n, _)| (*n).cmp(name)).is_ok()
}

/// The type of a known shape (`list`, `structure`, ...).
pub(crate) fn known_trait_type(id: &str) -> Option<&'static str> {
    let (ns, name) = id.split_once('#')?;
    let (_, shapes) = SHAPES.iter().find(|(n, _)| *n == ns)?;
    shapes
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| shapes[i].1)
}

/// Every known absolute shape id.
pub(crate) fn all_ids() -> BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        SHAPES
            .iter()
            .flat_map(|(ns, shapes)| shapes.iter().map(move |(n, _)| format!("{ns}#{n}")))
            .collect()
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for (ns, shapes) in SHAPES {
            assert!(
                shapes.windows(2).all(|w| w[0].0 < w[1].0),
                "{ns} is not sorted"
            );
        }
        assert!(is_prelude_shape("String"));
        assert_eq!(known_trait_type("smithy.api#tags"), Some("list"));
        assert_eq!(
            known_trait_type("smithy.test#httpRequestTests"),
            Some("list")
        );
    }
}
