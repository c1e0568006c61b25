//! The parser of a rule set from the JSON value of a `smithy.rules#endpointRuleSet`
//! trait: what the generator checks a model's rule set with, before it writes the rule
//! set into the client in the compact form ([`RuleSet::to_compact`]).

use super::*;
use crate::types::Document;
use std::collections::HashMap;

impl RuleSet {
    /// Parses the JSON text of an `endpointRuleSet` trait value.
    pub fn from_json(text: &str) -> Result<Self> {
        let mut p = crate::json::Parser::new(text.as_bytes());
        let doc = p
            .document()
            .and_then(|d| p.finish().map(|()| d))
            .map_err(|e| RuleSetError::new("", format!("not valid JSON: {e}")))?;
        Self::from_document(&doc)
    }

    /// Parses an `endpointRuleSet` trait value already read as a document.
    pub fn from_document(doc: &Document) -> Result<Self> {
        let obj = object(doc, "")?;
        let version = match obj.get("version") {
            Some(v) => string(v, "version")?.to_string(),
            None => return Err(RuleSetError::new("", "missing `version`")),
        };
        let params_doc = obj
            .get("parameters")
            .ok_or_else(|| RuleSetError::new("", "missing `parameters`"))?;
        let params_obj = object(params_doc, "parameters")?;
        // Sorted, so that parameter order (and so the slots) does not depend on hashing.
        let names = crate::types::sorted_keys(params_obj);
        let mut parameters = Vec::with_capacity(names.len());
        for name in names {
            let path = format!("parameters.{name}");
            parameters.push(parameter(name, &params_obj[name], &path)?);
        }
        let mut scope = Scope {
            names: parameters.iter().map(|p| p.name.clone()).collect(),
            max: parameters.len(),
        };
        let rules_doc = obj
            .get("rules")
            .ok_or_else(|| RuleSetError::new("", "missing `rules`"))?;
        let rules = rule_list(rules_doc, "rules", &mut scope)?;
        Ok(RuleSet {
            version,
            parameters,
            rules,
            slots: scope.max,
        })
    }
}

/// The names visible while parsing: parameters, then the variables of enclosing rules.
/// A name's slot is its position, so sibling rules reuse slots.
struct Scope {
    names: Vec<String>,
    max: usize,
}

impl Scope {
    fn lookup(&self, name: &str, path: &str) -> Result<Reference> {
        match self.names.iter().rposition(|n| n == name) {
            Some(slot) => Ok(Reference {
                name: name.to_string(),
                slot,
            }),
            None => Err(RuleSetError::new(
                path,
                format!("`{name}` is not a parameter or a variable in scope"),
            )),
        }
    }

    fn push(&mut self, name: &str) -> Reference {
        let slot = self.names.len();
        self.names.push(name.to_string());
        self.max = self.max.max(self.names.len());
        Reference {
            name: name.to_string(),
            slot,
        }
    }
}

fn kind_name(doc: &Document) -> &'static str {
    match doc {
        Document::Null => "null",
        Document::Bool(_) => "a boolean",
        Document::Number(_) => "a number",
        Document::String(_) => "a string",
        Document::Array(_) => "an array",
        Document::Object(_) => "an object",
    }
}

fn object<'d>(doc: &'d Document, path: &str) -> Result<&'d HashMap<String, Document>> {
    match doc {
        Document::Object(m) => Ok(m),
        other => Err(RuleSetError::new(
            path,
            format!("expected an object, found {}", kind_name(other)),
        )),
    }
}

fn array<'d>(doc: &'d Document, path: &str) -> Result<&'d [Document]> {
    match doc {
        Document::Array(a) => Ok(a),
        other => Err(RuleSetError::new(
            path,
            format!("expected an array, found {}", kind_name(other)),
        )),
    }
}

fn string<'d>(doc: &'d Document, path: &str) -> Result<&'d str> {
    match doc {
        Document::String(s) => Ok(s),
        other => Err(RuleSetError::new(
            path,
            format!("expected a string, found {}", kind_name(other)),
        )),
    }
}

