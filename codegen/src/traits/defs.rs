//! The definitions of the traits Smithy ships (the prelude and the AWS and Smithy
//! trait namespaces), written in a small notation of our own and read once, on first
//! use, into the type table the checker walks.
//!
//! # The notation
//!
//! ```text
//! namespace smithy.api                 the namespace of the `trait` lines below it
//! trait NAME [on WHERE...] = TYPE      a trait: its value type, and where it applies
//! type NAME = TYPE                     a named type, used by its name (capitalized)
//! ```
//!
//! Types: `string`, `bool`, `int` (32-bit), `long`, `num` (any number), `doc` (any
//! value), `blob` (a string), `ts` (a timestamp: a string or a number);
//! `"a" | "b"` (one of these strings); `[T]` (a list); `map<K, V>` (an object whose
//! values are `V`); `{a!: T, b: U}` (a structure: `!` marks a required member,
//! `..Name` copies the members of the structure type `Name`; `{}` is an annotation);
//! `union {a: T, b: U}` (exactly one member). A length or range follows in
//! parentheses: `string(1..)`, `int(100..599)`, `[T](1..)`.
//!
//! Where a trait applies (only given when the rule is a plain list of shape kinds;
//! each entry is a superset of what Smithy allows, never narrower): a shape type
//! (`structure`, `operation`, ...; `string` also matches enums and `integer` intEnums,
//! as in Smithy selectors), a group (`simple`, `number`, `shape` for any non-member),
//! `member` (any member), `structure.member` (a member of a structure), and
//! `member>T|U` (a member that targets a T or a U).
//!
//! Patterns (`@pattern`) of the definitions are not checked.

/// The known trait definitions.
pub(crate) const DEFINITIONS: &str = r#"
# ------------------------------------------------------------------ the prelude
namespace smithy.api

trait trait on simple list map structure union = {
    selector: string,
    structurallyExclusive: "member" | "target",
    conflicts: [string(1..)],
    breakingChanges: [DiffRule](1..),
}
type DiffRule = {
    path: string,
    change!: "update" | "add" | "remove" | "presence" | "any",
    severity: Severity,
    message: string,
}
type Severity = "NOTE" | "WARNING" | "DANGER" | "ERROR"

# documentation and metadata about shapes
trait documentation = string
trait title = string
trait since = string
trait tags = [string]
trait suppress = [string(1..)]
trait externalDocumentation = map<string(1..), string(1..)>(1..)
trait deprecated = {message: string, since: string}
trait internal = {}
trait private = {}
trait unstable = {}
trait sensitive on simple list map structure union = {}
trait examples on operation = [{
    title!: string,
    documentation: string,
    input: doc,
    output: doc,
    error: {shapeId: string, content: doc},
    allowConstraintErrors: bool,
}]
trait references on structure string = [{
    resource!: string(1..),
    ids: map<string(1..), string(1..)>,
    service: string(1..),
    rel: string(1..),
}]
trait metadata = {key!: string(1..)}
trait box on boolean byte short integer long float double member = {}

# defining traits, protocols and auth schemes
trait protocolDefinition on structure = {traits: [string], noInlineDocumentSupport: bool}
trait authDefinition on structure = {traits: [string]}
# On any trait shape (`[trait|trait]`).
trait traitValidators = map<string(1..), {
    selector!: string,
    message: string,
    severity: Severity,
}>
trait httpBasicAuth on service = {}
trait httpDigestAuth on service = {}
trait httpBearerAuth on service = {}
trait httpApiKeyAuth on service = {
    name!: string(1..),
    in!: "header" | "query",
    scheme: string(1..),
}
trait auth on service operation = [string]
trait optionalAuth on operation = {}

# types and their values
trait default = doc
trait addedDefault on structure.member = {}
trait clientOptional on structure.member = {}
trait required on structure.member = {}
trait recommended on structure.member = {reason: string}
trait input on structure = {}
trait output on structure = {}
trait unitType on structure = {}
trait error on structure = "client" | "server"
trait mixin on shape = {localTraits: [string]}
trait enum on string = [{
    value!: string(1..),
    name: string,
    documentation: string,
    tags: [string(1..)],
    deprecated: bool,
}](1..)
trait enumValue on enum.member intEnum.member = doc
trait sparse on list map = {}
trait uniqueItems on list = {}
trait streaming on blob union = {}
trait requiresLength on blob = {}
trait mediaType on blob string = string
trait timestampFormat on timestamp member>timestamp = "date-time" | "epoch-seconds" | "http-date"
trait idRef on string member>string = {selector: string, failWhenMissing: bool, errorMessage: string}

# constraints
trait length on list map string blob member>list|map|string|blob = {min: long, max: long}
trait range on number member>number = {min: num, max: num}
trait pattern on string member>string = string

# behavior
trait retryable on structure = {throttling: bool}
trait readonly on operation = {}
trait idempotent on operation = {exists: [string], notFound: [string]}
trait idempotencyToken on structure.member>string = {}
trait paginated on service operation = {
    inputToken: string(1..),
    outputToken: string(1..),
    items: string(1..),
    pageSize: string(1..),
}
trait longPoll on operation = {timeoutMillis!: int(1..)}
trait requestCompression on operation = {encodings!: [string]}
trait httpChecksumRequired on operation = {}

