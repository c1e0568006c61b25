//! The intermediate representation: one type per generated item, with Rust names and
//! wire names side by side, so that emitters never see shape ids or re-derive a name.

use serde_json::Value;

/// A whole service, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The service shape's id.
    pub shape_id: String,
    /// The service shape's name, used in `X-Amz-Target`.
    pub target_prefix: String,
    /// The package name of the generated crate (`network-firewall`).
    pub crate_name: String,
    /// The library name of the generated crate (`network_firewall`).
    pub lib_name: String,
    /// A human title (`AWS Network Firewall`).
    pub title: String,
    /// The service's `sdkId` (`Network Firewall`), or its shape name without one.
    pub sdk_id: String,
    /// Rustdoc for the crate.
    pub docs: String,
    /// The wire protocol; `None` for a client of no operations whose service speaks a
    /// protocol this generator does not (yet): such a client only resolves endpoints,
    /// which is all the model's endpoint tests need.
    pub protocol: Option<Protocol>,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// The endpoint prefix (`network-firewall` in `network-firewall.us-east-1.amazonaws.com`).
    pub endpoint_prefix: String,
    /// The service's API version.
    pub version: String,
    /// Whether the service has `@awsQueryCompatible`.
    pub query_compatible: bool,
    /// The operations, by Rust name.
    pub operations: Vec<Operation>,
    /// Structures, unions and enums, by Rust name.
    pub types: Vec<TypeDef>,
    /// What was left out, and why.
    pub warnings: Vec<String>,
    /// The operations of the model left out, by name, with the reason.
    pub left_out: Vec<(String, String)>,
    /// The service's `smithy.rules#endpointRuleSet`, as compact JSON text.
    pub endpoint_rules: Option<String>,
    /// The `smithy.rules#endpointTests` cases to generate as tests (when asked for).
    pub endpoint_tests: Vec<Value>,
    /// The protocol tests of operations left out: counted as skipped, with the reason.
    pub skipped_tests: Vec<ProtocolTest>,
    /// Headers every request carries (service customizations: API Gateway's
    /// `Accept: application/json`, Glacier's `X-Amz-Glacier-Version`).
    pub default_headers: Vec<(String, String)>,
    /// URI labels, by member name, that take a value when left unset or empty (a
    /// service customization: Glacier's `accountId` is `-`, the caller's account).
    pub label_defaults: Vec<(String, String)>,
    /// Endpoint discovery (`aws.api#clientEndpointDiscovery`), when the service has it
    /// and its discovery operation is generated.
    pub discovery: Option<EndpointDiscovery>,
}

impl Service {
    /// The structure named `name` (its Rust name).
    pub fn find_struct(&self, name: &str) -> Option<&Struct> {
        self.types.iter().find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
    }

    /// The Rust names of the unions the service's outputs stream as events.
    pub fn event_stream_unions(&self) -> std::collections::BTreeSet<&str> {
        self.streamed_unions(false)
    }

    /// The Rust names of the unions the service's inputs stream as events.
    pub fn sent_event_unions(&self) -> std::collections::BTreeSet<&str> {
        self.streamed_unions(true)
    }

    fn streamed_unions(&self, sent: bool) -> std::collections::BTreeSet<&str> {
        self.types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Struct(s) => Some(s),
                _ => None,
            })
            .flat_map(|s| s.fields.iter())
            .filter_map(|f| match &f.ty {
                Type::EventStream { union, input } if *input == sent => Some(union.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// A service's endpoint discovery.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointDiscovery {
    /// The Rust type name of the discovery operation (`DescribeEndpoints`).
    pub operation: String,
    /// The wire name of the discovery operation.
    pub wire_name: String,
    /// The code of the error that says an endpoint is no longer valid.
    pub error_code: Option<String>,
}

/// How an operation uses endpoint discovery (`aws.api#clientDiscoveredEndpoint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiscoveryMode {
    /// Not at all.
    #[default]
    None,
    /// `required: false`.
    Optional,
    /// `required: true`.
    Required,
}

/// An authentication scheme the generated client supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `aws.auth#sigv4`.
    SigV4,
    /// `smithy.api#httpBearerAuth`.
    Bearer,
}

