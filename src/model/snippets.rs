//! "Copy as" snippets of a query: curl, Python `requests`, and the Databricks SDK for Python.
//! They read the token from `$DATABRICKS_TOKEN`; the user's own token never appears in them.

use super::json_doc::{write_json_string, Doc, Kind, NodeId};

/// The input-format keywords `serving_endpoints.query()` takes.
const SDK_FORMATS: [&str; 4] = [
    "dataframe_split",
    "dataframe_records",
    "instances",
    "inputs",
];

/// The full URL of an operation: the server URL plus the operation path.
pub fn url(server: &str, op_path: &str) -> String {
    format!("{}{}", server.trim_end_matches('/'), op_path)
}

/// `scheme://host` of a URL (the workspace host of a server URL).
pub fn host_of(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find('/').unwrap_or(rest.len());
            format!("{}{}", &url[..i + 3], &rest[..end])
        }
        None => url.to_string(),
    }
}

/// Quote for a POSIX shell inside single quotes.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A JSON string literal, which is also a valid Python string literal.
fn py_str(s: &str) -> String {
    let mut out = String::new();
    write_json_string(&mut out, s);
    out
}

/// `node` as a Python literal (`True`/`False`/`None`), four-space indented.
pub fn python_literal(doc: &Doc, node: NodeId, level: usize) -> String {
    let mut out = String::new();
    write_py(doc, node, level, &mut out);
    out
}

/// Deeper levels share the deepest indentation, so a deeply nested body prints in time and
/// space linear in its size (indentation inside brackets means nothing to Python).
const MAX_INDENT_LEVELS: usize = 64;