# resources
trait noReplace on resource = {}
trait resourceIdentifier on structure.member>string = string(1..)
trait property on structure.member = {name: string}
trait notProperty on structure structure.member = {}
trait nestedProperties on structure.member = {}

# HTTP bindings
trait http on operation = {method!: string(1..), uri!: string(1..), code: int(100..999)}
trait httpLabel on structure.member = {}
trait httpQuery on structure.member = string(1..)
trait httpQueryParams on structure.member = {}
trait httpHeader on structure.member = string(1..)
trait httpPrefixHeaders on structure.member = string
trait httpPayload on structure.member = {}
trait httpResponseCode on structure.member>integer = {}
trait httpError on structure = int
trait cors on service = {
    origin: string(1..),
    origins: map<string(1..), string(1..)>,
    maxAge: int,
    additionalAllowedHeaders: [string(1..)],
    additionalExposedHeaders: [string(1..)],
}
trait endpoint on operation = {hostPrefix!: string(1..)}
trait hostLabel on structure.member>string = {}

# event streams
trait eventPayload on structure.member>blob|string|structure|union = {}
trait eventHeader on structure.member>boolean|byte|short|integer|long|blob|string|timestamp = {}

# serialization
trait jsonName on structure.member union.member = string
trait xmlAttribute on structure.member = {}
trait xmlFlattened on structure.member union.member = {}
trait xmlName on structure union member = string
trait xmlNamespace on service member simple list map structure union = {
    uri!: string(1..),
    prefix: string(1..),
}

# ------------------------------------------------------------------ aws.api
namespace aws.api

trait arn on resource = {
    template!: string,
    absolute: bool,
    noRegion: bool,
    noAccount: bool,
    resourceDelimiter: "/" | ":",
    reusable: bool,
}
trait arnReference on string = {type: string, resource: string, service: string}
trait awsChunked on blob = {}
trait clientDiscoveredEndpoint on operation = {required!: bool}
trait clientEndpointDiscovery on service = {operation!: string, error: string}
trait clientEndpointDiscoveryId on structure.member>string = {}
trait controlPlane on service resource operation = {}
trait dataPlane on service resource operation = {}
trait data on simple list structure union member =
    "content" | "account" | "usage" | "tagging" | "permissions"
trait service on service = {
    sdkId!: string,
    arnNamespace: string,
    cloudFormationName: string,
    cloudTrailEventSource: string,
    docId: string,
    endpointPrefix: string,
    cloudWatchNamespace: string(1..255),
}
trait tagEnabled on service = {
    disableDefaultOperations: bool,
    apiConfig: {tagApi: string, untagApi: string, listTagsApi: string},
}
trait taggable on resource = {
    property: string,
    apiConfig: {tagApi!: string, untagApi!: string, listTagsApi!: string},
    disableSystemTags: bool,
}

# ------------------------------------------------------------------ aws.auth
namespace aws.auth

trait cognitoUserPools on service = {providerArns!: [string]}
trait cognitoUserPoolsScopes on operation = [string](1..)
trait sigv4 on service = {name!: string(1..)}
trait sigv4a on service = {name!: string(1..)}
trait unsignedPayload on operation = {}

# ------------------------------------------------------------------ aws.customizations
namespace aws.customizations

trait s3UnwrappedXmlOutput on operation = {}

# ------------------------------------------------------------------ aws.endpoints
namespace aws.endpoints

trait endpointsModifier on structure = {}
trait standardRegionalEndpoints on service = {
    partitionSpecialCases: map<string, [{endpoint!: string, dualStack: bool, fips: bool}]>,
    regionSpecialCases: map<string, [{
        endpoint!: string,
        dualStack: bool,
        fips: bool,
        signingRegion: string,
    }]>,
}
trait standardPartitionalEndpoints on service = {
    endpointPatternType!: "service_dnsSuffix" | "service_region_dnsSuffix" | "aws_recommended",
    partitionEndpointSpecialCases: map<string, [{
        endpoint: string,
        region: string,
        dualStack: bool,
        fips: bool,
    }]>,
}
trait dualStackOnlyEndpoints on service = {}
trait rulesBasedEndpoints on service = {}

# ------------------------------------------------------------------ aws.protocols
namespace aws.protocols

type HttpVersions = {http: [string], eventStreamHttp: [string]}
trait awsJson1_0 on service = {..HttpVersions}
trait awsJson1_1 on service = {..HttpVersions}
trait restJson1 on service = {..HttpVersions}
trait restXml on service = {..HttpVersions, noErrorWrapping: bool}
trait awsQuery on service = {}
trait ec2Query on service = {}
trait awsQueryCompatible on service = {}
trait awsQueryError on structure = {code!: string, httpResponseCode!: int}
trait ec2QueryName on structure.member = string
trait httpChecksum on operation = {
    requestAlgorithmMember: string,
    requestChecksumRequired: bool,
    requestValidationModeMember: string,
    responseAlgorithms: [ChecksumAlgorithm](1..),
}
type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "MD5" | "SHA1" | "SHA256"
    | "SHA512" | "XXHASH64" | "XXHASH3" | "XXHASH128"