/// A parameter an operation gives the endpoint rules.
#[derive(Debug, Clone, PartialEq)]
pub enum EndpointParam {
    /// `smithy.rules#staticContextParams`: a fixed value.
    Static {
        /// The parameter name.
        name: String,
        /// The value (a string, boolean or list of strings).
        value: Value,
    },
    /// `smithy.rules#contextParam` on an input member: the member's value.
    Member {
        /// The parameter name.
        name: String,
        /// The input field.
        ident: String,
        /// The field's type.
        ty: Type,
    },
}

/// The protocols the generator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`
    AwsJson10,
    /// `aws.protocols#awsJson1_1`
    AwsJson11,
    /// `aws.protocols#restJson1`
    RestJson1,
}

/// Where a member of an operation's input, output or error structure goes in the
/// HTTP message (protocols with HTTP bindings; the others put every member in the
/// body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// A member of the body document.
    Body,
    /// `@httpLabel`: a `{label}` (or greedy `{label+}`) of the URI.
    Label {
        /// Whether the label is greedy (keeps `/`).
        greedy: bool,
    },
    /// `@httpQuery("name")`.
    Query(String),
    /// `@httpQueryParams`: a map of query parameters.
    QueryParams,
    /// `@httpHeader("name")`.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`.
    ResponseCode,
    /// `@eventHeader`: a header of an event stream message.
    EventHeader,
    /// `@eventPayload`: the whole payload of an event stream message.
    EventPayload,
}

/// An operation's `@http` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Http {
    /// The method (`GET`).
    pub method: String,
    /// The URI pattern (`/things/{Id}?type=x`).
    pub uri: String,
    /// The success status code.
    pub code: u16,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operation's name on the wire (`ListFlowOperations`).
    pub wire_name: String,
    /// The Rust type name (`ListFlowOperations`).
    pub type_name: String,
    /// The client method name (`list_flow_operations`).
    pub fn_name: String,
    /// The error enum (`ListFlowOperationsError`).
    pub error_enum: String,
    /// The error parser in `codec` (`error_ListFlowOperations`).
    pub error_fn: String,
    /// The request builder (`ListFlowOperationsFluentBuilder`).
    pub fluent_builder: String,
    /// The paginator, when paginated (`ListFlowOperationsPaginator`).
    pub paginator_type: String,
    /// Rustdoc.
    pub docs: String,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// The input type name in `types`, or `None` for `smithy.api#Unit`.
    pub input: Option<String>,
    /// The output type name in `types`, or `None` for `smithy.api#Unit`.
    pub output: Option<String>,
    /// The modeled errors, operation errors first, then the service's.
    pub errors: Vec<OperationError>,
    /// Pagination, when the operation is paginated.
    pub paginator: Option<Paginator>,
    /// The `@endpoint(hostPrefix)` of the operation, in parts.
    pub host_prefix: Option<Vec<HostPart>>,
    /// Whether `@requestCompression` asks for gzip (the one encoding clients support).
    pub request_compression: bool,
    /// The `@http` trait, for protocols with HTTP bindings.
    pub http: Option<Http>,
    /// Whether `@httpChecksumRequired` asks for the body's MD5 in `Content-MD5`.
    pub checksum_required: bool,
    /// Whether the input's streaming payload must have a known length
    /// (`@requiresLength` on its target).
    pub requires_length: bool,
    /// Whether `aws.auth#unsignedPayload` leaves the payload out of the signature.
    pub unsigned_payload: bool,
    /// Whether the request carries the payload's SHA-256 and SHA-256 tree hash
    /// (`X-Amz-Content-Sha256`, `X-Amz-Sha256-Tree-Hash`): a service customization of
    /// Glacier's uploads.
    pub tree_hash: bool,
    /// The parameters the operation gives the endpoint rules.
    pub endpoint_params: Vec<EndpointParam>,
    /// The authentication schemes the operation accepts, in order; empty: none.
    pub auth: Vec<AuthKind>,
    /// Whether the operation may go unauthenticated when no scheme can be used.
    pub optional_auth: bool,
    /// An input field whose value, when set, is the endpoint of the call (a service
    /// customization: Machine Learning's `Predict` and its `PredictEndpoint`).
    pub endpoint_override: Option<String>,
    /// The Smithy protocol compliance tests of the operation and of the errors it is
    /// the first operation to list (only when they were asked for).
    pub protocol_tests: Vec<ProtocolTest>,
    /// How the operation uses endpoint discovery.
    pub discovery: DiscoveryMode,
    /// The input members marked `aws.api#clientEndpointDiscoveryId`, by wire name.
    pub discovery_ids: Vec<String>,
    /// The operation's waiters (`smithy.waiters#waitable`), by name.
    pub waiters: Vec<Waiter>,
}