fn boolean(doc: &Document, path: &str) -> Result<bool> {
    match doc {
        Document::Bool(b) => Ok(*b),
        other => Err(RuleSetError::new(
            path,
            format!("expected a boolean, found {}", kind_name(other)),
        )),
    }
}

fn opt_string(obj: &HashMap<String, Document>, key: &str, path: &str) -> Result<Option<String>> {
    match obj.get(key) {
        None | Some(Document::Null) => Ok(None),
        Some(v) => Ok(Some(string(v, &format!("{path}.{key}"))?.to_string())),
    }
}

fn parameter(name: &str, doc: &Document, path: &str) -> Result<Parameter> {
    let obj = object(doc, path)?;
    let type_name = match obj.get("type") {
        Some(t) => string(t, &format!("{path}.type"))?,
        None => return Err(RuleSetError::new(path, "missing `type`")),
    };
    let kind = if type_name.eq_ignore_ascii_case("string") {
        ParameterType::String
    } else if type_name.eq_ignore_ascii_case("boolean") {
        ParameterType::Boolean
    } else if type_name.eq_ignore_ascii_case("stringArray") {
        ParameterType::StringArray
    } else {
        return Err(RuleSetError::new(
            &format!("{path}.type"),
            format!(
                "unknown parameter type `{type_name}` (expected string, boolean or stringArray)"
            ),
        ));
    };
    let required = match obj.get("required") {
        None | Some(Document::Null) => false,
        Some(v) => boolean(v, &format!("{path}.required"))?,
    };
    let default = match obj.get("default") {
        None | Some(Document::Null) => None,
        Some(v) => {
            let dpath = format!("{path}.default");
            Some(match (kind, v) {
                (ParameterType::String, Document::String(s)) => ParamValue::String(s.clone()),
                (ParameterType::Boolean, Document::Bool(b)) => ParamValue::Bool(*b),
                (ParameterType::StringArray, Document::Array(items)) => ParamValue::StringArray(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, d)| string(d, &format!("{dpath}[{i}]")).map(str::to_string))
                        .collect::<Result<_>>()?,
                ),
                (kind, other) => {
                    return Err(RuleSetError::new(
                        &dpath,
                        format!(
                            "the default of a {kind} parameter cannot be {}",
                            kind_name(other)
                        ),
                    ))
                }
            })
        }
    };
    let deprecated = match obj.get("deprecated") {
        None | Some(Document::Null) => None,
        Some(d) => {
            let dpath = format!("{path}.deprecated");
            let dobj = object(d, &dpath)?;
            Some(Deprecated {
                message: opt_string(dobj, "message", &dpath)?,
                since: opt_string(dobj, "since", &dpath)?,
            })
        }
    };
    Ok(Parameter {
        name: name.to_string(),
        kind,
        built_in: opt_string(obj, "builtIn", path)?,
        required,
        default,
        documentation: opt_string(obj, "documentation", path)?,
        deprecated,
    })
}

fn rule_list(doc: &Document, path: &str, scope: &mut Scope) -> Result<Vec<Rule>> {
    let items = array(doc, path)?;
    let mut rules = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let rpath = format!("{path}[{i}]");
        let mark = scope.names.len();
        let rule = rule(item, &rpath, scope);
        scope.names.truncate(mark);
        rules.push(rule?);
    }
    Ok(rules)
}