# ------------------------------------------------------------------ smithy.protocols
namespace smithy.protocols

trait rpcv2Cbor on service = {..HttpVersions}
trait rpcv2Json on service = {..HttpVersions}

# ------------------------------------------------------------------ smithy.rules
namespace smithy.rules

trait endpointRuleSet on service = doc
trait endpointBdd on service = {
    version!: string,
    parameters!: map<string, {
        type!: "string" | "boolean" | "stringArray",
        deprecated: bool,
        documentation: string,
        default: doc,
        builtIn: string,
        required: bool,
    }>,
    conditions!: [RuleCondition],
    results!: [{
        type!: "endpoint" | "error",
        documentation: string,
        error: doc,
        endpoint: {url!: doc, properties: map<string, doc>, headers: map<string, [doc]>},
        conditions: [RuleCondition],
    }],
    root!: int(-1..),
    nodeCount!: int(0..),
    nodes!: string,
}
type RuleCondition = {fn!: string, argv!: [doc], assign: string}
trait endpointTests on service = {
    version!: string,
    testCases: [{
        documentation: string,
        params: doc,
        operationInputs: [{
            operationName!: string,
            operationParams: doc,
            builtInParams: doc,
            clientParams: doc,
        }],
        expect!: union {
            error: string,
            endpoint: {
                url: string,
                headers: map<string, [string]>,
                properties: map<string, doc>,
            },
        },
    }],
}
trait contextParam on structure.member = {name!: string}
trait staticContextParams on operation = map<string, {value!: doc}>
trait operationContextParams on operation = map<string, {path!: string}>
trait clientContextParams on service = map<string, {
    type!: "string" | "boolean",
    documentation: string,
}>

# ------------------------------------------------------------------ smithy.test
namespace smithy.test

type AppliesTo = "client" | "server"
type TestCase = {
    id!: string,
    protocol!: string,
    authScheme: string,
    params: doc,
    vendorParams: doc,
    vendorParamsShape: string,
    documentation: string,
    tags: [string(1..)],
    appliesTo: AppliesTo,
}
type HttpMessage = {
    headers: map<string, string>,
    forbidHeaders: [string],
    requireHeaders: [string],
    body: string,
    bodyMediaType: string,
}
type HttpRequest = {
    ..HttpMessage,
    method!: string(1..),
    uri!: string(1..),
    host: string,
    resolvedHost: string,
    queryParams: [string],
    forbidQueryParams: [string],
    requireQueryParams: [string],
}
type HttpResponse = {..HttpMessage, code!: int(100..599)}
trait httpRequestTests on operation = [{..TestCase, ..HttpRequest}](1..)
trait httpResponseTests on operation structure = [{..TestCase, ..HttpResponse}](1..)
trait httpMalformedRequestTests on operation = [{
    id!: string,
    protocol!: string,
    request!: {
        method!: string(1..),
        uri!: string(1..),
        host: string,
        queryParams: [string],
        headers: map<string, string>,
        body: string,
        bodyMediaType: string,
    },
    response!: {
        headers: map<string, string>,
        code!: int(100..599),
        body: {
            assertion!: union {contents: string, messageRegex: string},
            mediaType!: string,
        },
    },
    documentation: string,
    tags: [string(1..)],
    testParameters: map<string, [string]>,
}](1..)
trait eventStreamTests on operation = [{
    id!: string,
    protocol!: string,
    initialRequestParams: doc,
    initialRequest: doc,
    initialRequestShape: string,
    initialResponseParams: doc,
    initialResponse: doc,
    initialResponseShape: string,
    events: [{
        type!: "request" | "response",
        params: doc,
        headers: map<string, union {
            boolean: bool,
            byte: int(-128..127),
            short: int(-32768..32767),
            integer: int,
            long: long,
            blob: blob,
            string: string,
            timestamp: ts,
        }>,
        forbidHeaders: [string],
        requireHeaders: [string],
        body: blob,
        bodyMediaType: string,
        bytes: blob,
        vendorParams: doc,
        vendorParamsShape: string,
    }],
    expectation: union {success: {}, failure: {errorId: string}},
    vendorParams: doc,
    vendorParamsShape: string,
    documentation: string,
    appliesTo: AppliesTo,
    tags: [string(1..)],
}](1..)

# ------------------------------------------------------------------ smithy.waiters
namespace smithy.waiters

trait waitable on operation = map<string, {
    documentation: string,
    acceptors!: [{
        state!: "success" | "failure" | "retry",
        matcher!: union {
            output: PathMatcher,
            inputOutput: PathMatcher,
            errorType: string,
            success: bool,
        },
        message: string,
    }](1..),
    minDelay: int(1..),
    maxDelay: int(1..),
    deprecated: bool,
    tags: [string(1..)],
}>(1..)
type PathMatcher = {
    path!: string,
    expected!: string,
    comparator!: "stringEquals" | "booleanEquals" | "allStringEquals" | "anyStringEquals",
}
"#;