/// A waiter of an operation (`smithy.waiters#waitable`).
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// Its name in the model (`TableExists`).
    pub name: String,
    /// The fluent builder's method (`wait_until_table_exists`).
    pub fn_name: String,
    /// Its documentation.
    pub docs: String,
    /// The shortest and longest delay between polls, in seconds.
    pub min_delay: u64,
    /// See `min_delay`.
    pub max_delay: u64,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Its acceptors, in order.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    /// `success`, `failure` or `retry`.
    pub state: String,
    /// What it matches.
    pub matcher: WaitMatcher,
}

/// What an acceptor matches.
#[derive(Debug, Clone, PartialEq)]
pub enum WaitMatcher {
    /// A JMESPath over the output (`input: false`) or over the input and output.
    Path {
        /// Over `{"input", "output"}` rather than the output.
        input: bool,
        /// The expression.
        path: String,
        /// The value compared with.
        expected: String,
        /// The comparator (`stringEquals`, ...).
        comparator: String,
    },
    /// Success or failure of the call.
    Success(bool),
    /// An error code.
    ErrorType(String),
}

/// One `smithy.test` case that applies to this client.
#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolTest {
    /// The case id, as in the model.
    pub id: String,
    /// The test function's name.
    pub fn_name: String,
    /// What the case checks.
    pub kind: ProtocolTestKind,
    /// The case as written in the model (`params`, `method`, `body`, ...).
    pub case: Value,
    /// Why the case is skipped (a case for servers, or a known failure), if it is.
    pub skip: Option<String>,
    /// Whether the case is only counted as skipped, with no test body (server cases).
    pub server_only: bool,
}

/// What a protocol test checks.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolTestKind {
    /// The request the client sends for `params`.
    Request,
    /// The output the client parses from a response.
    Response,
    /// The events (or the error) the client reads from an event stream response
    /// (`smithy.test#eventStreamTests`).
    EventStream {
        /// The Rust type of the case's expected error (`errorId`), if it names one.
        error_type: Option<String>,
    },
    /// The error the client parses from a response.
    Error {
        /// The variant in the operation's error enum.
        variant: String,
        /// The error structure's name in `types`.
        type_name: String,
    },
}

/// A part of a host prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum HostPart {
    /// Text as written.
    Literal(String),
    /// The value of a `@hostLabel` input member.
    Label {
        /// The member's wire name.
        wire_name: String,
        /// The member's field name.
        ident: String,
        /// Whether the field is an `Option`.
        optional: bool,
    },
}