fn rule(doc: &Document, path: &str, scope: &mut Scope) -> Result<Rule> {
    let obj = object(doc, path)?;
    let kind = match obj.get("type") {
        Some(t) => string(t, &format!("{path}.type"))?,
        None => return Err(RuleSetError::new(path, "missing `type`")),
    };
    let documentation = opt_string(obj, "documentation", path)?;
    let conditions = match obj.get("conditions") {
        None => Vec::new(),
        Some(c) => {
            let cpath = format!("{path}.conditions");
            let items = array(c, &cpath)?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(condition(item, &format!("{cpath}[{i}]"), scope)?);
            }
            out
        }
    };
    let field = |key: &str| {
        obj.get(key).ok_or_else(|| {
            RuleSetError::new(path, format!("a rule of type `{kind}` needs `{key}`"))
        })
    };
    match kind {
        "endpoint" => {
            let endpoint = endpoint(field("endpoint")?, &format!("{path}.endpoint"), scope)?;
            Ok(Rule::Endpoint {
                conditions,
                endpoint,
                documentation,
            })
        }
        "error" => {
            let message = expr(field("error")?, &format!("{path}.error"), scope)?;
            Ok(Rule::Error {
                conditions,
                message,
                documentation,
            })
        }
        "tree" => {
            let rules = rule_list(field("rules")?, &format!("{path}.rules"), scope)?;
            Ok(Rule::Tree {
                conditions,
                rules,
                documentation,
            })
        }
        other => Err(RuleSetError::new(
            &format!("{path}.type"),
            format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
        )),
    }
}

fn condition(doc: &Document, path: &str, scope: &mut Scope) -> Result<Condition> {
    let obj = object(doc, path)?;
    if !obj.contains_key("fn") {
        return Err(RuleSetError::new(path, "a condition needs `fn`"));
    }
    let call = expr(doc, path, scope)?;
    let assign = match obj.get("assign") {
        None | Some(Document::Null) => None,
        Some(a) => {
            let name = string(a, &format!("{path}.assign"))?;
            if name.is_empty() {
                return Err(RuleSetError::new(
                    &format!("{path}.assign"),
                    "empty variable name",
                ));
            }
            Some(scope.push(name))
        }
    };
    Ok(Condition { call, assign })
}

fn endpoint(doc: &Document, path: &str, scope: &mut Scope) -> Result<EndpointTemplate> {
    let obj = object(doc, path)?;
    let url = match obj.get("url") {
        Some(u) => expr(u, &format!("{path}.url"), scope)?,
        None => return Err(RuleSetError::new(path, "an endpoint needs `url`")),
    };
    let mut headers = Vec::new();
    if let Some(h) = obj.get("headers") {
        let hpath = format!("{path}.headers");
        let hobj = object(h, &hpath)?;
        let names = crate::types::sorted_keys(hobj);
        for name in names {
            let vpath = format!("{hpath}.{name}");
            let values = array(&hobj[name], &vpath)?
                .iter()
                .enumerate()
                .map(|(i, v)| expr(v, &format!("{vpath}[{i}]"), scope))
                .collect::<Result<Vec<_>>>()?;
            headers.push((name.clone(), values));
        }
    }
    let mut properties = Vec::new();
    if let Some(p) = obj.get("properties") {
        let ppath = format!("{path}.properties");
        let pobj = object(p, &ppath)?;
        let names = crate::types::sorted_keys(pobj);
        for name in names {
            properties.push((
                name.clone(),
                property(&pobj[name], &format!("{ppath}.{name}"), scope)?,
            ));
        }
    }
    Ok(EndpointTemplate {
        url,
        headers,
        properties,
    })
}

fn property(doc: &Document, path: &str, scope: &Scope) -> Result<Property> {
    Ok(match doc {
        Document::String(s) => Property::String(template(s, path, scope)?),
        Document::Bool(b) => Property::Bool(*b),
        Document::Number(n) => Property::Number(n.clone()),
        Document::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, d)| property(d, &format!("{path}[{i}]"), scope))
                .collect::<Result<_>>()?,
        ),
        Document::Object(map) => {
            let names = crate::types::sorted_keys(map);
            let mut fields = Vec::with_capacity(names.len());
            for name in names {
                fields.push((
                    name.clone(),
                    property(&map[name], &format!("{path}.{name}"), scope)?,
                ));
            }
            Property::Object(fields)
        }
        Document::Null => return Err(RuleSetError::new(path, "null is not a property value")),
    })
}