/// Iterative (an explicit stack): a body may nest as deep as its text does.
fn write_py(doc: &Doc, n: NodeId, level: usize, out: &mut String) {
    enum Step<'a> {
        Value(NodeId, usize),
        Text(&'static str),
        Key(&'a str),
        Pad(usize),
    }
    let mut todo = vec![Step::Value(n, level)];
    while let Some(step) = todo.pop() {
        let (n, level) = match step {
            Step::Text(t) => {
                out.push_str(t);
                continue;
            }
            Step::Key(k) => {
                out.push_str(&py_str(k));
                continue;
            }
            Step::Pad(l) => {
                out.push('\n');
                for _ in 0..l.min(MAX_INDENT_LEVELS) {
                    out.push_str("    ");
                }
                continue;
            }
            Step::Value(n, level) => (n, level),
        };
        match doc.kind(n) {
            Kind::Null => out.push_str("None"),
            Kind::Bool => out.push_str(if doc.as_bool(n) == Some(true) {
                "True"
            } else {
                "False"
            }),
            Kind::Num => out.push_str(doc.raw_num(n).unwrap_or("0")),
            Kind::Str => out.push_str(&py_str(doc.as_str(n).unwrap_or(""))),
            Kind::Arr => {
                if doc.is_empty(n) {
                    out.push_str("[]");
                    continue;
                }
                // Short arrays (rows of a table) stay on one line.
                if let Some(line) = compact_py(doc, n, 72) {
                    out.push_str(&line);
                    continue;
                }
                out.push('[');
                // Pushed in reverse: the closing bracket, then items last to first.
                todo.push(Step::Text("]"));
                todo.push(Step::Pad(level));
                let items: Vec<NodeId> = doc.items(n).collect();
                for x in items.into_iter().rev() {
                    todo.push(Step::Text(","));
                    todo.push(Step::Value(x, level + 1));
                    todo.push(Step::Pad(level + 1));
                }
            }
            Kind::Obj => {
                if doc.is_empty(n) {
                    out.push_str("{}");
                    continue;
                }
                out.push('{');
                todo.push(Step::Text("}"));
                todo.push(Step::Pad(level));
                let members: Vec<(&str, NodeId)> = doc.members(n).collect();
                for (k, v) in members.into_iter().rev() {
                    todo.push(Step::Text(","));
                    todo.push(Step::Value(v, level + 1));
                    todo.push(Step::Text(": "));
                    todo.push(Step::Key(k));
                    todo.push(Step::Pad(level + 1));
                }
            }
        }
    }
}

/// `n` on one line if that is at most `max` characters.
fn compact_py(doc: &Doc, n: NodeId, max: usize) -> Option<String> {
    let mut out = String::new();
    let mut todo = vec![Err(n)];
    while let Some(step) = todo.pop() {
        match step {
            Ok(text) => out.push_str(text),
            Err(x) => match doc.kind(x) {
                Kind::Arr => {
                    out.push('[');
                    todo.push(Ok("]"));
                    let items: Vec<NodeId> = doc.items(x).collect();
                    for (i, it) in items.into_iter().enumerate().rev() {
                        todo.push(Err(it));
                        if i > 0 {
                            todo.push(Ok(", "));
                        }
                    }
                }
                Kind::Obj => return None,
                _ => write_py(doc, x, 0, &mut out),
            },
        }
        if out.len() > max {
            return None;
        }
    }
    Some(out)
}

/// `curl` with the body as typed (compacted when it is valid JSON).
pub fn curl(url: &str, body: &str) -> String {
    let data = match Doc::parse(body) {
        Ok(d) => d.to_json(d.root(), false),
        Err(_) => body.to_string(),
    };
    format!(
        "curl -X POST {} \\\n  -H \"Authorization: Bearer $DATABRICKS_TOKEN\" \\\n  -H 'Content-Type: application/json' \\\n  --data {}",
        shell_quote(url),
        shell_quote(&data)
    )
}

/// Python with `requests`; `None` when the body is not valid JSON.
pub fn python_requests(url: &str, body: &str) -> Option<String> {
    let d = Doc::parse(body).ok()?;
    Some(format!(
        "import os\nimport requests\n\nurl = {}\nheaders = {{\n    \"Authorization\": f\"Bearer {{os.environ['DATABRICKS_TOKEN']}}\",\n    \"Content-Type\": \"application/json\",\n}}\npayload = {}\n\nresponse = requests.post(url, headers=headers, json=payload, timeout=60)\nresponse.raise_for_status()\nprint(response.json())\n",
        py_str(url),
        python_literal(&d, d.root(), 0)
    ))
}

/// The Databricks SDK for Python. `serving_endpoints.query()` when the body is one input
/// format (it queries the endpoint, whose traffic split picks the served model); otherwise —
/// `params`, other keys, or a served-model path — the SDK's API client posts the exact body to
/// `path`. `None` when the body is not valid JSON.
pub fn databricks_sdk(host: &str, endpoint: &str, path: &str, body: &str) -> Option<String> {
    let d = Doc::parse(body).ok()?;
    let root = d.root();
    let keys: Vec<&str> = d.members(root).map(|(k, _)| k).collect();
    let header = format!(
        "import os\nfrom databricks.sdk import WorkspaceClient\n{{import}}\nw = WorkspaceClient(host={}, token=os.environ[\"DATABRICKS_TOKEN\"])\n",
        py_str(host)
    );
    let simple = d.kind(root) == Kind::Obj
        && keys.len() == 1
        && SDK_FORMATS.contains(&keys[0])
        && !path.contains("/served-models/");
    if simple {
        let key = keys[0];
        let value = d.get(root, key).unwrap_or(root);
        let arg = python_literal(&d, value, 1);
        let (import, arg) = if key == "dataframe_split" {
            (
                "from databricks.sdk.service.serving import DataframeSplitInput\n",
                format!("DataframeSplitInput.from_dict({arg})"),
            )
        } else {
            ("", arg)
        };
        return Some(format!(
            "{}\n# Queries the endpoint: its traffic split picks the served model.\nresponse = w.serving_endpoints.query(\n    name={},\n    {key}={arg},\n)\nprint(response.predictions)\n",
            header.replace("{import}", import),
            py_str(endpoint)
        ));
    }
    Some(format!(
        "{}\npayload = {}\n\nresponse = w.api_client.do(\"POST\", {}, body=payload)\nprint(response)\n",
        header.replace("{import}", ""),
        python_literal(&d, root, 0),
        py_str(path)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str =
        r#"{"dataframe_split": {"columns": ["a", "b's"], "data": [[1, true], [2.5, null]]}}"#;

    #[test]
    fn curl_quotes_for_the_shell_and_uses_the_env_token() {
        let c = curl("https://h/serving-endpoints/e/invocations", BODY);
        assert!(c.starts_with("curl -X POST 'https://h/serving-endpoints/e/invocations'"));
        assert!(c.contains("Bearer $DATABRICKS_TOKEN"));
        assert!(c.contains(r#"--data '{"dataframe_split":{"columns":["a","b'\''s"],"data":[[1,true],[2.5,null]]}}'"#), "{c}");
        // Invalid JSON is sent as typed.
        assert!(curl("u", "{oops").ends_with("--data '{oops'"));
    }

    #[test]
    fn python_literals() {
        let p = python_requests("https://h/x", BODY).unwrap_or_default();
        assert!(p.contains("f\"Bearer {os.environ['DATABRICKS_TOKEN']}\""));
        assert!(p.contains("url = \"https://h/x\""));
        assert!(p.contains("\"columns\": [\"a\", \"b's\"],"), "{p}");
        assert!(p.contains("\"data\": [[1, True], [2.5, None]],"), "{p}");
        assert!(python_requests("u", "{oops").is_none());
        let d = Doc::parse(r#"{"s": "line\nbreak \"q\" é"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            python_literal(&d, 0, 0),
            "{\n    \"s\": \"line\\nbreak \\\"q\\\" é\",\n}"
        );
    }

    #[test]
    fn sdk_query_or_api_client() {
        let q = databricks_sdk(
            "https://h",
            "churn",
            "/serving-endpoints/churn/invocations",
            BODY,
        )
        .unwrap_or_default();
        assert!(
            q.contains(
                "WorkspaceClient(host=\"https://h\", token=os.environ[\"DATABRICKS_TOKEN\"])"
            ),
            "{q}"
        );
        assert!(
            q.contains("dataframe_split=DataframeSplitInput.from_dict({"),
            "{q}"
        );
        assert!(q.contains("from databricks.sdk.service.serving import DataframeSplitInput"));
        assert!(q.contains("name=\"churn\""));
        let with_params = r#"{"dataframe_records": [{"a": 1}], "params": {"t": 0.5}}"#;
        let a = databricks_sdk(
            "https://h",
            "churn",
            "/serving-endpoints/churn/served-models/m-1/invocations",
            with_params,
        )
        .unwrap_or_default();
        assert!(a.contains("w.api_client.do(\"POST\", \"/serving-endpoints/churn/served-models/m-1/invocations\", body=payload)"), "{a}");
        assert!(!a.contains("{import}"));
        let records = databricks_sdk(
            "https://h",
            "e",
            "/serving-endpoints/e/invocations",
            r#"{"instances": [[1, 2]]}"#,
        )
        .unwrap_or_default();
        assert!(records.contains("instances=[[1, 2]],"), "{records}");
        assert!(!records.contains("DataframeSplitInput"));
    }

    #[test]
    fn urls_and_hosts() {
        assert_eq!(
            url(
                "https://h/serving-endpoints/e/",
                "/served-models/m/invocations"
            ),
            "https://h/serving-endpoints/e/served-models/m/invocations"
        );
        assert_eq!(
            host_of("https://adb-1.2.azuredatabricks.net/serving-endpoints/e"),
            "https://adb-1.2.azuredatabricks.net"
        );
        assert_eq!(host_of("nohost"), "nohost");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