/// A modeled error of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationError {
    /// The code the service sends (the shape name).
    pub code: String,
    /// The code an awsQuery-compatible service sends, when it differs.
    pub query_code: Option<String>,
    /// The variant name in the operation's error enum.
    pub variant: String,
    /// The error structure's name in `types`.
    pub type_name: String,
    /// Whether the error is a server fault (`@error("server")`).
    pub server: bool,
    /// Whether the error is throttling or marked `@retryable`.
    pub retryable: bool,
    /// The variant's test on the error enum (`is_x`), unique in the enum.
    pub is_fn: String,
    /// Rustdoc.
    pub docs: String,
}

/// How a paginated operation is paged.
#[derive(Debug, Clone, PartialEq)]
pub struct Paginator {
    /// The input member that carries the token.
    pub input_token: PathStep,
    /// The path to the output token.
    pub output_token: Vec<PathStep>,
    /// The path to the items, when modeled.
    pub items: Option<Vec<PathStep>>,
    /// The page-size input member, when modeled.
    pub page_size: Option<PathStep>,
}

/// One member along a paginator path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    /// The member's wire name.
    pub wire_name: String,
    /// The member's field name.
    pub ident: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether the field is boxed.
    pub boxed: bool,
    /// The field's type.
    pub ty: Type,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    /// A structure (error structures included).
    Struct(Struct),
    /// A union.
    Union(Union),
    /// A string or int enum.
    Enum(Enum),
}

impl TypeDef {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
}

/// Which directions of the codec a type needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Codec {
    /// Reachable from an input: needs a serializer.
    pub ser: bool,
    /// Reachable from an output or error: needs a deserializer.
    pub de: bool,
}

/// A structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// The Rust name.
    pub name: String,
    /// The shape id.
    pub shape_id: String,
    /// Rustdoc.
    pub docs: String,
    /// Members in model order.
    pub fields: Vec<Field>,
    /// `Some(server?)` for error structures.
    pub error: Option<bool>,
    /// Whether the whole structure is `@sensitive`.
    pub sensitive: bool,
    /// Whether the structure is an operation input (`@input` or used as one).
    pub input: bool,
    /// Codec directions.
    pub codec: Codec,
    /// Whether the shape is deprecated.
    pub deprecated: bool,
    /// For error structures: the string member that carries the message, and whether it
    /// is optional.
    pub message_field: Option<(String, bool)>,
    /// The builder's name (`XBuilder`).
    pub builder: String,
    /// The serializer's and deserializer's names in `codec` (`ser_X`, `de_X`).
    pub ser_fn: String,
    /// See `ser_fn`.
    pub de_fn: String,
    /// For error structures: the parser's name in `codec` (`error_struct_X`).
    pub error_fn: String,
}

impl Struct {
    /// Whether the structure or one of its members is deprecated: code that names
    /// them all needs `#[allow(deprecated)]`.
    pub fn uses_deprecated(&self) -> bool {
        self.deprecated || self.fields.iter().any(|f| f.deprecated)
    }
}

/// Whether a member must be present.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// `Option<T>`.
    Optional,
    /// `T`; `build()` fails while it is unset.
    Required,
    /// `T`; `build()` fills in the default while it is unset.
    Default(Value),
}