fn expr(doc: &Document, path: &str, scope: &Scope) -> Result<Expr> {
    match doc {
        Document::String(s) => Ok(Expr::String(template(s, path, scope)?)),
        Document::Bool(b) => Ok(Expr::Bool(*b)),
        Document::Number(n) => n.as_i64().map(Expr::Int).ok_or_else(|| {
            RuleSetError::new(path, format!("`{n}` is not an integer the rules can use"))
        }),
        Document::Array(items) => Ok(Expr::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, d)| expr(d, &format!("{path}[{i}]"), scope))
                .collect::<Result<_>>()?,
        )),
        Document::Object(obj) => {
            if let Some(r) = obj.get("ref") {
                let name = string(r, &format!("{path}.ref"))?;
                return Ok(Expr::Ref(scope.lookup(name, path)?));
            }
            let Some(f) = obj.get("fn") else {
                return Err(RuleSetError::new(
                    path,
                    "expected a reference (`ref`) or a function call (`fn`)",
                ));
            };
            let name = string(f, &format!("{path}.fn"))?;
            let apath = format!("{path}.argv");
            let argv = match obj.get("argv") {
                Some(a) => array(a, &apath)?,
                None => return Err(RuleSetError::new(path, "a function call needs `argv`")),
            };
            if name == "getAttr" {
                if argv.len() != 2 {
                    return Err(RuleSetError::new(
                        &apath,
                        format!("getAttr takes 2 arguments, found {}", argv.len()),
                    ));
                }
                let target = expr(&argv[0], &format!("{apath}[0]"), scope)?;
                let ppath = format!("{apath}[1]");
                let path_text = string(&argv[1], &ppath)?;
                return Ok(Expr::GetAttr {
                    target: Box::new(target),
                    path: attr_path(path_text, &ppath)?,
                });
            }
            let function = Function::from_name(name).ok_or_else(|| {
                RuleSetError::new(&format!("{path}.fn"), format!("unknown function `{name}`"))
            })?;
            let (min, max) = function.arity();
            if argv.len() < min || argv.len() > max {
                let expected = if min == max {
                    min.to_string()
                } else {
                    format!("at least {min}")
                };
                return Err(RuleSetError::new(
                    &apath,
                    format!("{name} takes {expected} argument(s), found {}", argv.len()),
                ));
            }
            let args = argv
                .iter()
                .enumerate()
                .map(|(i, d)| expr(d, &format!("{apath}[{i}]"), scope))
                .collect::<Result<_>>()?;
            Ok(Expr::Call { function, args })
        }
        Document::Null => Err(RuleSetError::new(path, "null is not an expression")),
    }
}

/// Parses a `getAttr` path: keys separated by `.`, each optionally followed by `[index]`.
fn attr_path(text: &str, path: &str) -> Result<Vec<PathPart>> {
    let bad = |why: &str| RuleSetError::new(path, format!("invalid getAttr path `{text}`: {why}"));
    let mut out = Vec::new();
    for part in text.split('.') {
        match part.find('[') {
            Some(open) => {
                let key = &part[..open];
                let index = part[open + 1..]
                    .strip_suffix(']')
                    .ok_or_else(|| bad("an index must end with `]`"))?;
                let index: i64 = index
                    .parse()
                    .map_err(|_| bad("an index must be an integer"))?;
                if !key.is_empty() {
                    out.push(PathPart::Key(key.to_string()));
                }
                out.push(PathPart::Index(index));
            }
            None if part.is_empty() => return Err(bad("empty key")),
            None => out.push(PathPart::Key(part.to_string())),
        }
    }
    Ok(out)
}