/// A structure member.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The member name on the wire.
    pub wire_name: String,
    /// The field identifier, escaped (`r#type`).
    pub ident: String,
    /// The builder setter name (the field name, unless that is taken by a builder method).
    pub setter: String,
    /// The `Option` setter (`set_x`) and the builder's getter (`get_x`).
    pub set_fn: String,
    /// See `set_fn`.
    pub get_fn: String,
    /// Whether the structure gets an accessor method of the field's name.
    pub accessor: bool,
    /// Rustdoc.
    pub docs: String,
    /// The field's type.
    pub ty: Type,
    /// Optionality.
    pub presence: Presence,
    /// Whether `Debug` redacts it.
    pub sensitive: bool,
    /// Whether the field is boxed to break a recursive cycle.
    pub boxed: bool,
    /// Whether an unset value is filled with a fresh UUID.
    pub idempotency_token: bool,
    /// Whether `build()` fails while the member is unset even though the field is an
    /// `Option` (`@required` with `@clientOptional`).
    pub must_set: bool,
    /// Whether the member is deprecated.
    pub deprecated: bool,
    /// The member's key in a JSON body (`@jsonName` where the protocol honours it).
    pub json_name: String,
    /// Where the member goes in the HTTP message.
    pub binding: Binding,
    /// The member's explicit `@timestampFormat` (on it or its target), which wins over
    /// the default of the member's location.
    pub timestamp_format: Option<TimestampFormat>,
    /// The `@mediaType` of the member's target (string and blob payloads, headers).
    pub media_type: Option<String>,
    /// A default that `build()` puts into the `Option` field while it is unset: a
    /// `@required` member with a `@default` in an `@input` structure.
    pub build_default: Option<Value>,
}

impl Field {
    /// Whether `build()` fails while this member is unset.
    pub fn checked_by_build(&self) -> bool {
        (self.presence == Presence::Required || self.must_set) && !self.idempotency_token
    }
}

/// The Rust type of a member.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Type {
    Bool,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    String,
    Blob,
    /// A `@streaming` blob: an operation's payload, read or written as it goes.
    Stream,
    /// A `@streaming` union: an event stream, its events read (from an output) or
    /// sent (in an input) as they come.
    EventStream {
        /// The union's Rust name.
        union: String,
        /// Whether the stream is an input's, sent rather than read.
        input: bool,
    },
    Timestamp(TimestampFormat),
    Document,
    List {
        member: Box<Type>,
        sparse: bool,
    },
    /// A map; the key is `Type::String` or a string enum.
    Map {
        key: Box<Type>,
        value: Box<Type>,
        sparse: bool,
    },
    Named {
        name: String,
        kind: NamedKind,
    },
}

/// The kind of a named type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum NamedKind {
    Struct,
    Union,
    Enum,
    IntEnum,
}

/// A timestamp's wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum TimestampFormat {
    EpochSeconds,
    DateTime,
    HttpDate,
}

/// A union.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// The Rust name.
    pub name: String,
    /// Rustdoc.
    pub docs: String,
    /// The variants, in model order.
    pub variants: Vec<Variant>,
    /// Whether the whole union is `@sensitive`.
    pub sensitive: bool,
    /// Codec directions.
    pub codec: Codec,
    /// Whether the shape is deprecated.
    pub deprecated: bool,
    /// The serializer's and deserializer's names in `codec`.
    pub ser_fn: String,
    /// See `ser_fn`.
    pub de_fn: String,
}

/// A union variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The member name on the wire.
    pub wire_name: String,
    /// The variant identifier.
    pub ident: String,
    /// Rustdoc.
    pub docs: String,
    /// The variant's value, `None` for `smithy.api#Unit`.
    pub ty: Option<Type>,
    /// The member's key in a JSON body (`@jsonName` where the protocol honours it).
    pub json_name: String,
    /// Whether the value is boxed.
    pub boxed: bool,
    /// The variant's test (`is_x`), unique in the union.
    pub is_fn: String,
}

/// A string or int enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// The Rust name.
    pub name: String,
    /// Rustdoc.
    pub docs: String,
    /// Whether it is an intEnum.
    pub int: bool,
    /// The known values.
    pub variants: Vec<EnumVariant>,
    /// Codec directions.
    pub codec: Codec,
    /// Whether the shape is deprecated.
    pub deprecated: bool,
}

/// A known enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The variant identifier.
    pub ident: String,
    /// The value on the wire.
    pub value: EnumValue,
    /// Rustdoc.
    pub docs: String,
    /// Whether the value is deprecated.
    pub deprecated: bool,
}

/// An enum value.
#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    /// A string enum's value.
    Str(String),
    /// An intEnum's value.
    Int(i32),
}