/// Parses a template string.
fn template(text: &str, path: &str, scope: &Scope) -> Result<Template> {
    if !text.contains(['{', '}']) {
        return Ok(Template {
            parts: vec![TemplatePart::Text(text.to_string())],
        });
    }
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(RuleSetError::new(
                path,
                format!("unmatched `}}` in template `{text}`"),
            ));
        } else {
            let Some(close) = tail.find('}') else {
                return Err(RuleSetError::new(
                    path,
                    format!("unmatched `{{` in template `{text}`"),
                ));
            };
            let inner = &tail[1..close];
            if inner.is_empty() || inner.contains('{') {
                return Err(RuleSetError::new(
                    path,
                    format!("invalid placeholder `{{{inner}}}` in template `{text}`"),
                ));
            }
            if !literal.is_empty() {
                parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
            }
            let value = match inner.split_once('#') {
                Some((name, attr)) => Expr::GetAttr {
                    target: Box::new(Expr::Ref(scope.lookup(name, path)?)),
                    path: attr_path(attr, path)?,
                },
                None => Expr::Ref(scope.lookup(inner, path)?),
            };
            parts.push(TemplatePart::Value(value));
            rest = &tail[close + 1..];
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(TemplatePart::Text(literal));
    }
    Ok(Template { parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            names: vec!["Region".into(), "url".into()],
            max: 2,
        }
    }

    #[test]
    fn templates() {
        let t = template("https://{Region}.{url#authority}/x", "p", &scope()).unwrap();
        assert_eq!(t.parts().len(), 5);
        assert_eq!(
            template("a{{b}}c", "p", &scope()).unwrap().as_static(),
            Some("a{b}c")
        );
        assert_eq!(template("", "p", &scope()).unwrap().as_static(), Some(""));
        for bad in ["{Region", "a}b", "{}", "{Nope}", "{url#}", "{url#a[x]}"] {
            let e = template(bad, "rules[0]", &scope()).unwrap_err();
            assert_eq!(e.path(), "rules[0]", "{bad}");
        }
    }

    #[test]
    fn attr_paths() {
        assert_eq!(
            attr_path("a.b[2]", "p").unwrap(),
            [
                PathPart::Key("a".into()),
                PathPart::Key("b".into()),
                PathPart::Index(2)
            ]
        );
        assert_eq!(attr_path("[-1]", "p").unwrap(), [PathPart::Index(-1)]);
        assert!(attr_path("a..b", "p").is_err());
        assert!(attr_path("a[1", "p").is_err());
    }

    #[test]
    fn malformed_rule_sets_say_where() {
        let cases = [
            ("[]", "", "expected an object"),
            (
                r#"{"parameters": {}, "rules": []}"#,
                "",
                "missing `version`",
            ),
            (
                r#"{"version": "1.0", "parameters": {"A": {"type": "int"}}, "rules": []}"#,
                "parameters.A.type",
                "unknown parameter type",
            ),
            (
                r#"{"version": "1.0", "parameters": {"A": {"type": "string", "default": true}}, "rules": []}"#,
                "parameters.A.default",
                "cannot be a boolean",
            ),
            (
                r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint", "conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "x"}}]}"#,
                "rules[0].conditions[0].fn",
                "unknown function",
            ),
            (
                r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "X"}]}], "error": "x"}]}"#,
                "rules[0].conditions[0].argv[0]",
                "not a parameter",
            ),
            (
                r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "not", "argv": [true, false]}], "error": "x"}]}"#,
                "rules[0].conditions[0].argv",
                "takes 1",
            ),
            (
                r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "tree", "conditions": []}]}"#,
                "rules[0]",
                "needs `rules`",
            ),
            (
                r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "parseURL", "argv": ["x"], "assign": "u"}], "error": "x"}, {"type": "error", "conditions": [], "error": "{u#path}"}]}"#,
                "rules[1].error",
                "not a parameter",
            ),
            ("{\"version\": ", "", "not valid JSON"),
        ];
        for (text, path, message) in cases {
            let e = RuleSet::from_json(text).unwrap_err();
            assert_eq!(e.path(), path, "{text}: {e}");
            assert!(e.message().contains(message), "{text}: {e}");
        }
    }
}
